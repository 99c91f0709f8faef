import Foundation
import HallAPI

/// Delivers committed window events to live subscribers (server-sent event streams).
public final class WindowEventHub: @unchecked Sendable {
    private let lock = NSLock()
    private var subscribers: [String: [UUID: AsyncStream<WindowEvent>.Continuation]] = [:]

    public init() {}

    /// A stream of the window's events published from now on. Cancel the task to unsubscribe.
    public func subscribe(windowId: String) -> AsyncStream<WindowEvent> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<WindowEvent>.makeStream(bufferingPolicy: .bufferingNewest(256))
        lock.withLock { subscribers[windowId, default: [:]][id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.lock.withLock { _ = self?.subscribers[windowId]?.removeValue(forKey: id) }
        }
        return stream
    }

    /// Hands committed events to every subscriber of their window.
    public func publish(_ events: [WindowEvent]) {
        guard !events.isEmpty else { return }
        let targets = lock.withLock { events.map { (subscribers[$0.windowId].map { Array($0.values) } ?? [], $0) } }
        for (continuations, event) in targets {
            for c in continuations { c.yield(event) }
        }
    }

    /// Live subscriber count (for metrics).
    public var subscriberCount: Int { lock.withLock { subscribers.values.reduce(0) { $0 + $1.count } } }
}
