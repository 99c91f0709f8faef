import Foundation

/// How a satisfaction report is grouped.
public enum ReportGrouping: String, Codable, Hashable, Sendable, CaseIterable {
    case window
    case staff
    case service
    case day
}

/// Counts of active ratings per level.
public struct LevelCounts: Codable, Hashable, Sendable {
    public var verySatisfied: Int = 0
    public var satisfied: Int = 0
    public var basicallySatisfied: Int = 0
    public var dissatisfied: Int = 0
    public var veryDissatisfied: Int = 0

    public init() {}

    public subscript(level: RatingLevel) -> Int {
        get {
            switch level {
            case .verySatisfied: verySatisfied
            case .satisfied: satisfied
            case .basicallySatisfied: basicallySatisfied
            case .dissatisfied: dissatisfied
            case .veryDissatisfied: veryDissatisfied
            }
        }
        set {
            switch level {
            case .verySatisfied: verySatisfied = newValue
            case .satisfied: satisfied = newValue
            case .basicallySatisfied: basicallySatisfied = newValue
            case .dissatisfied: dissatisfied = newValue
            case .veryDissatisfied: veryDissatisfied = newValue
            }
        }
    }

    /// All active ratings.
    public var total: Int { RatingLevel.allCases.reduce(0) { $0 + self[$1] } }
    /// 差评: 不满意 + 非常不满意.
    public var bad: Int { dissatisfied + veryDissatisfied }
    /// 好评: every active rating that is not a 差评.
    public var good: Int { total - bad }
}

/// One row of a satisfaction report.
public struct SatisfactionGroup: Codable, Hashable, Sendable {
    /// Window id, staff id, service id or day (`YYYY-MM-DD`).
    public var key: String
    public var name: LocalizedText
    public var levels: LevelCounts
    /// Active ratings (counted in the rates).
    public var activeRatings: Int
    /// Ratings recorded by the system after a timeout, counted apart.
    public var systemDefaultRatings: Int
    /// Services completed in the period.
    public var completedServices: Int
    /// Completed services with no active rating.
    public var unratedServices: Int
    /// 好评率 = good / active ratings (0 when there are none).
    public var goodRate: Double
    /// 差评率 = bad / active ratings.
    public var badRate: Double
    /// 未评率 = unrated / completed services.
    public var unratedRate: Double
    /// 未办理: tickets still waiting when their hall day ended (status `expired`). Counted by service and
    /// day; rows by window or staff carry 0 (an expired ticket was at no window) and only the total counts them.
    public var expiredTickets: Int

    public init(key: String, name: LocalizedText, levels: LevelCounts, systemDefaultRatings: Int,
                completedServices: Int, unratedServices: Int, expiredTickets: Int = 0) {
        self.expiredTickets = expiredTickets
        self.key = key
        self.name = name
        self.levels = levels
        self.activeRatings = levels.total
        self.systemDefaultRatings = systemDefaultRatings
        self.completedServices = completedServices
        self.unratedServices = unratedServices
        self.goodRate = levels.total == 0 ? 0 : Double(levels.good) / Double(levels.total)
        self.badRate = levels.total == 0 ? 0 : Double(levels.bad) / Double(levels.total)
        self.unratedRate = completedServices == 0 ? 0 : Double(unratedServices) / Double(completedServices)
    }
}

/// One 差评 in a report, with its reasons.
public struct BadRatingEntry: Codable, Hashable, Sendable {
    public var ratingId: String
    public var ticketNumber: String
    public var hallDay: String
    public var serviceId: String
    public var windowId: String?
    public var staffId: String?
    public var staffName: String?
    public var channel: RatingChannel
    public var level: RatingLevel
    public var reasons: [RatingReason]
    public var text: String?
    public var assessNumber: Int
    public var ratedAt: Date

    public init(ratingId: String, ticketNumber: String, hallDay: String, serviceId: String, windowId: String?,
                staffId: String?, staffName: String?, channel: RatingChannel, level: RatingLevel,
                reasons: [RatingReason], text: String?, assessNumber: Int, ratedAt: Date) {
        self.ratingId = ratingId
        self.ticketNumber = ticketNumber
        self.hallDay = hallDay
        self.serviceId = serviceId
        self.windowId = windowId
        self.staffId = staffId
        self.staffName = staffName
        self.channel = channel
        self.level = level
        self.reasons = reasons
        self.text = text
        self.assessNumber = assessNumber
        self.ratedAt = ratedAt
    }
}

/// `GET /api/v1/reports/satisfaction?from=&to=&by=`.
public struct SatisfactionReport: Codable, Hashable, Sendable {
    /// First and last hall day included, `YYYY-MM-DD`.
    public var from: String
    public var to: String
    public var by: ReportGrouping
    public var groups: [SatisfactionGroup]
    public var total: SatisfactionGroup
    /// Every 差评 in the period, newest first.
    public var badRatings: [BadRatingEntry]

    public init(from: String, to: String, by: ReportGrouping, groups: [SatisfactionGroup], total: SatisfactionGroup,
                badRatings: [BadRatingEntry]) {
        self.from = from
        self.to = to
        self.by = by
        self.groups = groups
        self.total = total
        self.badRatings = badRatings
    }
}
