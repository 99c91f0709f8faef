import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tells systemd how the kiosk is doing, with the `sd_notify` protocol and no libsystemd: each message is
/// one datagram of `KEY=VALUE` lines to the `AF_UNIX` socket named in `$NOTIFY_SOCKET` (a leading `@`
/// names an abstract socket).
///
/// With `Type=notify` the unit waits for `READY=1` (sent after the first frame); with `WatchdogSec=`
/// systemd sets `$WATCHDOG_USEC` and expects `WATCHDOG=1` within that time, else it kills and restarts
/// the kiosk. Outside systemd (no `$NOTIFY_SOCKET`) every call does nothing.
public final class SystemdNotifier: @unchecked Sendable {
    /// The socket messages go to, as given in `$NOTIFY_SOCKET`; nil outside systemd.
    public let socketPath: String?
    /// How often to send `WATCHDOG=1`: half of `$WATCHDOG_USEC` (as `sd_watchdog_enabled` advises);
    /// nil when systemd watches nothing, or watches another process (`$WATCHDOG_PID`).
    public let watchdogInterval: Duration?
    private let descriptor: Int32
    private let lock = NSLock()
    private var lastStatus: String?
    private var lastWatchdog: ContinuousClock.Instant?
    private var failureReported = false

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    ///
    /// `WATCHDOG_PID` may name this process or its parent (the kiosk inside cage, whose unit unsets it
    /// anyway); any other process means the watchdog is not ours to feed.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        var interval: Duration?
        if let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 {
            let pid = environment["WATCHDOG_PID"].flatMap { Int32($0) }
            if pid == nil || pid == getpid() || pid == getppid() {
                interval = .microseconds(Int64(usec / 2))
            }
        }
        watchdogInterval = path == nil ? nil : interval
        descriptor = path == nil ? -1 : socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// True when running under systemd with a notify socket.
    public var isActive: Bool { socketPath != nil && descriptor >= 0 }

    /// `READY=1` plus a status line: the unit counts as started.
    public func ready(status: String) {
        send("READY=1\nSTATUS=\(status)")
        lock.withLock { lastStatus = status }
    }

    /// `STOPPING=1` plus a status line: the kiosk is shutting down on purpose.
    public func stopping(status: String) {
        send("STOPPING=1\nSTATUS=\(status)")
    }

    /// `STATUS=…` (shown by `systemctl status`), sent only when it differs from the last one.
    public func status(_ text: String) {
        let changed = lock.withLock { () -> Bool in
            guard lastStatus != text else { return false }
            lastStatus = text
            return true
        }
        if changed { send("STATUS=\(text)") }
    }

    /// Sends `WATCHDOG=1` when half the watchdog time has passed since the last one. Call it from the render
    /// loop on every turn: if the loop freezes, the pings stop and systemd restarts the kiosk.
    /// Returns whether a ping was sent.
    @discardableResult
    public func watchdogIfDue(now: ContinuousClock.Instant = .now) -> Bool {
        guard let interval = watchdogInterval else { return false }
        let due = lock.withLock { () -> Bool in
            if let last = lastWatchdog, now - last < interval { return false }
            lastWatchdog = now
            return true
        }
        if due { send("WATCHDOG=1") }
        return due
    }

    /// How long the loop may sleep and still ping in time (the watchdog interval), in milliseconds; nil without a watchdog.
    public var watchdogIntervalMilliseconds: Int? {
        watchdogInterval.map { max(1, Int($0 / .milliseconds(1))) }
    }

    /// Sends one datagram; returns false (and reports the first failure on standard error) when it could not.
    @discardableResult
    public func send(_ message: String) -> Bool {
        guard let path = socketPath, descriptor >= 0 else { return false }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var name = Array(path.utf8)
        let abstract = name.first == UInt8(ascii: "@")
        if abstract { name[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard name.count < capacity, name.count > 1 || !abstract else {
            reportOnce("NOTIFY_SOCKET '\(path)' is not a usable socket name")
            return false
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: name)
            if !abstract { raw[name.count] = 0 }
        }
        // An abstract name has no terminating NUL: the length says where it ends.
        let length = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + name.count + (abstract ? 0 : 1)
        let bytes = Array(message.utf8)
        let sent = bytes.withUnsafeBytes { body in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, body.baseAddress, body.count, Int32(MSG_NOSIGNAL), $0, socklen_t(length))
                }
            }
        }
        guard sent == bytes.count else {
            reportOnce("cannot notify systemd at NOTIFY_SOCKET '\(path)': \(String(cString: strerror(errno)))")
            return false
        }
        return true
    }

    private func reportOnce(_ message: String) {
        let first = lock.withLock { () -> Bool in
            defer { failureReported = true }
            return !failureReported
        }
        if first { FileHandle.standardError.write(Data("hallkiosk: \(message)\n".utf8)) }
    }
}

extension KioskRunner {
    /// The `STATUS=` line `systemctl status hallkiosk` shows: the screen, and the hall server's last error.
    static func statusLine(screen: String, lastError: String?) -> String {
        guard let lastError, !lastError.isEmpty else { return "\(screen) screen" }
        return "\(screen) screen; hall server: \(lastError.prefix(120))"
    }
}
