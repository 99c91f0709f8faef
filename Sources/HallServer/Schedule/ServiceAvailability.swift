import Foundation
import HallAPI

/// Whether a service issues numbers at a moment, and why not. Pure: no clock, no storage.
public struct ServiceAvailability: Sendable, Hashable {
    public var state: ServiceState
    public var reason: ServiceStateReason?
    /// Next opening today, `"13:30"`.
    public var opensAt: String?
    public var todayHours: [OpeningSession]
    /// The first session of a later day, when the service issues no more numbers today (within two weeks).
    public var nextOpening: NextOpening?
    /// The weekdays the service has sessions (1 = Sunday … 7 = Saturday).
    public var openWeekdays: [Int] = []

    public init(state: ServiceState, reason: ServiceStateReason?, opensAt: String?, todayHours: [OpeningSession],
                nextOpening: NextOpening? = nil, openWeekdays: [Int] = []) {
        self.state = state
        self.reason = reason
        self.opensAt = opensAt
        self.todayHours = todayHours
        self.nextOpening = nextOpening
        self.openWeekdays = openWeekdays
    }

    /// Days ahead `nextOpening` looks (two weeks cover every weekly schedule and a holiday week).
    static let lookAheadDays = 14

    /// Decides availability from the schedule, the closed dates, staff pause and today's count. `workDates` (make-up
    /// workdays, with Monday's hours) count for `nextOpening`; today's moment comes already adjusted
    /// (`Hall.scheduleMoment`).
    public static func decide(service: Hall.Service, closedDates: Set<String>, workDates: Set<String> = [],
                              at moment: HallMoment, paused: Bool, issuedToday: Int) -> ServiceAvailability {
        var decision = decideToday(service: service, closedDates: closedDates, at: moment, paused: paused,
                                   issuedToday: issuedToday)
        decision.openWeekdays = (1...7).filter { !service.schedule.sessions(weekday: $0).isEmpty }
        if decision.state != .open, decision.opensAt == nil {
            decision.nextOpening = nextOpening(service: service, closedDates: closedDates, workDates: workDates, after: moment)
        }
        return decision
    }

    /// The first session start on a later day that is not a closed date, within `lookAheadDays`. A make-up workday
    /// has Monday's sessions; the answer's `weekday` is the day's own (a make-up Saturday says Saturday). Weekdays
    /// come from the dates themselves, so a make-up workday today (whose moment says Monday) does not shift them.
    static func nextOpening(service: Hall.Service, closedDates: Set<String>, workDates: Set<String> = [],
                            after moment: HallMoment) -> NextOpening? {
        var day = moment.day
        for inDays in 1...lookAheadDays {
            guard let next = HallDayArithmetic.day(after: day), let weekday = HallDayArithmetic.weekday(of: next) else { return nil }
            day = next
            if closedDates.contains(day) { continue }
            let scheduleWeekday = workDates.contains(day) ? 2 : weekday
            if let first = service.schedule.sessions(weekday: scheduleWeekday).first {
                return NextOpening(day: day, weekday: weekday, inDays: inDays, start: first.opening.start)
            }
        }
        return nil
    }

    private static func decideToday(service: Hall.Service, closedDates: Set<String>, at moment: HallMoment,
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

/// Calendar days as the hall writes them (`YYYY-MM-DD`), without a time zone: a hall day is a date, not an instant.
enum HallDayArithmetic {
    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        return calendar
    }()

    /// 1 = Sunday … 7 = Saturday of `day` (`YYYY-MM-DD`); nil when it is not one.
    static func weekday(of day: String) -> Int? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
        else { return nil }
        return calendar.component(.weekday, from: date)
    }

    /// The day after `day`; nil when `day` is not `YYYY-MM-DD`.
    static func day(after day: String) -> String? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3,
              let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
              let next = calendar.date(byAdding: .day, value: 1, to: date) else { return nil }
        let c = calendar.dateComponents([.year, .month, .day], from: next)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(c.year!)-\(two(c.month!))-\(two(c.day!))"
    }
}
