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
    /// Per device, the newest refusal from each address (at most `maxAddresses` addresses: a stranger's made-up
    /// heartbeats cannot push out the device's own).
    private var refused: [String: [String: Date]] = [:]
    static let maxAddresses = 8
    private var acceptedFrom: [String: String] = [:]
    private var outboxWaitingSince: [String: Date] = [:]

    /// A heartbeat for `deviceId` came from `address` with a token that is not that device's.
    /// Returns true when this address had no refusal noted yet (worth one log line).
    @discardableResult
    func tokenRefused(deviceId: String, from address: String, at now: Date) -> Bool {
        lock.withLock {
            var byAddress = refused[deviceId] ?? [:]
            let isNew = byAddress[address] == nil
            if isNew, byAddress.count >= Self.maxAddresses, let oldest = byAddress.min(by: { $0.value < $1.value }) {
                byAddress[oldest.key] = nil
            }
            byAddress[address] = now
            refused[deviceId] = byAddress
            return isNew
        }
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

    /// The newest refused heartbeat for `deviceId` from one of `addresses`, if none was accepted since.
    func lastRefusal(deviceId: String, from addresses: Set<String>) -> Refusal? {
        lock.withLock {
            (refused[deviceId] ?? [:]).filter { addresses.contains($0.key) }.max { $0.value < $1.value }
                .map { Refusal(at: $0.value, address: $0.key) }
        }
    }

    /// Addresses that sent refused heartbeats for `deviceId` since its last accepted one.
    func refusingAddresses(deviceId: String) -> [String] { lock.withLock { Array((refused[deviceId] ?? [:]).keys).sorted() } }

    /// The address the device's last accepted heartbeat came from (nil before the first).
    func lastAddress(deviceId: String) -> String? { lock.withLock { acceptedFrom[deviceId] } }

    /// Since when the device's outbox has held ratings (nil when it was empty at the last heartbeat).
    func outboxWaitingSince(deviceId: String) -> Date? { lock.withLock { outboxWaitingSince[deviceId] } }
}
