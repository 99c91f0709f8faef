import Foundation

/// How far down the city report goes: each level adds one key to the one above
/// (hall → department → window → staff → service).
public enum CityReportLevel: String, Codable, Hashable, Sendable, CaseIterable {
    case hall
    case department
    case window
    case staff
    case service

    /// Levels from `hall` down to this one.
    public var depth: Int { Self.allCases.firstIndex(of: self)! + 1 }
}

/// One row of the city report: a hall (and a department, window, staff member, service at deeper levels), for the
/// whole period or one day. Only counts and names the hall shows in public: no ticket, no token, no rater.
public struct CityReportRow: Codable, Hashable, Sendable {
    public var hallId: String
    public var hallName: LocalizedText
    /// Department (the services' group), from `department` down; empty when the service has none.
    public var department: LocalizedText?
    /// From `window` down; nil id: tickets never called to a window (expired, still waiting).
    public var windowId: String?
    public var windowName: LocalizedText?
    public var staffId: String?
    /// "name (employee number)", as the window's badge shows it.
    public var staffName: String?
    public var serviceId: String?
    public var serviceName: LocalizedText?
    /// The hall day (`YYYY-MM-DD`) for reports by day; nil for the whole period.
    public var day: String?
    /// Tickets issued (at window and staff level: tickets called to that window / by that staff member).
    public var tickets: Int
    /// Called to a window (the waits are theirs).
    public var called: Int
    /// Services completed (办结).
    public var served: Int
    /// Called and not come (过号).
    public var noShows: Int
    /// Still waiting when their hall day ended (未办理).
    public var expired: Int
    /// Mean wait from issue to first call, minutes (nil: nobody called).
    public var averageWaitMinutes: Double?
    /// 90 % of the called waited at most this long, minutes (from a 16-bucket histogram, linear inside the bucket;
    /// nil: nobody called).
    public var p90WaitMinutes: Double?
    /// Active ratings per level (好差评).
    public var levels: LevelCounts
    /// Ratings recorded by the system after a timeout, counted apart.
    public var systemDefaultRatings: Int
    /// Completed services with an active rating.
    public var ratedServices: Int
    /// Completed services with none (未评).
    public var unratedServices: Int
    /// 好评率 = good / active ratings.
    public var goodRate: Double
    /// 差评率 = bad / active ratings.
    public var badRate: Double
    /// 未评率 = unrated / completed services.
    public var unratedRate: Double

    public init(hallId: String, hallName: LocalizedText, department: LocalizedText? = nil, windowId: String? = nil,
                windowName: LocalizedText? = nil, staffId: String? = nil, staffName: String? = nil, serviceId: String? = nil,
                serviceName: LocalizedText? = nil, day: String? = nil, tickets: Int, called: Int, served: Int, noShows: Int,
                expired: Int, averageWaitMinutes: Double?, p90WaitMinutes: Double?, levels: LevelCounts, systemDefaultRatings: Int,
                ratedServices: Int) {
        self.hallId = hallId
        self.hallName = hallName
        self.department = department
        self.windowId = windowId
        self.windowName = windowName
        self.staffId = staffId
        self.staffName = staffName
        self.serviceId = serviceId
        self.serviceName = serviceName
        self.day = day
        self.tickets = tickets
        self.called = called
        self.served = served
        self.noShows = noShows
        self.expired = expired
        self.averageWaitMinutes = averageWaitMinutes
        self.p90WaitMinutes = p90WaitMinutes
        self.levels = levels
        self.systemDefaultRatings = systemDefaultRatings
        self.ratedServices = ratedServices
        unratedServices = max(0, served - ratedServices)
        goodRate = levels.total == 0 ? 0 : Double(levels.good) / Double(levels.total)
        badRate = levels.total == 0 ? 0 : Double(levels.bad) / Double(levels.total)
        unratedRate = served == 0 ? 0 : Double(max(0, served - ratedServices)) / Double(served)
    }
}

/// `hallserver report --city`, `GET /api/v1/city/report`: every hall of the city database for hall days
/// `from`…`to`, at one level, for the whole period or by day.
public struct CityReport: Codable, Hashable, Sendable {
    public var from: String
    public var to: String
    public var level: CityReportLevel
    public var byDay: Bool
    public var rows: [CityReportRow]
    /// Every hall together (its p90 from the histogram of every called ticket, not from the rows').
    public var total: CityReportRow
    /// Seconds the database took.
    public var seconds: Double

    public init(from: String, to: String, level: CityReportLevel, byDay: Bool, rows: [CityReportRow], total: CityReportRow, seconds: Double) {
        self.from = from
        self.to = to
        self.level = level
        self.byDay = byDay
        self.rows = rows
        self.total = total
        self.seconds = seconds
    }
}
