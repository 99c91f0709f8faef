import Foundation
import GRDB
import HallAPI

/// Reading and writing the `windowEvent` table.
enum WindowEventStore {
    private static let encoder = HallJSON.encoder()
    private static let decoder = HallJSON.decoder()

    /// Appends an event inside the current transaction and returns it with its id.
    static func append(_ db: Database, type: WindowEventType, windowId: String, at: Date, ticket: EventTicket?,
                       staff: StaffSummary?) throws -> WindowEvent {
        try append(db, WindowEvent(id: 0, type: type, windowId: windowId, at: at, ticket: ticket, staff: staff))
    }

    /// Appends `event` (its `id` ignored) inside the current transaction and returns it with its id.
    static func append(_ db: Database, _ event: WindowEvent) throws -> WindowEvent {
        var event = event
        event.id = 0
        let payload = String(decoding: try encoder.encode(event), as: UTF8.self)
        try db.execute(sql: "INSERT INTO windowEvent (windowId, payload, createdAt) VALUES (?, ?, ?)",
                       arguments: [event.windowId, payload, event.at])
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

    /// Events from `id, payload` rows, in the rows' order (an unreadable payload is skipped).
    static func decoded(_ rows: [Row]) -> [WindowEvent] {
        rows.compactMap { row in
            let payload: String = row["payload"]
            guard var event = try? decoder.decode(WindowEvent.self, from: Data(payload.utf8)) else { return nil }
            event.id = row["id"]
            return event
        }
    }

    /// Every event id up to this one may have been pruned (0: nothing pruned yet). A resume from
    /// before it cannot be replayed in full.
    static func prunedThrough(_ db: Database) throws -> Int64 {
        try String.fetchOne(db, sql: "SELECT value FROM serverState WHERE key = 'windowEventsPrunedThrough'").flatMap { Int64($0) } ?? 0
    }

    /// Deletes up to `batch` of the oldest events, all written before `cutoff`, and moves the prune horizon.
    /// - Returns: how many were deleted (0: nothing older is left).
    static func prune(_ db: Database, before cutoff: Date, batch: Int) throws -> Int {
        guard let newestOld = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM windowEvent WHERE createdAt < ?", arguments: [cutoff]) else {
            return 0
        }
        // Ids grow with time: everything up to `newestOld` is old (also events from before v3, which carry no time).
        let upTo = try Int64.fetchOne(db, sql: "SELECT id FROM windowEvent WHERE id <= ? ORDER BY id LIMIT 1 OFFSET ?",
                                      arguments: [newestOld, batch - 1]) ?? newestOld
        try db.execute(sql: "DELETE FROM windowEvent WHERE id <= ?", arguments: [upTo])
        let deleted = db.changesCount
        try db.execute(sql: """
            INSERT INTO serverState (key, value) VALUES ('windowEventsPrunedThrough', ?)
            ON CONFLICT (key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))
            """, arguments: [String(upTo)])
        return deleted
    }

    /// The newest event id of a window (0 when none).
    static func latestId(_ db: Database, windowId: String) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM windowEvent WHERE windowId = ?", arguments: [windowId]) ?? 0
    }
}
