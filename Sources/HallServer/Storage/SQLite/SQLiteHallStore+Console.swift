import Foundation
import GRDB
import HallAPI

extension SQLiteHallStore {
    public func callTicket(_ move: WindowMove, ticketId: String,
                           target: @escaping @Sendable (StoredTicket?) throws -> Void) async throws -> WindowMoveResult {
        try await database.write { db in
            try move.check(try StoredTicket.current(db, windowId: move.windowId))
            let found = try StoredTicket.fetch(db, where: "id = ?", [ticketId])
            try target(found)
            guard var t = found else { throw HallError(.unknownTicket, "no ticket has id '\(ticketId)'") }
            if t.status == .waiting { try QueueCounts.add(db, day: t.hallDay, serviceId: t.serviceId, rank: t.rank, -1) }
            try db.execute(sql: """
                UPDATE ticket SET status = 'called', windowId = ?, staffId = ?, calledAt = ?, startedAt = NULL, endedAt = NULL,
                    recallCount = 0 WHERE serial = ?
                """, arguments: [move.windowId, move.staffId, move.at, t.serial])
            t.status = .called
            t.windowId = move.windowId
            t.staffId = move.staffId
            t.calledAt = move.at
            t.startedAt = nil
            t.endedAt = nil
            t.recallCount = 0
            return WindowMoveResult(ticket: t, event: try WindowEventStore.append(db, move.event(t)))
        }
    }

    public func undoNoShow(_ move: WindowMove, ticketId: String,
                           target: @escaping @Sendable (StoredTicket?) throws -> Void) async throws -> WindowMoveResult {
        try await database.write { db in
            try move.check(try StoredTicket.current(db, windowId: move.windowId))
            let found = try StoredTicket.fetch(db, where: "id = ?", [ticketId])
            try target(found)
            guard var t = found else { throw HallError(.unknownTicket, "no ticket has id '\(ticketId)'") }
            try db.execute(sql: "UPDATE ticket SET status = 'serving', startedAt = ?, endedAt = NULL, staffId = ? WHERE serial = ?",
                           arguments: [move.at, move.staffId, t.serial])
            t.status = .serving
            t.startedAt = move.at
            t.endedAt = nil
            t.staffId = move.staffId
            return WindowMoveResult(ticket: t, event: try WindowEventStore.append(db, move.event(t)))
        }
    }

    public func requeue(ticketId: String, behind: Int, at: Date, check: @escaping @Sendable (StoredTicket?) throws -> Void,
                        event: (@Sendable (StoredTicket) -> WindowEvent)?) async throws -> RequeueResult {
        try await database.write { db in
            let found = try StoredTicket.fetch(db, where: "id = ?", [ticketId])
            try check(found)
            guard var t = found else { throw HallError(.unknownTicket, "no ticket has id '\(ticketId)'") }
            let appended = try event.map { try WindowEventStore.append(db, $0(t)) }
            let places = try Double.fetchAll(db, sql: """
                SELECT COALESCE(queueOrder, serial) AS place FROM ticket
                WHERE hallDay = ? AND serviceId = ? AND rank = ? AND status = 'waiting' AND serial != ?
                ORDER BY place LIMIT ?
                """, arguments: [t.hallDay, t.serviceId, t.rank, t.serial, behind + 1])
            let order = QueuePlace.between(places, behind: behind, own: Double(t.serial))
            try db.execute(sql: """
                UPDATE ticket SET status = 'waiting', queueOrder = ?, windowId = NULL, staffId = NULL, calledAt = NULL,
                    startedAt = NULL, endedAt = NULL WHERE serial = ?
                """, arguments: [order, t.serial])
            try QueueCounts.add(db, day: t.hallDay, serviceId: t.serviceId, rank: t.rank, 1)
            t.status = .waiting
            t.queueOrder = order
            t.windowId = nil
            t.staffId = nil
            t.calledAt = nil
            t.startedAt = nil
            t.endedAt = nil
            return RequeueResult(ticket: t, ahead: try t.waitingAhead(db), event: appended)
        }
    }

