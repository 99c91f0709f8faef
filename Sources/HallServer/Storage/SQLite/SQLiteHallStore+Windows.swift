import Foundation
import GRDB
import HallAPI

extension SQLiteHallStore {
    /// Runs a window move: reads the window's current ticket, lets `move.check` judge it, then `body` writes.
    private func atWindow<T: Sendable>(_ move: WindowMove,
                                       _ body: @escaping @Sendable (Database, StoredTicket?) throws -> T) async throws -> T {
        try await database.write { db in
            let current = try StoredTicket.current(db, windowId: move.windowId)
            try move.check(current)
            return try body(db, current)
        }
    }

    /// The current ticket a move (other than call-next) needs; `check` refuses a window without one, so this only
    /// answers a check that let it through.
    private static func required(_ current: StoredTicket?, _ move: WindowMove) throws -> StoredTicket {
        guard let current else { throw HallError(.invalidTransition, "window \(move.windowId) has no called ticket") }
        return current
    }

    private static func appended(_ db: Database, _ move: WindowMove, _ ticket: StoredTicket) throws -> WindowEvent {
        try WindowEventStore.append(db, move.event(ticket))
    }

    public func callNext(_ move: WindowMove, hallDays: [String], serviceIds: [String],
                         appointmentsInARow: Int) async throws -> WindowMoveResult? {
        try await atWindow(move) { db, _ in
            guard var next = try Self.nextToCall(db, hallDays: hallDays, serviceIds: serviceIds,
                                                 appointmentsInARow: appointmentsInARow) else { return nil }
            try db.execute(sql: "UPDATE ticket SET status = 'called', windowId = ?, staffId = ?, calledAt = ? WHERE serial = ?",
                           arguments: [move.windowId, move.staffId, move.at, next.serial])
            try QueueCounts.add(db, day: next.hallDay, serviceId: next.serviceId, rank: next.rank, -1)
            next.status = .called
            next.windowId = move.windowId
            next.staffId = move.staffId
            next.calledAt = move.at
            return WindowMoveResult(ticket: next, event: try Self.appended(db, move, next))
        }
    }

    /// The ticket call-next calls: the queue's head (earlier days, then rank, then place), unless it is an appointment
    /// ticket and its service owes its longest-waiting walk-in the call (`AppointmentFairness`).
    private static func nextToCall(_ db: Database, hallDays: [String], serviceIds: [String],
                                   appointmentsInARow: Int) throws -> StoredTicket? {
        let days = placeholders(hallDays.count)
        var args = StatementArguments(hallDays)
        args += StatementArguments(serviceIds)
        guard let head = try StoredTicket.fetch(db, where: """
            hallDay IN (\(days)) AND status = 'waiting' AND serviceId IN (\(placeholders(serviceIds.count)))
            ORDER BY hallDay, rank, COALESCE(queueOrder, serial) LIMIT 1
            """, args) else { return nil }
        guard head.priority == .appointment, appointmentsInARow > 0,
              let walkIn = try StoredTicket.fetch(db, where: """
                hallDay IN (\(days)) AND status = 'waiting' AND serviceId = ? AND priority IS NULL
                ORDER BY hallDay, COALESCE(queueOrder, serial) LIMIT 1
                """, StatementArguments(hallDays) + [head.serviceId]) else { return head }
        let recent = try String?.fetchAll(db, sql: """
            SELECT priority FROM ticket
            WHERE hallDay IN (\(days)) AND serviceId = ? AND calledAt >= ? AND (priority IS NULL OR priority = 'appointment')
            ORDER BY calledAt DESC, serial DESC LIMIT ?
            """, arguments: StatementArguments(hallDays) + [head.serviceId, walkIn.issuedAt, appointmentsInARow])
        let owed = AppointmentFairness.walkInIsOwed(recentCalls: recent.map { $0.flatMap(PriorityKind.init(rawValue:)) },
                                                    limit: appointmentsInARow)
        return owed ? walkIn : head
    }

    public func recall(_ move: WindowMove) async throws -> WindowMoveResult {
        try await atWindow(move) { db, current in
            var c = try Self.required(current, move)
            try db.execute(sql: "UPDATE ticket SET recallCount = recallCount + 1 WHERE serial = ?", arguments: [c.serial])
            c.recallCount += 1
            return WindowMoveResult(ticket: c, event: try Self.appended(db, move, c))
        }
    }

    public func startService(_ move: WindowMove) async throws -> WindowMoveResult {
        try await atWindow(move) { db, current in
            var c = try Self.required(current, move)
            try db.execute(sql: "UPDATE ticket SET status = 'serving', startedAt = ?, staffId = ? WHERE serial = ?",
                           arguments: [move.at, move.staffId, c.serial])
            c.status = .serving
            c.startedAt = move.at
            c.staffId = move.staffId
            return WindowMoveResult(ticket: c, event: try Self.appended(db, move, c))
        }
    }

