import Foundation
import HallAPI
import PostgresNIO

extension PostgresHallStore {
    public func ticketView(_ lookup: TicketLookup, at: Date) async throws -> TicketView? {
        let hallId = self.hallId
        return try await database.read("ticket view") { tx in
            guard let t = try await self.ticket(tx, lookup) else { return nil }
            var view = TicketView(ticket: t)
            switch t.status {
            case .waiting:
                view.waitingAhead = try await tx.first("""
                    SELECT COUNT(*) FROM ticket
                    WHERE hall_id = \(hallId) AND hall_day = \(t.hallDay) AND status = 'waiting' AND service_id = \(t.serviceId)
                      AND (rank < \(t.rank) OR (rank = \(t.rank) AND COALESCE(queue_order, serial) < \(t.queueOrder ?? Double(t.serial))))
                    """)?.decode(Int.self) ?? 0
                view.openWindows = try await self.openWindows(tx, at: at)
            case .completed:
                let row = try await tx.first("""
                    SELECT COALESCE(SUM(CASE WHEN source = 'active' THEN 1 ELSE 0 END), 0),
                           COALESCE(SUM(CASE WHEN assess_number = 1 THEN 1 ELSE 0 END), 0)
                    FROM rating WHERE hall_id = \(hallId) AND ticket_id = \(t.id)
                    """)
                let (active, first) = try row?.decode((Int, Int).self) ?? (0, 0)
                view.hasActiveRating = active > 0
                view.hasFirstRating = first > 0
            default:
                break
            }
            return view
        }
    }

    public func waitingCount(hallDays: [String], serviceIds: [String]) async throws -> Int {
        let hallId = self.hallId
        return try await database.read("waiting count") { tx in
            // The maintained counts (`queue_count`), not a count of the queue.
            try await tx.first("""
                SELECT COALESCE(SUM(waiting), 0) FROM queue_count
                WHERE hall_id = \(hallId) AND hall_day = ANY(\(hallDays)) AND service_id = ANY(\(serviceIds))
                """)?.decode(Int.self) ?? 0
        }
    }

    public func hallSnapshot(hallDays: [String], today: String, at: Date) async throws -> HallSnapshot {
        let hallId = self.hallId
        return try await database.read("hall snapshot") { tx in
            var snapshot = HallSnapshot()
            for row in try await tx.rows("""
                SELECT service_id, SUM(waiting) FROM queue_count
                WHERE hall_id = \(hallId) AND hall_day = ANY(\(hallDays)) GROUP BY service_id HAVING SUM(waiting) > 0
                """) {
                let (service, count) = try row.decode((String, Int).self)
                snapshot.waiting[service] = count
            }
            for row in try await tx.rows("SELECT service_id, issued FROM daily_counter WHERE hall_id = \(hallId) AND hall_day = \(today)") {
                let (service, issued) = try row.decode((String, Int).self)
                snapshot.issuedToday[service] = issued
            }
            // Pauses whose reopening time has passed are over.
            for row in try await tx.rows("""
                SELECT service_id, reason, until_at FROM service_pause
                WHERE hall_id = \(hallId) AND (until_at IS NULL OR until_at > \(at))
                """) {
                let (service, reason, until) = try row.decode((String, String?, Date?).self)
                snapshot.paused.insert(service)
                if reason != nil || until != nil {
                    snapshot.pauseNotes[service] = ServicePauseNote(reason: reason, until: until?.wholeMilliseconds)
                }
            }
            snapshot.openWindows = try await self.openWindows(tx, at: at)
            for row in try await tx.rows("""
                SELECT window_id, break_reason FROM staff_session
                WHERE hall_id = \(hallId) AND ended_at IS NULL AND expires_at > \(at) AND break_reason IS NOT NULL
                """) {
                let (window, reason) = try row.decode((String, String).self)
                snapshot.breaks[window] = reason
            }
            for row in try await tx.rows("""
                SELECT window_id, number FROM ticket
                WHERE hall_id = \(hallId) AND hall_day = ANY(\(hallDays)) AND status IN ('called', 'serving') AND window_id IS NOT NULL
                ORDER BY called_at, serial
                """) {
                let (window, number) = try row.decode((String, String).self)
                snapshot.currentNumbers[window] = number
            }
            return snapshot
        }
    }

    public func windowSnapshot(windowId: String, hallDays: [String], at: Date) async throws -> WindowSnapshot {
        let hallId = self.hallId
        return try await database.read("window snapshot") { tx in
            let staffId = try await self.openWindows(tx, at: at)[windowId]
            let current = try await tx.first("""
                SELECT number FROM ticket
                WHERE hall_id = \(hallId) AND hall_day = ANY(\(hallDays)) AND window_id = \(windowId) AND status IN ('called', 'serving')
                ORDER BY called_at DESC, serial DESC LIMIT 1
                """)?.decode(String.self)
            var snapshot = WindowSnapshot(staffId: staffId, currentNumber: current,
                                          lastEventId: try await self.latestEventId(tx, windowId: windowId))
            snapshot.breakReason = try await tx.first("""
                SELECT break_reason FROM staff_session
                WHERE hall_id = \(hallId) AND window_id = \(windowId) AND ended_at IS NULL AND expires_at > \(at) AND break_reason IS NOT NULL
                """)?.decode(String.self)
            return snapshot
        }
    }

    func latestEventId(_ tx: PostgresTransaction, windowId: String) async throws -> Int64 {
        try await tx.first("SELECT MAX(id) FROM window_event WHERE hall_id = \(hallId) AND window_id = \(windowId)")?.decode(Int64?.self) ?? 0
    }
}
