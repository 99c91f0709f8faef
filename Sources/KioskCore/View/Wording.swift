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

    /// "等候 5 人 · 约 15 分钟", or "现在无需等候".
    func waiting(count: Int, minutes: Int) -> String {
        guard count > 0 else { return self(.serviceNoWait) }
        return self(.serviceWaiting, ["count": String(count), "wait": duration(minutes: minutes)])
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
                return self(.serviceStoppedToday)
            case .closedDate, .noSessionToday:
                return self(.serviceNotToday)
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
