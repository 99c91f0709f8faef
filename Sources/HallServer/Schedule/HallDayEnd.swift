import Foundation

extension HallClock {
    /// The day before `day` (`YYYY-MM-DD`); nil for a malformed day.
    public func previousDay(_ day: String) -> String? {
        // Noon of the day before: one step back from midnight, clear of any daylight-saving hour.
        startOfDay(day).map { moment($0 - 12 * 3600).day }
    }
}

extension Hall {
    /// Whether hall day `day` is still open at `moment`: its waiting tickets may still be called.
    ///
    /// A hall day is open on its own calendar day. It stays open into the next calendar day only while
    /// the hall's hours (`hall.hours`) run on across midnight without a break: `day`'s last session ends
    /// at 24:00, the next day's first session starts at 00:00 (neither day is a closed date), until that
    /// session ends. So a hall open 20:00–02:00 keeps serving its queue until 02:00; every other hall day
    /// ends at midnight.
    public func isHallDayOpen(_ day: String, at moment: HallMoment, clock: HallClock) -> Bool {
        if day >= moment.day { return true }
        guard clock.previousDay(moment.day) == day, !closedDates.contains(day), !closedDates.contains(moment.day) else { return false }
        let dayWeekday = moment.weekday == 1 ? 7 : moment.weekday - 1
        guard schedule.sessions(weekday: dayWeekday).last?.end == 24 * 60,
              let first = schedule.sessions(weekday: moment.weekday).first, first.start == 0 else { return false }
        return moment.minute < first.end
    }

    /// The hall days whose queues are served at `moment`: today, and yesterday while it runs on past midnight.
    /// Oldest first.
    public func openHallDays(at moment: HallMoment, clock: HallClock) -> [String] {
        guard let yesterday = clock.previousDay(moment.day), isHallDayOpen(yesterday, at: moment, clock: clock) else {
            return [moment.day]
        }
        return [yesterday, moment.day]
    }
}
