import Foundation
import HallAPI

/// Wakes the live subscribers (server-sent event streams) when window events are committed: the subscribers of the
/// event's window, and the hall-wide ones (calling displays, phone pages), which also hear when waiting counts change.
///
/// What a subscriber gets is a wake-up: the id of the newest committed event known here. Streams read the events
/// themselves from the store, after the last id they sent, so a wake-up carries no data that could be lost or come
/// out of order. Wake-ups come from this server's own commits (`publish(_:)`) and, on a store several instances
/// share, from the other instances' commits (`WindowEventRelay`).
///
/// Per window, event ids are committed in order on every store (SQLite has one writer; PostgreSQL appends each
/// window's events under that window's row lock), so when event N of a window is committed, so is every earlier
/// one: a wake-up for N that is not newer than one already given for its window adds nothing and is dropped.
public final class WindowEventHub: @unchecked Sendable {
    private let lock = NSLock()
    private var subscribers: [String: [UUID: AsyncStream<Int64>.Continuation]] = [:]
    /// Hall-wide subscribers (the calling displays' streams): every window's events and queue changes.
    private var hallSubscribers: [UUID: AsyncStream<HallSignal>.Continuation] = [:]
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

    /// Wakes the subscribers of the windows of `events` and the hall-wide ones: committed by this server.
    public func publish(_ events: [WindowEvent]) {
        for event in events { wake(windowId: event.windowId, eventId: event.id) }
    }

    /// Wakes the subscribers of `windowId` and the hall-wide ones: the window's events up to `eventId` are committed.
    /// Ignored when a wake-up for that id or a newer one was given already.
    public func wake(windowId: String, eventId: Int64) {
        let (targets, hall): ([AsyncStream<Int64>.Continuation], [AsyncStream<HallSignal>.Continuation]) = lock.withLock {
            if let known = newest[windowId], known >= eventId { return ([], []) }
            newest[windowId] = eventId
            return (subscribers[windowId].map { Array($0.values) } ?? [], Array(hallSubscribers.values))
        }
        for c in targets { c.yield(eventId) }
        for c in hall { c.yield(.event(windowId: windowId, id: eventId)) }
    }

    /// What a hall-wide subscriber hears.
    public enum HallSignal: Sendable {
        /// A window event was committed (the window's events up to `id`).
        case event(windowId: String, id: Int64)
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

    /// Windows with at least one live subscriber of their own.
    public var subscribedWindows: [String] {
        lock.withLock { subscribers.filter { !$0.value.isEmpty }.map(\.key).sorted() }
    }

    /// True while a hall-wide subscriber listens (the relay then catches up on every window).
    public var hasHallSubscribers: Bool { lock.withLock { !hallSubscribers.isEmpty } }

    /// Live subscriber count (for metrics).
    public var subscriberCount: Int { lock.withLock { subscribers.values.reduce(0) { $0 + $1.count } + hallSubscribers.count } }
}
