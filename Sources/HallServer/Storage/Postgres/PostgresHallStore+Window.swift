import Foundation
import HallAPI
import PostgresNIO

extension PostgresHallStore {
    public func callNext(_ move: WindowMove, hallDays: [String], serviceIds: [String],
                         appointmentsInARow: Int) async throws -> WindowMoveResult? {
        let hallId = self.hallId
        return try await database.transaction("call next") { tx in
            try await tx.lock(hallId: hallId, "window:\(move.windowId)")
            try move.check(try await self.ticket(tx, .current(windowId: move.windowId)))
            while true {
                guard let next = try await self.nextToCall(tx, hallDays: hallDays, serviceIds: serviceIds,
                                                           appointmentsInARow: appointmentsInARow) else { return nil }
                // Another window (or the day's end) may take the same ticket at the same moment: the update waits for
                // it and then finds the ticket no longer waiting (READ COMMITTED re-checks the row), so try the next one.
                guard try await tx.first("""
                    UPDATE ticket SET status = 'called', window_id = \(move.windowId), staff_id = \(move.staffId), called_at = \(move.at)
                    WHERE hall_id = \(hallId) AND serial = \(next.serial) AND status = 'waiting' RETURNING serial
                    """) != nil else { continue }
                _ = try await PostgresQueueCounts.add(tx, hallId: hallId, day: next.hallDay, serviceId: next.serviceId, [next.rank: -1],
                                                      written: true)
                var called = next
                called.status = .called
                called.windowId = move.windowId
                called.staffId = move.staffId
                called.calledAt = move.at
                let event = try await self.appendEvent(tx, move.event(called))
                return WindowMoveResult(ticket: called, event: event)
            }
        }
    }

    /// The ticket call-next calls: the queue's head (earlier days, then rank, then place), unless it is an appointment
    /// ticket and its service owes its longest-waiting walk-in the call (`AppointmentFairness`). Deciding that takes the
    /// service's call lock, so two windows calling at once count each other's appointment calls.
    private func nextToCall(_ tx: PostgresTransaction, hallDays: [String], serviceIds: [String],
                            appointmentsInARow: Int) async throws -> StoredTicket? {
        let hallId = self.hallId
        func head() async throws -> StoredTicket? {
            try await tx.first("""
                SELECT \(unescaped: Self.ticketColumns) FROM ticket
                WHERE hall_id = \(hallId) AND hall_day = ANY(\(hallDays)) AND status = 'waiting' AND service_id = ANY(\(serviceIds))
                ORDER BY hall_day, rank, COALESCE(queue_order, serial) LIMIT 1
                """).map(Self.ticket)
        }
        guard let first = try await head() else { return nil }
        guard first.priority == .appointment, appointmentsInARow > 0 else { return first }
        try await tx.lock(hallId: hallId, "calls:\(first.serviceId)")
        // Another window may have called while this one waited for the lock: look again.
        guard let next = try await head() else { return nil }
        guard next.priority == .appointment,
              let walkIn = try await tx.first("""
                SELECT \(unescaped: Self.ticketColumns) FROM ticket
                WHERE hall_id = \(hallId) AND hall_day = ANY(\(hallDays)) AND status = 'waiting' AND service_id = \(next.serviceId)
                    AND priority IS NULL
                ORDER BY hall_day, COALESCE(queue_order, serial) LIMIT 1
                """).map(Self.ticket) else { return next }
        let recent = try await tx.rows("""
            SELECT priority FROM ticket
            WHERE hall_id = \(hallId) AND hall_day = ANY(\(hallDays)) AND service_id = \(next.serviceId) AND called_at >= \(walkIn.issuedAt)
                AND (priority IS NULL OR priority = 'appointment')
            ORDER BY called_at DESC, serial DESC LIMIT \(appointmentsInARow)
            """).map { try $0.decode(String?.self).flatMap(PriorityKind.init(rawValue:)) }
        return AppointmentFairness.walkInIsOwed(recentCalls: recent, limit: appointmentsInARow) ? walkIn : next
    }

    public func recall(_ move: WindowMove) async throws -> WindowMoveResult {
        try await moveCurrent(move, name: "recall") { tx, current in
            try await tx.execute("UPDATE ticket SET recall_count = recall_count + 1 WHERE hall_id = \(self.hallId) AND serial = \(current.serial)")
            var t = current
            t.recallCount += 1
            return t
        }
    }

    public func startService(_ move: WindowMove) async throws -> WindowMoveResult {
        try await moveCurrent(move, name: "start service") { tx, current in
            try await tx.execute("""
                UPDATE ticket SET status = 'serving', started_at = \(move.at), staff_id = \(move.staffId)
                WHERE hall_id = \(self.hallId) AND serial = \(current.serial)
                """)
            var t = current
            t.status = .serving
            t.startedAt = move.at
            t.staffId = move.staffId
            return t
        }
    }

