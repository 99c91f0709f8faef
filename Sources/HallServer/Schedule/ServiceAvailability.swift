import HallAPI

/// Whether a service issues numbers at a moment, and why not. Pure: no clock, no storage.
public struct ServiceAvailability: Sendable, Hashable {
    public var state: ServiceState
    public var reason: ServiceStateReason?
    /// Next opening today, `"13:30"`.
    public var opensAt: String?
    public var todayHours: [OpeningSession]

    /// Decides availability from the schedule, the closed dates, staff pause and today's count.
    public static func decide(service: Hall.Service, closedDates: Set<String>, at moment: HallMoment,
                              paused: Bool, issuedToday: Int) -> ServiceAvailability {
        let sessions = closedDates.contains(moment.day) ? [] : service.schedule.sessions(weekday: moment.weekday)
        let hours = sessions.map(\.opening)
        func closed(_ reason: ServiceStateReason, opensAt: String? = nil) -> ServiceAvailability {
            ServiceAvailability(state: .closed, reason: reason, opensAt: opensAt, todayHours: hours)
        }
        if closedDates.contains(moment.day) { return closed(.closedDate) }
        if sessions.isEmpty { return closed(.noSessionToday) }
        if paused { return ServiceAvailability(state: .paused, reason: .pausedByStaff, opensAt: nil, todayHours: hours) }
        if let quota = service.dailyQuota, issuedToday >= quota {
            return ServiceAvailability(state: .quotaReached, reason: .quotaReached, opensAt: nil, todayHours: hours)
        }
        for (i, s) in sessions.enumerated() {
            if moment.minute < s.start {
                return closed(i == 0 ? .beforeOpening : .betweenSessions, opensAt: s.opening.start)
            }
            if moment.minute < s.end {
                if moment.minute >= s.end - service.stopIssuingMinutes {
                    let next = sessions.dropFirst(i + 1).first
                    return closed(.issuingStopped, opensAt: next?.opening.start)
                }
                return ServiceAvailability(state: .open, reason: nil, opensAt: nil, todayHours: hours)
            }
        }
        return closed(.afterClosing)
    }
}
