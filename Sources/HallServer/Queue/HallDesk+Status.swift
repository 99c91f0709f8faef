import Foundation
import GRDB
import HallAPI

extension HallDesk {
    /// What every kiosk polls: services with state, waiting counts and estimates; windows.
    public func hallStatus() async throws -> HallStatus {
        try await database.read { [self] db in
            let now = self.now
            let moment = clock.moment(now)
            // Waiting counts include yesterday's queue while the hall runs on past midnight.
            let openDays = hall.openHallDays(at: moment, clock: clock)
            var waiting: [String: Int] = [:]
            for day in openDays {
                waiting.merge(try QueueCounts.waiting(db, day: day), uniquingKeysWith: +)
            }
            var issued: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT serviceId, issued FROM dailyCounter WHERE hallDay = ?", arguments: [moment.day]) {
                issued[row["serviceId"]] = row["issued"]
            }
            let paused = try pausedServices(db)
            let open = try openWindows(db, at: now)
            var current: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT windowId, number FROM ticket
                WHERE hallDay IN (\(openDays.map { _ in "?" }.joined(separator: ","))) AND status IN ('called', 'serving') AND windowId IS NOT NULL
                ORDER BY calledAt
                """, arguments: StatementArguments(openDays)) {
                current[row["windowId"]] = row["number"]
            }
            let services = hall.services.map { s -> ServiceStatus in
                let a = ServiceAvailability.decide(service: s, closedDates: hall.closedDates, at: moment,
                                                   paused: paused.contains(s.id), issuedToday: issued[s.id] ?? 0)
                let w = waiting[s.id] ?? 0
                return ServiceStatus(
                    id: s.id, name: s.name, group: s.group, prefix: s.prefix, state: a.state, reason: a.reason,
                    opensAt: a.opensAt, todayHours: a.todayHours, waitingCount: w,
                    estimatedWaitMinutes: serviceTimes.estimateMinutes(serviceId: s.id, ahead: w,
                                                                       openWindows: openWindowCount(serviceId: s.id, open: open)),
                    issuedToday: issued[s.id] ?? 0, dailyQuota: s.dailyQuota)
            }
            let windows = hall.windows.map { w in
                WindowStatus(id: w.id, name: w.name, serviceIds: w.serviceIds, isOpen: open[w.id] != nil,
                             staff: open[w.id].flatMap { hall.staffMember($0)?.summary }, currentTicketNumber: current[w.id])
            }
            let hallHours = hall.closedDates.contains(moment.day) ? [] : hall.schedule.sessions(weekday: moment.weekday)
            let hallOpen = services.contains { $0.state != .closed }
            return HallStatus(hallId: hall.id, name: hall.name, timezone: hall.timeZone.identifier, hallDay: moment.day, now: now,
                              todayHours: hallHours.map(\.opening), isOpenNow: hallOpen, services: services, windows: windows)
        }
    }
}
