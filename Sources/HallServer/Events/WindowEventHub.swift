import Foundation
import HallAPI

/// Delivers committed window events to live subscribers (server-sent event streams).
public final class WindowEventHub: @unchecked Sendable {
    private let lock = NSLock()
    private var subscribers: [String: [UUID: AsyncStream<WindowEvent>.Continuation]] = [:]
    /// Hall-wide subscribers (the calling displays' streams): every window's events and queue changes.
    private var hallSubscribers: [UUID: AsyncStream<HallSignal>.Continuation] = [:]

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

    /// Hands committed events to every subscriber of their window and to the hall-wide ones.
    public func publish(_ events: [WindowEvent]) {
        guard !events.isEmpty else { return }
        let (targets, hall) = lock.withLock {
            (events.map { (subscribers[$0.windowId].map { Array($0.values) } ?? [], $0) }, Array(hallSubscribers.values))
        }
        for (continuations, event) in targets {
            for c in continuations { c.yield(event) }
        }
        for c in hall {
            for event in events { c.yield(.event(event)) }
        }
    }

    /// What a hall-wide subscriber hears.
    public enum HallSignal: Sendable {
        /// A window event was committed.
        case event(WindowEvent)
        /// Waiting counts changed (a ticket was issued).
        case queuesChanged
    }

    /// Every window's events and every change of the waiting counts from now on. Cancel the task to unsubscribe.
    public func subscribeHall() -> AsyncStream<HallSignal> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<HallSignal>.makeStream(bufferingPolicy: .bufferingNewest(256))
        lock.withLock { hallSubscribers[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.lock.withLock { _ = self?.hallSubscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Tells the hall-wide subscribers that waiting counts changed.
    public func publishQueuesChanged() {
        let hall = lock.withLock { Array(hallSubscribers.values) }
        for c in hall { c.yield(.queuesChanged) }
    }

    /// Live subscriber count (for metrics).
    public var subscriberCount: Int { lock.withLock { subscribers.values.reduce(0) { $0 + $1.count } + hallSubscribers.count } }
}