    public func complete(_ move: WindowMove) async throws -> WindowMoveResult {
        try await moveCurrent(move, name: "complete") { tx, current in
            let started = current.startedAt ?? current.calledAt ?? move.at
            try await tx.execute("""
                UPDATE ticket SET status = 'completed', started_at = \(started), completed_at = \(move.at), ended_at = \(move.at),
                    staff_id = \(move.staffId)
                WHERE hall_id = \(self.hallId) AND serial = \(current.serial)
                """)
            var t = current
            t.status = .completed
            t.startedAt = started
            t.completedAt = move.at
            t.endedAt = move.at
            t.staffId = move.staffId
            return t
        }
    }

    public func noShow(_ move: WindowMove) async throws -> WindowMoveResult {
        try await moveCurrent(move, name: "no-show") { tx, current in
            try await tx.execute("UPDATE ticket SET status = 'noShow', ended_at = \(move.at) WHERE hall_id = \(self.hallId) AND serial = \(current.serial)")
            var t = current
            t.status = .noShow
            t.endedAt = move.at
            return t
        }
    }

    public func transfer(_ move: WindowMove, toServiceId serviceId: String) async throws -> WindowMoveResult {
        let hallId = self.hallId
        return try await database.transaction("transfer") { tx in
            try await tx.lock(hallId: hallId, "window:\(move.windowId)")
            let current = try await self.ticket(tx, .current(windowId: move.windowId), forUpdate: true)
            try move.check(current)
            guard let current else { throw PostgresStoreError("transfer: the check let a window without a ticket through") }
            // The ticket waits again, in its new service's queue (its waiting count first: the event lock is taken last).
            _ = try await PostgresQueueCounts.add(tx, hallId: hallId, day: current.hallDay, serviceId: serviceId, [current.rank: 1],
                                                  written: false)
            // The event shows the ticket before the move (the service it leaves).
            let event = try await self.appendEvent(tx, move.event(current))
            try await tx.execute("""
                UPDATE ticket SET status = 'waiting', service_id = \(serviceId), window_id = NULL, staff_id = NULL, called_at = NULL,
                    started_at = NULL, transfer_count = transfer_count + 1
                WHERE hall_id = \(hallId) AND serial = \(current.serial)
                """)
            var t = current
            t.status = .waiting
            t.serviceId = serviceId
            t.windowId = nil
            t.staffId = nil
            t.calledAt = nil
            t.startedAt = nil
            t.transferCount += 1
            return WindowMoveResult(ticket: t, event: event)
        }
    }

    /// A move of the window's current ticket: the window's lock, the ticket's row lock, `check`, `change`, the event.
    private func moveCurrent(_ move: WindowMove, name: String,
                             _ change: @escaping @Sendable (PostgresTransaction, StoredTicket) async throws -> StoredTicket) async throws -> WindowMoveResult {
        let hallId = self.hallId
        return try await database.transaction(name) { tx in
            try await tx.lock(hallId: hallId, "window:\(move.windowId)")
            let current = try await self.ticket(tx, .current(windowId: move.windowId), forUpdate: true)
            try move.check(current)
            guard let current else { throw PostgresStoreError("\(name): the check let a window without a ticket through") }
            let moved = try await change(tx, current)
            let event = try await self.appendEvent(tx, move.event(moved))
            return WindowMoveResult(ticket: moved, event: event)
        }
    }

    // MARK: Expiry

    public func hallDaysWithWaitingTickets() async throws -> [String] {
        let hallId = self.hallId
        return try await database.read("hall days with waiting tickets") { tx in
            try await tx.rows("""
                SELECT DISTINCT hall_day FROM ticket WHERE hall_id = \(hallId) AND status = 'waiting' ORDER BY hall_day
                """).map { try $0.decode(String.self) }
        }
    }

    public func expireWaitingTickets(hallDay: String, at: Date) async throws -> [String: Int] {
        let hallId = self.hallId
        return try await database.transaction("expire waiting tickets") { tx in
            var closed: [String: Int] = [:]
            var byRank: [String: [Int: Int]] = [:]
            for row in try await tx.rows("""
                UPDATE ticket SET status = 'expired', ended_at = \(at)
                WHERE hall_id = \(hallId) AND hall_day = \(hallDay) AND status = 'waiting' RETURNING service_id, rank
                """) {
                let (service, rank) = try row.decode((String, Int).self)
                closed[service, default: 0] += 1
                byRank[service, default: [:]][rank, default: 0] -= 1
            }
            // The waiting counts lose exactly the tickets expired here (services in order: their rows are locked).
            for (service, deltas) in byRank.sorted(by: { $0.key < $1.key }) {
                _ = try await PostgresQueueCounts.add(tx, hallId: hallId, day: hallDay, serviceId: service, deltas, written: true)
            }
            return closed
        }
    }
}
