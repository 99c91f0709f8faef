import Foundation

/// Recent service durations per service, learned from completions and seeded from the config.
final class ServiceTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var recent: [String: [Double]] = [:]
    private var seeds: [String: Double]
    private let keep: Int

    init(hall: Hall) {
        var s: [String: Double] = [:]
        for service in hall.services { s[service.id] = service.seedServiceMinutes }
        seeds = s
        keep = hall.averageOverLast
    }

    /// Takes the seeds of `hall`'s services after a settings change (a new service starts from its seed).
    func update(hall: Hall) {
        lock.withLock {
            for service in hall.services { seeds[service.id] = service.seedServiceMinutes }
        }
    }

    /// Takes the latest completions of each service (after a restart): minutes per service, oldest first.
    func load(recent minutes: [String: [Double]]) {
        lock.withLock {
            for serviceId in seeds.keys { recent[serviceId] = Array((minutes[serviceId] ?? []).suffix(keep)) }
        }
    }

    /// Records one completed service.
    func record(serviceId: String, minutes: Double) {
        guard minutes >= 0, minutes < 24 * 60 else { return }
        lock.withLock {
            var list = recent[serviceId, default: []]
            list.append(minutes)
            if list.count > keep { list.removeFirst(list.count - keep) }
            recent[serviceId] = list
        }
    }

    /// Average minutes per citizen: the seed blended with recent completions (the seed weighs as 3 of them).
    func averageMinutes(_ serviceId: String) -> Double {
        let (seed, list) = lock.withLock { (seeds[serviceId] ?? 10, recent[serviceId] ?? []) }
        let seedWeight = 3.0
        let sum = list.reduce(0, +) + seed * seedWeight
        return max(0.5, sum / (Double(list.count) + seedWeight))
    }

    /// People ahead × average ÷ open windows, rounded up to whole minutes.
    func estimateMinutes(serviceId: String, ahead: Int, openWindows: Int) -> Int {
        guard ahead > 0 else { return 0 }
        let minutes = Double(ahead) * averageMinutes(serviceId) / Double(max(1, openWindows))
        return Int(minutes.rounded(.up))
    }
}
