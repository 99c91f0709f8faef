import Foundation
import HallAPI
import PostgresNIO

/// The calling displays' reads: every window's events of the hall at once.
extension PostgresHallStore {
    public func hallEvents(after: Int64?, limit: Int) async throws -> WindowEventSlice {
        let hallId = self.hallId
        return try await database.read("hall events") { tx in
            let latest = try await tx.first("SELECT MAX(id) FROM window_event WHERE hall_id = \(hallId)")?.decode(Int64?.self) ?? 0
            let horizon = try await tx.first("""
                SELECT value FROM server_state WHERE hall_id = \(hallId) AND key = 'windowEventsPrunedThrough'
                """).flatMap { Int64(try $0.decode(String.self)) } ?? 0
            guard let after else { return WindowEventSlice(events: [], latestId: latest, prunedThrough: horizon) }
            let rows = try await tx.rows("""
                SELECT id, payload FROM window_event WHERE hall_id = \(hallId) AND id > \(after) ORDER BY id LIMIT \(limit)
                """)
            return WindowEventSlice(events: try Self.events(rows), latestId: latest, prunedThrough: horizon)
        }
    }

    public func latestHallEvents(limit: Int) async throws -> [WindowEvent] {
        let hallId = self.hallId
        return try await database.read("latest hall events") { tx in
            try Self.events(try await tx.rows("""
                SELECT id, payload FROM window_event WHERE hall_id = \(hallId) ORDER BY id DESC LIMIT \(limit)
                """))
        }
    }

    /// Events from `id, payload` rows, in the rows' order (an unreadable payload is skipped).
    static func events(_ rows: [PostgresRow]) throws -> [WindowEvent] {
        try rows.compactMap { row -> WindowEvent? in
            let (id, payload) = try row.decode((Int64, String).self)
            guard var event = try? decoder.decode(WindowEvent.self, from: Data(payload.utf8)) else { return nil }
            event.id = id
            return event
        }
    }
}
