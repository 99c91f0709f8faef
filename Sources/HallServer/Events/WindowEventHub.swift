import Foundation
import HallAPI

/// Wakes the live subscribers of a window (server-sent event streams) when an event of that window is committed.
///
/// What a subscriber gets is a wake-up: the id of the newest committed event of its window known here. Streams read
/// the events themselves from the store (`WindowEventStreamer`), after the last id they sent, so a wake-up carries no
/// data that could be lost or come out of order. Wake-ups come from this server's own commits (`publish(_:)`) and,
/// on a store several instances share, from the other instances' commits (`WindowEventRelay`).
///
/// Per window, event ids are committed in order on every store (SQLite has one writer; PostgreSQL appends each
/// window's events under that window's row lock), so when event N of a window is committed, so is every earlier
/// one: a wake-up for N that is not newer than one already given adds nothing and is dropped.
public final class WindowEventHub: @unchecked Sendable {
    private let lock = NSLock()
    private var subscribers: [String: [UUID: AsyncStream<Int64>.Continuation]] = [:]
    /// The newest event id woken for, per window that had a wake-up.
    private var newest: [String: Int64] = [:]

    public init() {}

    /// Wake-ups (event ids) for the window's events committed from now on. Cancel the task to unsubscribe.
    public func subscribe(windowId: String) -> AsyncStream<Int64> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Int64>.makeStream(bufferingPolicy: .bufferingNewest(256))
        lock.withLock { subscribers[windowId, default: [:]][id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.lock.withLock { _ = self?.subscribers[windowId]?.removeValue(forKey: id) }
        }
        return stream
    }

    /// Wakes the subscribers of the windows of `events`, committed by this server.
    public func publish(_ events: [WindowEvent]) {
        for event in events { wake(windowId: event.windowId, eventId: event.id) }
    }

    /// Wakes the subscribers of `windowId`: its events up to `eventId` are committed. Ignored when a wake-up for that
    /// id or a newer one was given already.
    public func wake(windowId: String, eventId: Int64) {
        let targets: [AsyncStream<Int64>.Continuation] = lock.withLock {
            if let known = newest[windowId], known >= eventId { return [] }
            newest[windowId] = eventId
            return subscribers[windowId].map { Array($0.values) } ?? []
        }
        for c in targets { c.yield(eventId) }
    }

    /// Windows with at least one live subscriber.
    public var subscribedWindows: [String] {
        lock.withLock { subscribers.filter { !$0.value.isEmpty }.map(\.key).sorted() }
    }

    /// Live subscriber count (for metrics).
    public var subscriberCount: Int { lock.withLock { subscribers.values.reduce(0) { $0 + $1.count } } }
}