    public func complete(_ move: WindowMove) async throws -> WindowMoveResult {
        try await atWindow(move) { db, current in
            var c = try Self.required(current, move)
            let started = c.startedAt ?? c.calledAt ?? move.at
            try db.execute(sql: """
                UPDATE ticket SET status = 'completed', startedAt = ?, completedAt = ?, endedAt = ?, staffId = ? WHERE serial = ?
                """, arguments: [started, move.at, move.at, move.staffId, c.serial])
            c.status = .completed
            c.startedAt = started
            c.completedAt = move.at
            c.endedAt = move.at
            c.staffId = move.staffId
            return WindowMoveResult(ticket: c, event: try Self.appended(db, move, c))
        }
    }

    public func noShow(_ move: WindowMove) async throws -> WindowMoveResult {
        try await atWindow(move) { db, current in
            var c = try Self.required(current, move)
            try db.execute(sql: "UPDATE ticket SET status = 'noShow', endedAt = ? WHERE serial = ?", arguments: [move.at, c.serial])
            c.status = .noShow
            c.endedAt = move.at
            return WindowMoveResult(ticket: c, event: try Self.appended(db, move, c))
        }
    }

    public func transfer(_ move: WindowMove, toServiceId serviceId: String) async throws -> WindowMoveResult {
        try await atWindow(move) { db, current in
            var c = try Self.required(current, move)
            // The event names the ticket where it was; the ticket keeps its number and its place by issue order.
            let event = try Self.appended(db, move, c)
            try db.execute(sql: """
                UPDATE ticket SET status = 'waiting', serviceId = ?, windowId = NULL, staffId = NULL, calledAt = NULL,
                    startedAt = NULL, transferCount = transferCount + 1 WHERE serial = ?
                """, arguments: [serviceId, c.serial])
            try QueueCounts.add(db, day: c.hallDay, serviceId: serviceId, rank: c.rank, 1)
            c.status = .waiting
            c.serviceId = serviceId
            c.windowId = nil
            c.staffId = nil
            c.calledAt = nil
            c.startedAt = nil
            c.transferCount += 1
            return WindowMoveResult(ticket: c, event: event)
        }
    }

    // MARK: Staff sessions

    public func loginStaff(_ login: StaffLoginWrite, loggedOut: @escaping @Sendable (_ staffId: String, _ windowId: String) throws -> WindowEvent,
                           loggedIn: WindowEvent) async throws -> [WindowEvent] {
        try await database.write { db in
            var events: [WindowEvent] = []
            let previous = try Row.fetchAll(db, sql: """
                SELECT tokenHash, staffId, windowId FROM staffSession
                WHERE endedAt IS NULL AND expiresAt > ? AND (windowId = ? OR staffId = ?)
                """, arguments: [login.at, login.windowId, login.staffId])
            for row in previous {
                try db.execute(sql: "UPDATE staffSession SET endedAt = ? WHERE tokenHash = ?", arguments: [login.at, row["tokenHash"] as String])
                events.append(try WindowEventStore.append(db, loggedOut(row["staffId"], row["windowId"])))
            }
            try db.execute(sql: "INSERT INTO staffSession (tokenHash, staffId, windowId, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?)",
                           arguments: [login.tokenHash, login.staffId, login.windowId, login.at, login.expiresAt])
            events.append(try WindowEventStore.append(db, loggedIn))
            return events
        }
    }

    public func logoutStaff(tokenHash: String, at: Date, event: WindowEvent) async throws -> WindowEvent? {
        try await database.write { db in
            try db.execute(sql: "UPDATE staffSession SET endedAt = ? WHERE tokenHash = ? AND endedAt IS NULL", arguments: [at, tokenHash])
            guard db.changesCount > 0 else { return nil }
            return try WindowEventStore.append(db, event)
        }
    }

    public func openStaffSession(tokenHash: String, at: Date) async throws -> OpenStaffSession? {
        try await database.read { db in
            try Row.fetchOne(db, sql: """
                SELECT staffId, windowId FROM staffSession WHERE tokenHash = ? AND endedAt IS NULL AND expiresAt > ?
                """, arguments: [tokenHash, at]).map { OpenStaffSession(staffId: $0["staffId"], windowId: $0["windowId"]) }
        }
    }

    public func isFormerStaffToken(tokenHash: String) async throws -> Bool {
        try await database.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM staffSession WHERE tokenHash = ?)", arguments: [tokenHash]) ?? false
        }
    }

    // MARK: Window events

    public func windowEvents(windowId: String, after: Int64?, limit: Int) async throws -> WindowEventSlice {
        try await database.read { db in
            let events = try after.map { try WindowEventStore.events(db, windowId: windowId, after: $0, limit: limit) } ?? []
            return WindowEventSlice(events: events, latestId: try WindowEventStore.latestId(db, windowId: windowId),
                                    prunedThrough: try WindowEventStore.prunedThrough(db))
        }
    }

    public func pruneWindowEvents(before cutoff: Date, batch: Int) async throws -> Int {
        try await database.write { db in try WindowEventStore.prune(db, before: cutoff, batch: batch) }
    }
}
