import HallAPI

/// When a closed hall next gives out numbers: the earliest opening of any of its services — later today
/// (`opensAt`) or on a later day (`nextOpening`, which the hall server works out from the opening hours, the
/// closed dates and the make-up workdays). Services paused by staff or out of quota do not count: they open
/// whenever staff say, not at a known time.
struct HallOpening: Hashable {
    /// Days from today: 0 = later today, 1 = tomorrow.
    var inDays: Int
    /// The session's start, `"08:30"`.
    var start: String
    /// 1 = Sunday … 7 = Saturday (of the opening day; unused when today).
    var weekday: Int
    /// The opening's hall day, `YYYY-MM-DD` (nil when today).
    var day: String?

    /// The earliest opening among `hall`'s closed services; nil when none is known (e.g. nothing within the
    /// server's look-ahead).
    static func next(_ hall: HallStatus) -> HallOpening? {
        let candidates: [HallOpening] = hall.services.compactMap { service in
            guard service.state == .closed else { return nil }
            if let time = service.opensAt { return HallOpening(inDays: 0, start: time, weekday: 0, day: nil) }
            return service.nextOpening.map { HallOpening(inDays: $0.inDays, start: $0.start, weekday: $0.weekday, day: $0.day) }
        }
        // "08:30" < "13:30": zero-padded clock times sort as text.
        return candidates.min { ($0.inDays, $0.start) < ($1.inDays, $1.start) }
    }
}

extension Wording {
    /// "今天 13:30 开始取号", "明天 08:30 开始取号", "星期一 08:30 开始取号" (within the week), or
    /// "12月8日 星期二 08:30 开始取号" when it is further away.
    func hallOpening(_ opening: HallOpening) -> String {
        let time = ["time": opening.start]
        switch opening.inDays {
        case ...0:
            return self(.closedOpensToday, time)
        case 1:
            return self(.closedOpensTomorrow, time)
        case 2...6:
            let weekday = StringKey(rawValue: "weekday.\(opening.weekday)") ?? .weekday1
            return self(.closedOpensOn, ["weekday": self(weekday), "time": opening.start])
        default:
            return self(.closedOpensOn, ["weekday": dayName(opening), "time": opening.start])
        }
    }

    /// "12月8日 星期二" / "Tuesday 8 December" from the opening's hall day (`YYYY-MM-DD`).
    private func dayName(_ opening: HallOpening) -> String {
        let parts = (opening.day ?? "").split(separator: "-").compactMap { Int($0) }
        let weekday = self(StringKey(rawValue: "weekday.\(opening.weekday)") ?? .weekday1)
        guard parts.count == 3, let month = StringKey(rawValue: "month.\(parts[1])") else { return weekday }
        return self(.dateFormat, ["month": self(month), "day": String(parts[2]), "weekday": weekday])
    }
}
