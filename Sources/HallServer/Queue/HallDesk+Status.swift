import Foundation
import HallAPI

extension HallDesk {
    /// What every kiosk polls: services with state, waiting counts and estimates; windows.
    public func hallStatus() async throws -> HallStatus {
        let now = self.now
        let moment = clock.moment(now)
        // Waiting counts include yesterday's queue while the hall runs on past midnight.
        let openDays = hall.openHallDays(at: moment, clock: clock)
        let snapshot = try await store.hallSnapshot(hallDays: openDays, today: moment.day, at: now)
        let (waiting, issued, paused, open, current) = (snapshot.waiting, snapshot.issuedToday, snapshot.paused, snapshot.openWindows,
                                                        snapshot.currentNumbers)
        let services = hall.services.map { s -> ServiceStatus in
            let a = ServiceAvailability.decide(service: s, closedDates: hall.closedDates, workDates: hall.workDates, at: hall.scheduleMoment(moment),
                                               paused: paused.contains(s.id), issuedToday: issued[s.id] ?? 0)
            let w = waiting[s.id] ?? 0
            let openHere = openWindowCount(serviceId: s.id, open: open)
            return ServiceStatus(
                id: s.id, name: s.name, group: s.group, prefix: s.prefix, state: a.state, reason: a.reason,
                opensAt: a.opensAt, todayHours: a.todayHours, waitingCount: w,
                estimatedWaitMinutes: serviceTimes.estimateMinutes(serviceId: s.id, ahead: w,
                                                                   openWindows: openHere),
                issuedToday: issued[s.id] ?? 0, dailyQuota: s.dailyQuota, openWindows: openHere,
                nextOpening: a.nextOpening, openWeekdays: a.openWeekdays)
        }.map { status -> ServiceStatus in
            // A staff pause says why and until when, when the clerk said (the kiosk shows it on the button).
            guard status.reason == .pausedByStaff, let note = snapshot.pauseNotes[status.id] else { return status }
            var s = status
            s.pauseReason = note.reason
            s.pausedUntil = note.until
            return s
        }
        let windows = hall.windows.map { w in
            WindowStatus(id: w.id, name: w.name, serviceIds: w.serviceIds, isOpen: open[w.id] != nil,
                         staff: open[w.id].flatMap { hall.staffMember($0)?.summary }, currentTicketNumber: current[w.id])
        }.map { status -> WindowStatus in
            var s = status
            s.breakReason = snapshot.breaks[status.id]
            return s
        }
        let hallHours = hall.closedDates.contains(moment.day) ? [] : hall.schedule.sessions(weekday: hall.scheduleMoment(moment).weekday)
        let hallOpen = services.contains { $0.state != .closed }
        return HallStatus(hallId: hall.id, name: hall.name, timezone: hall.timeZone.identifier, hallDay: moment.day, now: now,
                          todayHours: hallHours.map(\.opening), isOpenNow: hallOpen, services: services, windows: windows,
                          notice: hall.kioskNotice,
                          kioskPriorityLanes: hall.kioskPriorityLanes.isEmpty ? nil : hall.kioskPriorityLanes)
    }
}
