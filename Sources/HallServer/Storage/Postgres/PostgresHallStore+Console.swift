import Foundation
import HallAPI
import PostgresNIO

extension PostgresHallStore {
    public func callTicket(_ move: WindowMove, ticketId: String,
                           target: @escaping @Sendable (StoredTicket?) throws -> Void) async throws -> WindowMoveResult {
        let hallId = self.hallId
        return try await database.transaction("call ticket") { tx in
            try await tx.lock(hallId: hallId, "window:\(move.windowId)")
            try move.check(try await self.ticket(tx, .current(windowId: move.windowId)))
            let found = try await self.ticket(tx, .id(ticketId), forUpdate: true)
            try target(found)
            guard var t = found else { throw HallError(.unknownTicket, "no ticket has id '\(ticketId)'") }
            try await tx.execute("""
                UPDATE ticket SET status = 'called', window_id = \(move.windowId), staff_id = \(move.staffId), called_at = \(move.at),
                    started_at = NULL, ended_at = NULL, recall_count = 0
                WHERE hall_id = \(hallId) AND serial = \(t.serial)
                """)
            if t.status == .waiting {
                // It leaves the queue: its waiting count (before the event lock, which is taken last).
                _ = try await PostgresQueueCounts.add(tx, hallId: hallId, day: t.hallDay, serviceId: t.serviceId, [t.rank: -1], written: true)
            }
            t.status = .called
            t.windowId = move.windowId
            t.staffId = move.staffId
            t.calledAt = move.at
            t.startedAt = nil
            t.endedAt = nil
            t.recallCount = 0
            return WindowMoveResult(ticket: t, event: try await self.appendEvent(tx, move.event(t)))
        }
    }

    public func undoNoShow(_ move: WindowMove, ticketId: String,
                           target: @escaping @Sendable (StoredTicket?) throws -> Void) async throws -> WindowMoveResult {
        let hallId = self.hallId
        return try await database.transaction("undo no-show") { tx in
            try await tx.lock(hallId: hallId, "window:\(move.windowId)")
            try move.check(try await self.ticket(tx, .current(windowId: move.windowId)))
            let found = try await self.ticket(tx, .id(ticketId), forUpdate: true)
            try target(found)
            guard var t = found else { throw HallError(.unknownTicket, "no ticket has id '\(ticketId)'") }
            try await tx.execute("""
                UPDATE ticket SET status = 'serving', started_at = \(move.at), ended_at = NULL, staff_id = \(move.staffId)
                WHERE hall_id = \(hallId) AND serial = \(t.serial)
                """)
            t.status = .serving
            t.startedAt = move.at
            t.endedAt = nil
            t.staffId = move.staffId
            return WindowMoveResult(ticket: t, event: try await self.appendEvent(tx, move.event(t)))
        }
    }

    public func requeue(ticketId: String, behind: Int, at: Date, check: @escaping @Sendable (StoredTicket?) throws -> Void,
                        event: (@Sendable (StoredTicket) -> WindowEvent)?) async throws -> RequeueResult {
        let hallId = self.hallId
        return try await database.transaction("requeue") { tx in
            // The window the ticket is at (if any) first, as every window move does; then the ticket's row.
            if let seen = try await self.ticket(tx, .id(ticketId)), let windowId = seen.windowId {
                try await tx.lock(hallId: hallId, "window:\(windowId)")
            }
            let found = try await self.ticket(tx, .id(ticketId), forUpdate: true)
            try check(found)
            guard var t = found else { throw HallError(.unknownTicket, "no ticket has id '\(ticketId)'") }
            // Places in the service's queue are given one at a time (a new ticket's place is after them all anyway).
            try await tx.lock(hallId: hallId, "queue:\(t.hallDay):\(t.serviceId)")
            // It joins the queue: its waiting count (before the event lock, which is taken last).
            _ = try await PostgresQueueCounts.add(tx, hallId: hallId, day: t.hallDay, serviceId: t.serviceId, [t.rank: 1], written: false)
            let appended: WindowEvent? = if let event { try await self.appendEvent(tx, event(t)) } else { nil }
            let places = try await tx.rows("""
                SELECT COALESCE(queue_order, serial) AS place FROM ticket
                WHERE hall_id = \(hallId) AND hall_day = \(t.hallDay) AND service_id = \(t.serviceId) AND rank = \(t.rank)
                  AND status = 'waiting' AND serial <> \(t.serial)
                ORDER BY place LIMIT \(behind + 1)
                """).map { try $0.decode(Double.self) }
            let order = QueuePlace.between(places, behind: behind, own: Double(t.serial))
            try await tx.execute("""
                UPDATE ticket SET status = 'waiting', queue_order = \(order), window_id = NULL, staff_id = NULL, called_at = NULL,
                    started_at = NULL, ended_at = NULL
                WHERE hall_id = \(hallId) AND serial = \(t.serial)
                """)
            t.status = .waiting
            t.queueOrder = order
            t.windowId = nil
            t.staffId = nil
            t.calledAt = nil
            t.startedAt = nil
            t.endedAt = nil
            let ahead = try await tx.first("""
                SELECT COUNT(*) FROM ticket
                WHERE hall_id = \(hallId) AND hall_day = \(t.hallDay) AND status = 'waiting' AND service_id = \(t.serviceId)
                  AND (rank < \(t.rank) OR (rank = \(t.rank) AND COALESCE(queue_order, serial) < \(order)))
                """)?.decode(Int.self) ?? 0
            return RequeueResult(ticket: t, ahead: ahead, event: appended)
        }
    }