    public func setWindowBreak(windowId: String, reason: String?, at: Date,
                               event: @escaping @Sendable (_ staffId: String) -> WindowEvent) async throws -> WindowEvent? {
        try await database.write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT tokenHash, staffId, breakReason FROM staffSession WHERE windowId = ? AND endedAt IS NULL AND expiresAt > ?
                ORDER BY createdAt DESC LIMIT 1
                """, arguments: [windowId, at]) else { return nil }
            // Ending no break, or starting the break the window is on (same reason): nothing changes.
            if reason == (row["breakReason"] as String?) { return nil }
            try db.execute(sql: "UPDATE staffSession SET breakReason = ?, breakSince = ? WHERE tokenHash = ?",
                           arguments: [reason, reason == nil ? nil : at, row["tokenHash"] as String])
            return try WindowEventStore.append(db, event(row["staffId"]))
        }
    }

    public func setHeldServices(windowId: String, holds: [WindowServiceHold]) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: """
                UPDATE staffSession SET heldServices = ? WHERE windowId = ? AND endedAt IS NULL
                """, arguments: [HeldServicesColumn.encode(holds), windowId])
            return db.changesCount > 0
        }
    }

    public func pauseService(serviceId: String, note: ServicePauseNote, at: Date, by actor: String) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO servicePause (serviceId, pausedAt, pausedBy, reason, until) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (serviceId) DO UPDATE SET reason = excluded.reason, until = excluded.until
                """, arguments: [serviceId, at, actor, note.reason, note.until])
        }
    }

    public func consoleSnapshot(_ q: ConsoleQuery) async throws -> ConsoleSnapshot {
        try await database.read { db in
            let days = Self.placeholders(q.hallDays.count)
            let services = Self.placeholders(q.serviceIds.count)
            var args = StatementArguments(q.hallDays)
            args += StatementArguments(q.serviceIds)
            let waiting = try Row.fetchAll(db, sql: """
                \(StoredTicket.select) WHERE hallDay IN (\(days)) AND status = 'waiting' AND serviceId IN (\(services))
                ORDER BY hallDay, rank, COALESCE(queueOrder, serial) LIMIT ?
                """, arguments: args + [q.limit]).map(StoredTicket.init(row:))
            let total = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM ticket WHERE hallDay IN (\(days)) AND status = 'waiting' AND serviceId IN (\(services))
                """, arguments: args) ?? 0
            let served = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM ticket WHERE windowId = ? AND status = 'completed' AND hallDay = ?
                """, arguments: [q.windowId, q.today]) ?? 0
            let missed = try Row.fetchAll(db, sql: """
                \(StoredTicket.select) WHERE windowId = ? AND status = 'noShow' AND endedAt >= ? ORDER BY endedAt DESC LIMIT 20
                """, arguments: [q.windowId, q.missedSince]).map(StoredTicket.init(row:))
            let session = try Row.fetchOne(db, sql: """
                SELECT breakReason, breakSince, heldServices FROM staffSession WHERE windowId = ? AND endedAt IS NULL AND expiresAt > ?
                ORDER BY createdAt DESC LIMIT 1
                """, arguments: [q.windowId, q.at])
            let holds = HeldServicesColumn.decode(session?["heldServices"], at: q.at)
            return ConsoleSnapshot(waiting: waiting, waitingTotal: total, servedToday: served, missed: missed,
                                   breakReason: session?["breakReason"], breakSince: session?["breakSince"],
                                   heldServiceIds: holds.map(\.serviceId), holds: holds)
        }
    }
}

/// Where a ticket put back in the queue stands: a place between two waiting tickets' places (serials, or earlier
/// places given this way), so nobody else moves.
enum QueuePlace {
    /// The place behind `behind` of `places` (the first waiting tickets' places, ascending, at most `behind + 1`):
    /// halfway to the next one; behind the last when fewer wait; the ticket's own serial when nobody waits.
    static func between(_ places: [Double], behind: Int, own: Double) -> Double {
        guard !places.isEmpty else { return own }
        if behind == 0 { return places[0] - 0.5 }
        if places.count <= behind { let last = places[places.count - 1]; return (last + last.rounded(.down) + 1) / 2 }
        return (places[behind - 1] + places[behind]) / 2
    }
}
