import Foundation
import HallAPI

/// Turns hall data into the plain words the kiosk shows.
struct Wording {
    let strings: Strings
    let language: Language

    /// The same words in the other language (the small second line of bilingual labels).
    var other: Wording { Wording(strings: strings, language: language.other) }

    func callAsFunction(_ key: StringKey, _ arguments: [String: String] = [:]) -> String {
        strings.text(key, language, arguments)
    }

    /// "15 分钟", "1 小时 20 分钟" (at least one minute).
    func duration(minutes: Int) -> String {
        let minutes = max(1, minutes)
        if minutes < 60 { return self(.durationMinutes, ["minutes": String(minutes)]) }
        let hours = minutes / 60, rest = minutes % 60
        if rest == 0 { return self(.durationHours, ["hours": String(hours)]) }
        return self(.durationHoursMinutes, ["hours": String(hours), "minutes": String(rest)])
    }

    /// "等候 5 人 · 约 15 分钟", or "现在无需等候"; with no window serving the service open (`openWindows` 0) no wait is
    /// promised: "暂无窗口办理", "等候 5 人 · 暂无窗口办理". `openWindows` nil (an older server): as before.
    func waiting(count: Int, minutes: Int, openWindows: Int? = nil) -> String {
        if openWindows == 0 {
            return count > 0 ? self(.serviceWaitingNoWindow, ["count": String(count)]) : self(.serviceNoWindow)
        }
        guard count > 0 else { return self(.serviceNoWait) }
        return self(.serviceWaiting, ["count": String(count), "wait": duration(minutes: minutes)])
    }

    /// "绿色通道·老年人".
    func lane(_ lane: PriorityKind) -> String {
        // An appointment is no 绿色通道: its own words ("预约取号 · 优先叫号").
        if lane == .appointment { return self(.checkinTicketLane) }
        let name: StringKey = switch lane {
        case .elderly: .priorityElderly
        case .disabled: .priorityDisabled
        case .appointment: .boardPriorityAppointment
        }
        return self(.priorityLane, ["lane": self(name)])
    }

    /// When a service that takes no more numbers today next does: "明天 08:30 开始取号", "星期一 08:30 开始取号", or
    /// "每周六办理" for a service of one to three weekdays whose next day is not tomorrow; `nil` when unknown.
    func nextOpening(_ service: ServiceStatus) -> String? {
        guard let next = service.nextOpening else { return nil }
        if next.inDays == 1 { return self(.serviceOpensTomorrow, ["time": next.start]) }
        if let weekdays = service.openWeekdays, (1...3).contains(weekdays.count) {
            let names = weekdays.compactMap { StringKey(rawValue: "everyWeekday.\($0)") }.map { self($0) }
            return self(.serviceOnlyOn, ["days": names.joined(separator: language == .zh ? "、" : ", ")])
        }
        let weekday = StringKey(rawValue: "weekday.\(next.weekday)") ?? .weekday1
        return self(.serviceOpensOn, ["weekday": self(weekday), "time": next.start])
    }

    /// Why a service cannot be pressed, or `nil` when it is open. A staff pause says why and until when, when the
    /// clerk said (`timeZone`: the hall's, for the time).
    func unavailableReason(_ service: ServiceStatus, timeZone: TimeZone? = nil) -> String? {
        switch service.state {
        case .open:
            return nil
        case .quotaReached:
            return self(.serviceQuotaReached)
        case .paused:
            return pausedWords(service, timeZone: timeZone)
        case .closed:
            switch service.reason {
            case .beforeOpening, .betweenSessions:
                if let opensAt = service.opensAt { return self(.serviceOpensAt, ["time": opensAt]) }
                return self(.serviceClosed)
            case .issuingStopped, .afterClosing:
                // Stopped before a later session today: say when it starts.
                if let opensAt = service.opensAt { return self(.serviceOpensAt, ["time": opensAt]) }
                return nextOpening(service) ?? self(.serviceStoppedToday)
            case .closedDate, .noSessionToday:
                return nextOpening(service) ?? self(.serviceNotToday)
            case .quotaReached:
                return self(.serviceQuotaReached)
            case .pausedByStaff:
                return pausedWords(service, timeZone: timeZone)
            case nil:
                if let opensAt = service.opensAt { return self(.serviceOpensAt, ["time": opensAt]) }
                return self(.serviceClosed)
            }
        }
    }

    /// "暂停取号", "暂停取号：系统维护", "暂停取号：系统维护，约 10:30 恢复".
    func pausedWords(_ service: ServiceStatus, timeZone: TimeZone?) -> String {
        var words = service.pauseReason.map { self(.servicePausedBecause, ["reason": $0]) } ?? self(.servicePaused)
        if let until = service.pausedUntil {
            words = self(.servicePausedUntil, ["reason": words, "time": Self.clock(until, in: timeZone ?? TimeZone(identifier: "Asia/Shanghai")!)])
        }
        return words
    }

    /// "08:30–12:00，13:30–17:00".
    func hours(_ sessions: [OpeningSession]) -> String {
        sessions.map { "\($0.start)–\($0.end)" }.joined(separator: language == .zh ? "，" : ", ")
    }

    /// "11月22日 星期日" / "Sunday 22 November".
    func date(_ date: Date, in timeZone: TimeZone) -> String {
        let parts = Self.calendar(timeZone).dateComponents([.month, .day, .weekday], from: date)
        let month = StringKey(rawValue: "month.\(parts.month ?? 1)") ?? .month1
        let weekday = StringKey(rawValue: "weekday.\(parts.weekday ?? 1)") ?? .weekday1
        return self(.dateFormat, ["month": self(month), "day": String(parts.day ?? 1), "weekday": self(weekday)])
    }

    /// "14:05".
    static func clock(_ date: Date, in timeZone: TimeZone) -> String {
        let parts = calendar(timeZone).dateComponents([.hour, .minute], from: date)
        let hour = parts.hour ?? 0, minute = parts.minute ?? 0
        return (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The hall's time zone, or China Standard Time before the first hall status arrives.
    static func timeZone(of hall: HallStatus?) -> TimeZone {
        hall.flatMap { TimeZone(identifier: $0.timezone) } ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current
    }
}
