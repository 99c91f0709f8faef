import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The key a client's address is counted under (rate limits, login locks): IPv4 as it is, an IPv4-mapped IPv6
/// address as its IPv4, any other IPv6 address by its /64 — one phone owns a whole /64 and could otherwise take
/// a fresh address for every request.
enum ClientAddress {
    static func key(_ ip: String) -> String {
        if ip.hasPrefix("::ffff:"), ip.contains(".") { return String(ip.dropFirst(7)) }
        guard ip.contains(":") else { return ip }
        var bytes = [UInt8](repeating: 0, count: 16)
        guard inet_pton(AF_INET6, ip, &bytes) == 1 else { return ip }
        let hextets = stride(from: 0, to: 8, by: 2).map { String(format: "%x", Int(bytes[$0]) << 8 | Int(bytes[$0 + 1])) }
        return hextets.joined(separator: ":") + "::/64"
    }
}

/// Lets one PIN check for an untrusted client run at a time (and one for trusted consoles beside it). A PIN check
/// is a PBKDF2 run of about a tenth of a second of a core; without this gate, logins from many addresses at once
/// would take both of a small server's cores from ticket issuing and the calling displays. Checking the locks,
/// the hash and recording the outcome all happen inside the gate, so parallel attempts cannot slip past a limit.
final class PinCheckGate: @unchecked Sendable {
    private let lock = NSLock()
    private var busy: Set<Bool> = []

    /// True when a check of this kind may run now (call `leave` after it); false when one is running.
    func enter(trusted: Bool) -> Bool {
        lock.withLock { busy.insert(trusted).inserted }
    }

    func leave(trusted: Bool) {
        lock.withLock { _ = busy.remove(trusted) }
    }
}
