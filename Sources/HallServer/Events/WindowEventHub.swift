import Foundation
import GRDB
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

/// Reading and writing the `windowEvent` table.
enum WindowEventStore {
    private static let encoder = HallJSON.encoder()
    private static let decoder = HallJSON.decoder()

    /// Appends an event inside the current transaction and returns it with its id.
    static func append(_ db: Database, type: WindowEventType, windowId: String, at: Date, ticket: EventTicket?,
                       staff: StaffSummary?) throws -> WindowEvent {
        var event = WindowEvent(id: 0, type: type, windowId: windowId, at: at, ticket: ticket, staff: staff)
        let payload = String(decoding: try encoder.encode(event), as: UTF8.self)
        try db.execute(sql: "INSERT INTO windowEvent (windowId, payload) VALUES (?, ?)", arguments: [windowId, payload])
        event.id = db.lastInsertedRowID
        return event
    }

    /// How many events one backlog read returns.
    static let pageSize = 500

    /// Events of a window after `afterId`, oldest first (at most `limit`).
    static func events(_ db: Database, windowId: String, after afterId: Int64, limit: Int = pageSize) throws -> [WindowEvent] {
        try Row.fetchAll(db, sql: "SELECT id, payload FROM windowEvent WHERE windowId = ? AND id > ? ORDER BY id LIMIT ?",
                         arguments: [windowId, afterId, limit]).compactMap { row in
            let payload: String = row["payload"]
            guard var event = try? decoder.decode(WindowEvent.self, from: Data(payload.utf8)) else { return nil }
            event.id = row["id"]
            return event
        }
    }

    /// The newest event id of a window (0 when none).
    static func latestId(_ db: Database, windowId: String) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM windowEvent WHERE windowId = ?", arguments: [windowId]) ?? 0
    }
}
