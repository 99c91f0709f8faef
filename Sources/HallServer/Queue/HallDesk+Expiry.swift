import Foundation
import GRDB
import HallAPI

/// Closing what the end of a hall day leaves: waiting tickets become `expired` (未办理).
extension HallDesk {
    /// Hall days whose queues are served now (today, and yesterday while the hall runs on past midnight).
    func openHallDays(now: Date) -> [String] {
        hall.openHallDays(at: clock.moment(now), clock: clock)
    }

    /// The status a ticket has now: a waiting ticket of a hall day that is over is `expired`, even
    /// before the sweep (`expireEndedHallDays`) has written so.
    func currentStatus(_ t: TicketRow, now: Date) -> TicketStatus {
        guard t.status == .waiting, !hall.isHallDayOpen(t.hallDay, at: clock.moment(now), clock: clock) else { return t.status }
        return .expired
    }

    /// Closes the waiting tickets of every hall day that is over: status `expired`, `endedAt` now, and
    /// the day's waiting counts cleared. Idempotent; a hall day still open (also past midnight) is left alone.
    /// No window event: a waiting ticket is at no window.
    /// - Returns: how many tickets were closed.
    @discardableResult
    public func expireEndedHallDays() async throws -> Int {
        let candidates = try await database.read { db in
            try String.fetchAll(db, sql: "SELECT hallDay FROM queueCount GROUP BY hallDay HAVING SUM(waiting) > 0 ORDER BY hallDay")
        }
        var total = 0
        for day in candidates where !hall.isHallDayOpen(day, at: clock.moment(now), clock: clock) {
            let closed: [(String, Int)] = try await database.write { [self] db in
                let now = self.now
                guard !hall.isHallDayOpen(day, at: clock.moment(now), clock: clock) else { return [] }
                let counts = try Row.fetchAll(db, sql: """
                    SELECT serviceId, COUNT(*) FROM ticket WHERE hallDay = ? AND status = 'waiting' GROUP BY serviceId
                    """, arguments: [day]).map { ($0[0] as String, $0[1] as Int) }
                try db.execute(sql: "UPDATE ticket SET status = 'expired', endedAt = ? WHERE hallDay = ? AND status = 'waiting'",
                               arguments: [now, day])
                try db.execute(sql: "DELETE FROM queueCount WHERE hallDay = ?", arguments: [day])
                return counts
            }
            let n = closed.reduce(0) { $0 + $1.1 }
            for (serviceId, count) in closed { metrics.ticketsExpired(serviceId: serviceId, count: count) }
            if n > 0 {
                logger.info("hall day ended: waiting tickets closed as expired (未办理)", metadata: ["hall.day": "\(day)", "tickets": "\(n)"])
            }
            total += n
        }
        return total
    }
}
