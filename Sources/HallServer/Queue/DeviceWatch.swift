import Foundation

/// What the hall server notices about devices between heartbeats, kept in memory (a restart starts afresh;
/// devices report again within 30 s): device tokens it refused, and since when a device's ratings outbox
/// has not been empty.
final class DeviceWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var refusedAt: [String: Date] = [:]
    private var outboxWaitingSince: [String: Date] = [:]

    /// A heartbeat for `deviceId` came with a token that is not that device's.
    func tokenRefused(deviceId: String, at now: Date) {
        lock.withLock { refusedAt[deviceId] = now }
    }

    /// A heartbeat was accepted: the token works again, and the outbox clock starts or stops.
    func heartbeat(deviceId: String, outboxDepth: Int, at now: Date) {
        lock.withLock {
            refusedAt[deviceId] = nil
            if outboxDepth == 0 {
                outboxWaitingSince[deviceId] = nil
            } else if outboxWaitingSince[deviceId] == nil {
                outboxWaitingSince[deviceId] = now
            }
        }
    }

    /// When the last refused token for `deviceId` came, if none was accepted since.
    func lastRefusal(deviceId: String) -> Date? { lock.withLock { refusedAt[deviceId] } }

    /// Since when the device's outbox has held ratings (nil when it was empty at the last heartbeat).
    func outboxWaitingSince(deviceId: String) -> Date? { lock.withLock { outboxWaitingSince[deviceId] } }
}
