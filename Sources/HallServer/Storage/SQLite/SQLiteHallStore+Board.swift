import Foundation
import GRDB
import HallAPI

/// The calling displays' reads: every window's events at once.
extension SQLiteHallStore {
    public func hallEvents(after: Int64?, limit: Int) async throws -> WindowEventSlice {
        try await database.read { db in
            let events = try after.map { after in
                try WindowEventStore.decoded(Row.fetchAll(db, sql: "SELECT id, payload FROM windowEvent WHERE id > ? ORDER BY id LIMIT ?",
                                                          arguments: [after, limit]))
            } ?? []
            let latest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM windowEvent") ?? 0
            return WindowEventSlice(events: events, latestId: latest, prunedThrough: try WindowEventStore.prunedThrough(db))
        }
    }

    public func latestHallEvents(limit: Int) async throws -> [WindowEvent] {
        try await database.read { db in
            try WindowEventStore.decoded(Row.fetchAll(db, sql: "SELECT id, payload FROM windowEvent ORDER BY id DESC LIMIT ?",
                                                      arguments: [limit]))
        }
    }
}
