import Foundation

/// What the hall server notices about devices between heartbeats, kept in memory (a restart starts afresh;
/// devices report again within 30 s): device tokens it refused (and from where), the address each device's
/// accepted heartbeats come from, and since when a device's ratings outbox has not been empty. Keyed only by
/// configured device ids: its size is bounded by the hall's configuration.
final class DeviceWatch: @unchecked Sendable {
    /// A heartbeat refused for a device: when, and from which address.
    struct Refusal: Sendable, Equatable {
        var at: Date
        var address: String
    }

    private let lock = NSLock()
    private var refused: [String: Refusal] = [:]
    private var acceptedFrom: [String: String] = [:]
    private var outboxWaitingSince: [String: Date] = [:]

    /// A heartbeat for `deviceId` came from `address` with a token that is not that device's.
    func tokenRefused(deviceId: String, from address: String, at now: Date) {
        lock.withLock { refused[deviceId] = Refusal(at: now, address: address) }
    }

    /// A heartbeat was accepted: the token works again, and the outbox clock starts or stops.
    func heartbeat(deviceId: String, from address: String, outboxDepth: Int, at now: Date) {
        lock.withLock {
            refused[deviceId] = nil
            acceptedFrom[deviceId] = address
            if outboxDepth == 0 {
                outboxWaitingSince[deviceId] = nil
            } else if outboxWaitingSince[deviceId] == nil {
                outboxWaitingSince[deviceId] = now
            }
        }
    }

    /// The last refused heartbeat for `deviceId`, if none was accepted since.
    func lastRefusal(deviceId: String) -> Refusal? { lock.withLock { refused[deviceId] } }

    /// The address the device's last accepted heartbeat came from (nil before the first).
    func lastAddress(deviceId: String) -> String? { lock.withLock { acceptedFrom[deviceId] } }

    /// Since when the device's outbox has held ratings (nil when it was empty at the last heartbeat).
    func outboxWaitingSince(deviceId: String) -> Date? { lock.withLock { outboxWaitingSince[deviceId] } }
}
