import Foundation
import HallAPI

extension DeviceHeartbeat {
    /// The first thing wrong with the heartbeat's numbers and lists, or nil: counts and times are never negative,
    /// latencies are finite, lists are short. (A heartbeat with -5 ratings waiting would hide a real backlog.)
    func numberProblem() -> String? {
        let counts: [(String, Int)] = [("uptimeSeconds", uptimeSeconds), ("outboxDepth", outboxDepth), ("outboxRejected", outboxRejected)]
        for (name, value) in counts where !(0...1_000_000_000).contains(value) {
            return "\(name) must be 0 … 1000000000 (got \(value))"
        }
        if let ms = serverLatencyMs, !(ms.isFinite && ms >= 0 && ms <= 3_600_000) {
            return "serverLatencyMs must be 0 … 3600000 (got \(ms))"
        }
        if let printer, printer.reasons.count > 32 { return "printer.reasons has \(printer.reasons.count) entries; at most 32" }
        if let addresses, addresses.count > 16 { return "addresses has \(addresses.count) entries; at most 16" }
        return nil
    }
}
