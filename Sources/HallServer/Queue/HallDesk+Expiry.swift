import Foundation
import HallAPI

/// Closing what the end of a hall day leaves: waiting tickets become `expired` (未办理).
extension HallDesk {
    /// Hall days whose queues are served now (today, and yesterday while the hall runs on past midnight).
    func openHallDays(now: Date) -> [String] {
        hall.openHallDays(at: clock.moment(now), clock: clock)
    }

    /// The status a ticket has now: a waiting ticket of a hall day that is over is `expired`, even
    /// before the sweep (`expireEndedHallDays`) has written so.
    func currentStatus(_ t: StoredTicket, now: Date) -> TicketStatus {
        guard t.status == .waiting, !hall.isHallDayOpen(t.hallDay, at: clock.moment(now), clock: clock) else { return t.status }
        return .expired
    }

    /// Closes the waiting tickets of every hall day that is over: status `expired`, `endedAt` now, and
    /// the day's waiting counts cleared. Idempotent; a hall day still open (also past midnight) is left alone.
    /// No window event: a waiting ticket is at no window.
    /// - Returns: how many tickets were closed.
    @discardableResult
    public func expireEndedHallDays() async throws -> Int {
        let candidates = try await store.hallDaysWithWaitingTickets()
        var total = 0
        for day in candidates where !hall.isHallDayOpen(day, at: clock.moment(now), clock: clock) {
            let closedAt = self.now
            guard !hall.isHallDayOpen(day, at: clock.moment(closedAt), clock: clock) else { continue }
            let closed = try await store.expireWaitingTickets(hallDay: day, at: closedAt).sorted { $0.key < $1.key }
            let n = closed.reduce(0) { $0 + $1.value }
            for (serviceId, count) in closed { metrics.ticketsExpired(serviceId: serviceId, count: count) }
            if n > 0 {
                logger.info("hall day ended: waiting tickets closed as expired (未办理)", metadata: ["hall.day": "\(day)", "tickets": "\(n)"])
            }
            total += n
        }
        return total
    }
}
