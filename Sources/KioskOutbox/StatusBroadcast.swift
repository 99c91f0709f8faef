import Foundation

/// Hands the newest `OutboxStatus` to every subscriber (UI, heartbeat, admin screen).
final class StatusBroadcast: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: OutboxStatus?
    private var subscribers: [UUID: AsyncStream<OutboxStatus>.Continuation] = [:]

    /// The newest status so far first (if any), then every change. Slow readers see only the newest.
    func subscribe() -> AsyncStream<OutboxStatus> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<OutboxStatus>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let current: OutboxStatus? = lock.withLock {
            subscribers[id] = continuation
            return latest
        }
        if let current { continuation.yield(current) }
        continuation.onTermination = { [weak self] _ in
            self?.lock.withLock { _ = self?.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Publishes `status` when it differs from the last one.
    func publish(_ status: OutboxStatus) {
        let targets: [AsyncStream<OutboxStatus>.Continuation] = lock.withLock {
            guard status != latest else { return [] }
            latest = status
            return Array(subscribers.values)
        }
        for c in targets { c.yield(status) }
    }

    var current: OutboxStatus? { lock.withLock { latest } }

    func finish() {
        let targets = lock.withLock { () -> [AsyncStream<OutboxStatus>.Continuation] in
            defer { subscribers.removeAll() }
            return Array(subscribers.values)
        }
        for c in targets { c.finish() }
    }
}