    public func setWindowBreak(windowId: String, reason: String?, at: Date,
                               event: @escaping @Sendable (_ staffId: String) -> WindowEvent) async throws -> WindowEvent? {
        let hallId = self.hallId
        return try await database.transaction("window break") { tx in
            try await tx.lock(hallId: hallId, "window:\(windowId)")
            guard let row = try await tx.first("""
                SELECT token_hash, staff_id, break_reason FROM staff_session
                WHERE hall_id = \(hallId) AND window_id = \(windowId) AND ended_at IS NULL AND expires_at > \(at)
                ORDER BY created_at DESC LIMIT 1 FOR UPDATE
                """) else { return nil }
            let (tokenHash, staffId, current) = try row.decode((String, String, String?).self)
            // Ending no break, or starting the break the window is on (same reason): nothing changes.
            if reason == current { return nil }
            let since: Date? = reason == nil ? nil : at
            try await tx.execute("""
                UPDATE staff_session SET break_reason = \(reason), break_since = \(since)
                WHERE hall_id = \(hallId) AND token_hash = \(tokenHash)
                """)
            return try await self.appendEvent(tx, event(staffId))
        }
    }

    public func setHeldServices(windowId: String, holds: [WindowServiceHold]) async throws -> Bool {
        let hallId = self.hallId
        let held = HeldServicesColumn.encode(holds)
        return try await database.transaction("held services") { tx in
            try await tx.first("""
                UPDATE staff_session SET held_services = \(held)
                WHERE hall_id = \(hallId) AND window_id = \(windowId) AND ended_at IS NULL RETURNING token_hash
                """) != nil
        }
    }

    public func pauseService(serviceId: String, note: ServicePauseNote, at: Date, by actor: String) async throws {
        let hallId = self.hallId
        try await database.transaction("pause service with a note") { tx in
            try await tx.lock(hallId: hallId, "pause:\(serviceId)")
            if try await tx.first("""
                UPDATE service_pause SET reason = \(note.reason), until_at = \(note.until)
                WHERE hall_id = \(hallId) AND service_id = \(serviceId) RETURNING service_id
                """) == nil {
                try await tx.execute("""
                    INSERT INTO service_pause (hall_id, service_id, paused_at, paused_by, reason, until_at)
                    VALUES (\(hallId), \(serviceId), \(at), \(actor), \(note.reason), \(note.until))
                    """)
            }
        }
    }

    public func consoleSnapshot(_ q: ConsoleQuery) async throws -> ConsoleSnapshot {
        let hallId = self.hallId
        return try await database.read("console snapshot") { tx in
            let waiting = try await tx.rows("""
                SELECT \(unescaped: Self.ticketColumns) FROM ticket
                WHERE hall_id = \(hallId) AND hall_day = ANY(\(q.hallDays)) AND status = 'waiting' AND service_id = ANY(\(q.serviceIds))
                ORDER BY hall_day, rank, COALESCE(queue_order, serial) LIMIT \(q.limit)
                """).map(Self.ticket)
            let total = try await tx.first("""
                SELECT COUNT(*) FROM ticket
                WHERE hall_id = \(hallId) AND hall_day = ANY(\(q.hallDays)) AND status = 'waiting' AND service_id = ANY(\(q.serviceIds))
                """)?.decode(Int.self) ?? 0
            let served = try await tx.first("""
                SELECT COUNT(*) FROM ticket
                WHERE hall_id = \(hallId) AND window_id = \(q.windowId) AND status = 'completed' AND hall_day = \(q.today)
                """)?.decode(Int.self) ?? 0
            let missed = try await tx.rows("""
                SELECT \(unescaped: Self.ticketColumns) FROM ticket
                WHERE hall_id = \(hallId) AND window_id = \(q.windowId) AND status = 'noShow' AND ended_at >= \(q.missedSince)
                ORDER BY ended_at DESC LIMIT 20
                """).map(Self.ticket)
            let session = try await tx.first("""
                SELECT break_reason, break_since, held_services FROM staff_session
                WHERE hall_id = \(hallId) AND window_id = \(q.windowId) AND ended_at IS NULL AND expires_at > \(q.at)
                ORDER BY created_at DESC LIMIT 1
                """)
            let (reason, since, held) = try session?.decode((String?, Date?, String?).self) ?? (nil, nil, nil)
            let holds = HeldServicesColumn.decode(held, at: q.at)
            return ConsoleSnapshot(waiting: waiting, waitingTotal: total, servedToday: served, missed: missed, breakReason: reason,
                                   breakSince: since?.wholeMilliseconds, heldServiceIds: holds.map(\.serviceId), holds: holds)
        }
    }
}
