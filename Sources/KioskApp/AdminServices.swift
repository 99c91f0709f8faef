import Foundation
import HallAPI
import HallSecrets
import KioskCore
import KioskHTTP

/// The adapters behind the hidden admin screen: PIN check, device facts, maintenance commands. No shell,
/// no file browser: only what the buttons say.
struct AdminServices: Sendable {
    let settings: KioskSettings
    let client: HallClient
    let printer: any TicketPrinter
    let ratings: RatingServices?
    let errors: RecentErrors
    /// Monotonic seconds at start.
    let started: Double

    /// Checks `pin` against the configured hash. Takes at least a second whatever the answer, so guessing is slow
    /// (the core also locks the entry after repeated failures).
    func checkPin(_ pin: String) async -> Bool {
        let begin = KioskClock.uptimeSeconds
        let accepted = settings.adminPinHash.flatMap(SecretHash.init).map { $0.matches(pin) } ?? false
        let rest = 1 - (KioskClock.uptimeSeconds - begin)
        if rest > 0 { try? await Task.sleep(for: .seconds(rest)) }
        return accepted
    }

    /// Device id, version, addresses, server round trip, outbox figures and recent problems.
    func info() async -> AdminInfo {
        var latency: Int?
        var serverProblem: String?
        var degraded = false
        if let (health, ms) = try? await client.health() {
            latency = Int(ms.rounded())
            degraded = health.status != "ok"
            if let clock = health.clock { serverProblem = "服务器时钟异常，已停止取号 / hall server clock: \(clock)" }
        }
        let outbox = ratings?.status
        var problems = errors.recent
        if let serverProblem { problems.insert(serverProblem, at: 0) }
        if let outboxError = outbox?.lastError, !problems.contains(outboxError) { problems.insert(outboxError, at: 0) }
        return AdminInfo(deviceId: settings.deviceId, version: KioskAppInfo.version, addresses: NetworkAddresses.current(),
                         serverURL: settings.serverURL, serverLatencyMilliseconds: latency,
                         outboxPending: outbox?.pending ?? 0, outboxHeld: outbox?.heldForAdmin ?? 0,
                         recentErrors: problems, uptimeSeconds: Int(KioskClock.uptimeSeconds - started),
                         serverDegraded: degraded)
    }

    /// What a command did, in words for hall IT; `restart` is true when the program should now exit (the service
    /// manager starts it again).
    func run(_ command: AdminCommand) async -> (message: String, restart: Bool) {
        switch command {
        case .testPrint:
            let ticket = SampleHall.ticket(now: Date(), lookupBase: settings.serverURL)
            switch await printer.testPrint(ticket) {
            case .printed: return ("测试号票已打印 / test ticket printed", false)
            case .failed(let reason):
                errors.add("test print: \(reason)")
                return ("测试打印失败：\(reason) / test print failed: \(reason)", false)
            case .notConfigured: return ("本机未配置打印机 / no printer configured ([printer] destination)", false)
            }
        case .resendOutbox:
            guard let ratings, let sender = ratings.sender else {
                return ("评价存储不可用 / the rating outbox is not open: \(ratings?.openError ?? "-")", false)
            }
            sender.sendNow()
            return ("正在发送 \(sender.status.pending) 条评价 / sending \(sender.status.pending) ratings now", false)
        case .reloadConfig:
            do {
                _ = try KioskSettings.load(path: settings.source)
                return ("配置有效，正在重启 / config is valid; restarting with it", true)
            } catch {
                errors.add("config: \(error.description)")
                return ("配置有误，未重启 / config not loaded: \(error.description)", false)
            }
        case .restart:
            return ("正在重启 / restarting", true)
        }
    }
}

/// The last few problems the kiosk met, newest first, for the admin screen (no personal data: ticket numbers
/// and error texts only).
final class RecentErrors: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []

    func add(_ text: String) {
        let stamped = "\(Self.clock.string(from: Date())) \(text)"
        lock.lock()
        if items.first.map({ $0.dropFirst(6) != text }) ?? true { items.insert(stamped, at: 0) }
        if items.count > 10 { items.removeLast(items.count - 10) }
        lock.unlock()
    }

    var recent: [String] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }

    private static let clock: DateFormatter = {
        let f = DateFormatter()
        f.dateFormat = "HH:mm"
        return f
    }()
}

/// This machine's IPv4/IPv6 addresses, loopback and link-local left out.
enum NetworkAddresses {
    static func current() -> [String] {
        var result: [String] = []
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr else { continue }
            let family = Int32(address.pointee.sa_family)
            guard family == AF_INET || family == AF_INET6 else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
            guard getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
            let text = String(cString: host)
            if text.hasPrefix("127.") || text == "::1" || text.lowercased().hasPrefix("fe80") { continue }
            result.append(text)
        }
        return result
    }
}
