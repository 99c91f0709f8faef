import Foundation
import HallAPI
import PostgresNIO

extension PostgresHallStore {
    public func loginStaff(_ login: StaffLoginWrite, loggedOut: @escaping @Sendable (_ staffId: String, _ windowId: String) throws -> WindowEvent,
                           loggedIn: WindowEvent) async throws -> [WindowEvent] {
        let hallId = self.hallId
        return try await database.transaction("staff login") { tx in
            // The window and the staff member: two logins for either wait for each other (on any instance).
            try await tx.lock(hallId: hallId, "window:\(login.windowId)")
            try await tx.lock(hallId: hallId, "staff:\(login.staffId)")
            var events: [WindowEvent] = []
            let previous = try await tx.rows("""
                SELECT token_hash, staff_id, window_id FROM staff_session
                WHERE hall_id = \(hallId) AND ended_at IS NULL AND expires_at > \(login.at)
                  AND (window_id = \(login.windowId) OR staff_id = \(login.staffId))
                ORDER BY created_at
                FOR UPDATE
                """)
            for row in previous {
                let (tokenHash, staffId, windowId) = try row.decode((String, String, String).self)
                // Events of another window keep that window's order: take its lock too.
                if windowId != login.windowId { try await tx.lock(hallId: hallId, "window:\(windowId)") }
                try await tx.execute("UPDATE staff_session SET ended_at = \(login.at) WHERE hall_id = \(hallId) AND token_hash = \(tokenHash)")
                events.append(try await self.appendEvent(tx, loggedOut(staffId, windowId)))
            }
            try await tx.execute("""
                INSERT INTO staff_session (hall_id, token_hash, staff_id, window_id, created_at, expires_at)
                VALUES (\(hallId), \(login.tokenHash), \(login.staffId), \(login.windowId), \(login.at), \(login.expiresAt))
                """)
            events.append(try await self.appendEvent(tx, loggedIn))
            return events
        }
    }

    public func logoutStaff(tokenHash: String, at: Date, event: WindowEvent) async throws -> WindowEvent? {
        let hallId = self.hallId
        return try await database.transaction("staff logout") { tx in
            try await tx.lock(hallId: hallId, "window:\(event.windowId)")
            guard try await tx.first("""
                UPDATE staff_session SET ended_at = \(at) WHERE hall_id = \(hallId) AND token_hash = \(tokenHash) AND ended_at IS NULL
                RETURNING token_hash
                """) != nil else { return nil }
            return try await self.appendEvent(tx, event)
        }
    }

    public func openStaffSession(tokenHash: String, at: Date) async throws -> OpenStaffSession? {
        let hallId = self.hallId
        return try await database.read("staff session") { tx in
            guard let row = try await tx.first("""
                SELECT staff_id, window_id FROM staff_session
                WHERE hall_id = \(hallId) AND token_hash = \(tokenHash) AND ended_at IS NULL AND expires_at > \(at)
                """) else { return nil }
            let (staffId, windowId) = try row.decode((String, String).self)
            return OpenStaffSession(staffId: staffId, windowId: windowId)
        }
    }

    public func isFormerStaffToken(tokenHash: String) async throws -> Bool {
        let hallId = self.hallId
        return try await database.read("former staff token") { tx in
            try await tx.first("SELECT 1 FROM staff_session WHERE hall_id = \(hallId) AND token_hash = \(tokenHash)") != nil
        }
    }

    // MARK: Window events

    public func windowEvents(windowId: String, after: Int64?, limit: Int) async throws -> WindowEventSlice {
        let hallId = self.hallId
        return try await database.read("window events") { tx in
            let latest = try await self.latestEventId(tx, windowId: windowId)
            let horizon = try await tx.first("""
                SELECT value FROM server_state WHERE hall_id = \(hallId) AND key = 'windowEventsPrunedThrough'
                """).flatMap { Int64(try $0.decode(String.self)) } ?? 0
            guard let after else { return WindowEventSlice(events: [], latestId: latest, prunedThrough: horizon) }
            let events = try await tx.rows("""
                SELECT id, payload FROM window_event WHERE hall_id = \(hallId) AND window_id = \(windowId) AND id > \(after)
                ORDER BY id LIMIT \(limit)
                """).compactMap { row -> WindowEvent? in
                let (id, payload) = try row.decode((Int64, String).self)
                guard var event = try? Self.decoder.decode(WindowEvent.self, from: Data(payload.utf8)) else { return nil }
                event.id = id
                return event
            }
            return WindowEventSlice(events: events, latestId: latest, prunedThrough: horizon)
        }
    }

    public func pruneWindowEvents(before cutoff: Date, batch: Int) async throws -> Int {
        let hallId = self.hallId
        return try await database.transaction("prune window events") { tx in
            guard let newestOld = try await tx.first("""
                SELECT MAX(id) FROM window_event WHERE hall_id = \(hallId) AND created_at < \(cutoff)
                """)?.decode(Int64?.self) else { return 0 }
            // Ids grow with time: everything up to `newestOld` is old.
            let upTo = try await tx.first("""
                SELECT id FROM window_event WHERE hall_id = \(hallId) AND id <= \(newestOld) ORDER BY id LIMIT 1 OFFSET \(batch - 1)
                """)?.decode(Int64.self) ?? newestOld
            let deleted = try await tx.rows("DELETE FROM window_event WHERE hall_id = \(hallId) AND id <= \(upTo) RETURNING id").count
            try await self.raisePruneHorizon(tx, to: upTo)
            return deleted
        }
    }

    /// Moves `windowEventsPrunedThrough` up to `id` (never down; made the first time, portable upsert).
    private func raisePruneHorizon(_ tx: PostgresTransaction, to id: Int64) async throws {
        let hallId = self.hallId
        let key = "windowEventsPrunedThrough"
        let row = try await tx.first("SELECT value FROM server_state WHERE hall_id = \(hallId) AND key = \(key) FOR UPDATE")
        if let row {
            let stored = Int64(try row.decode(String.self)) ?? 0
            if id > stored {
                try await tx.execute("UPDATE server_state SET value = \(String(id)) WHERE hall_id = \(hallId) AND key = \(key)")
            }
            return
        }
        let made = try await tx.unlessDuplicate("horizon") {
            try await tx.execute("INSERT INTO server_state (hall_id, key, value) VALUES (\(hallId), \(key), \(String(id)))")
        }
        if made == nil { try await raisePruneHorizon(tx, to: id) }
    }
}
