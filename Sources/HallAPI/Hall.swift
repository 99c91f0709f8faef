import Foundation

/// `GET /api/v1/hall`: what a kiosk needs to draw its home screen.
public struct HallStatus: Codable, Hashable, Sendable {
    public var hallId: String
    public var name: LocalizedText
    /// IANA time zone of the hall, e.g. `Asia/Shanghai`.
    public var timezone: String
    /// The hall day (in the hall's time zone), `YYYY-MM-DD`.
    public var hallDay: String
    /// Server time when this status was made.
    public var now: Date
    /// Today's opening sessions of the hall; empty when closed all day.
    public var todayHours: [OpeningSession]
    /// True when at least one service is within its opening hours now (it may still be paused or out of quota).
    public var isOpenNow: Bool
    public var services: [ServiceStatus]
    public var windows: [WindowStatus]
    /// The hall's notice for the kiosk home screen (set by the hall manager); absent when there is none.
    public var notice: LocalizedText?
    /// The priority lanes (绿色通道) the hall offers at its kiosks (`[hall] kioskPriorityLanes`); absent or empty:
    /// the kiosks offer none. Servers before this field send none.
    public var kioskPriorityLanes: [PriorityKind]?

    public init(hallId: String, name: LocalizedText, timezone: String, hallDay: String, now: Date,
                todayHours: [OpeningSession], isOpenNow: Bool, services: [ServiceStatus], windows: [WindowStatus],
                notice: LocalizedText? = nil, kioskPriorityLanes: [PriorityKind]? = nil) {
        self.hallId = hallId
        self.name = name
        self.timezone = timezone
        self.hallDay = hallDay
        self.now = now
        self.todayHours = todayHours
        self.isOpenNow = isOpenNow
        self.services = services
        self.windows = windows
        self.notice = notice
        self.kioskPriorityLanes = kioskPriorityLanes
    }
}

/// One opening session, in hall-local wall-clock time (`"08:30"` … `"12:00"`).
public struct OpeningSession: Codable, Hashable, Sendable {
    public var start: String
    public var end: String
    public init(start: String, end: String) {
        self.start = start
        self.end = end
    }
}

/// Whether a service issues numbers now.
public enum ServiceState: String, Codable, Hashable, Sendable {
    case open
    case closed
    case quotaReached
    case paused
}

/// Why a service does not issue numbers now.
public enum ServiceStateReason: String, Codable, Hashable, Sendable {
    /// Today is one of the hall's closed dates.
    case closedDate
    /// The service has no session today (e.g. weekend).
    case noSessionToday
    /// Before today's first session.
    case beforeOpening
    /// Between two sessions (lunch break).
    case betweenSessions
    /// Within the last minutes before a session closes, when issuing stops.
    case issuingStopped
    /// After today's last session.
    case afterClosing
    /// Today's quota (号源) is used up.
    case quotaReached
    /// Staff paused the service.
    case pausedByStaff
}

/// The hall's view of one service (事项).
public struct ServiceStatus: Codable, Hashable, Sendable {
    public var id: String
    public var name: LocalizedText
    /// Department or group (部门) the service belongs to, if the hall groups them.
    public var group: LocalizedText?
    /// Ticket prefix, e.g. `A`.
    public var prefix: String
    public var state: ServiceState
    /// Why the state is not `open`; `nil` when open.
    public var reason: ServiceStateReason?
    /// When the service next opens today (`"13:30"`), if it does.
    public var opensAt: String?
    /// Today's sessions of this service.
    public var todayHours: [OpeningSession]
    /// Tickets waiting now.
    public var waitingCount: Int
    /// Estimated wait for a ticket taken now, in minutes.
    public var estimatedWaitMinutes: Int
    /// Tickets issued today and today's quota (`nil` = no quota).
    public var issuedToday: Int
    public var dailyQuota: Int?
    /// Why staff paused the service (with `pausedByStaff`), in the clerk's words; absent when none was given.
    public var pauseReason: String?
    /// When the paused service may reopen (with `pausedByStaff`), if the clerk said.
    public var pausedUntil: Date?
    /// Windows serving this service with someone logged in now; 0 = the wait cannot be estimated honestly
    /// ("暂无窗口办理"). Servers before this field send none (then the kiosk shows the wait as before).
    public var openWindows: Int?
    /// When the service next issues numbers on a later day, when it does not any more today (closed date, no
    /// session today, issuing stopped, after closing). `nil` when it opens later today (`opensAt`) or is open.
    public var nextOpening: NextOpening?
    /// The weekdays the service has sessions (1 = Sunday … 7 = Saturday), so a kiosk can say "每周六办理".
    public var openWeekdays: [Int]?

    public init(id: String, name: LocalizedText, group: LocalizedText?, prefix: String, state: ServiceState,
                reason: ServiceStateReason?, opensAt: String?, todayHours: [OpeningSession], waitingCount: Int,
                estimatedWaitMinutes: Int, issuedToday: Int, dailyQuota: Int?, openWindows: Int? = nil,
                nextOpening: NextOpening? = nil, openWeekdays: [Int]? = nil) {
        self.id = id
        self.name = name
        self.group = group
        self.prefix = prefix
        self.state = state
        self.reason = reason
        self.opensAt = opensAt
        self.todayHours = todayHours
        self.waitingCount = waitingCount
        self.estimatedWaitMinutes = estimatedWaitMinutes
        self.issuedToday = issuedToday
        self.dailyQuota = dailyQuota
        self.openWindows = openWindows
        self.nextOpening = nextOpening
        self.openWeekdays = openWeekdays
    }
}

/// The first session of a later day on which a service issues numbers.
public struct NextOpening: Codable, Hashable, Sendable {
    /// The hall day, `YYYY-MM-DD`.
    public var day: String
    /// 1 = Sunday … 7 = Saturday.
    public var weekday: Int
    /// Days from today (1 = tomorrow).
    public var inDays: Int
    /// The session's start, `"08:30"`.
    public var start: String

    public init(day: String, weekday: Int, inDays: Int, start: String) {
        self.day = day
        self.weekday = weekday
        self.inDays = inDays
        self.start = start
    }
}

/// A service window (窗口) and whether someone serves there now.
public struct WindowStatus: Codable, Hashable, Sendable {
    public var id: String
    public var name: LocalizedText
    public var serviceIds: [String]
    /// True when a staff member is logged in at the window.
    public var isOpen: Bool
    /// The staff member logged in, shown on rating devices.
    public var staff: StaffSummary?
    /// The ticket number called or being served there now.
    public var currentTicketNumber: String?
    /// The break reason while the clerk logged in is on a break (暂停服务, the session kept); absent otherwise.
    public var breakReason: String?

    public init(id: String, name: LocalizedText, serviceIds: [String], isOpen: Bool, staff: StaffSummary?,
                currentTicketNumber: String?) {
        self.id = id
        self.name = name
        self.serviceIds = serviceIds
        self.isOpen = isOpen
        self.staff = staff
        self.currentTicketNumber = currentTicketNumber
    }
}

/// Who serves at a window, as shown to citizens (no personal data beyond the public work identity).
public struct StaffSummary: Codable, Hashable, Sendable {
    public var id: String
    public var name: String
    /// Employee number (工号), shown on rating devices.
    public var employeeNo: String
    /// URL path of the staff photo on the hall server with its version, e.g. `/staff-photos/s1?v=3f2a…`, if there is
    /// one. A new photo gives a new URL: a device may keep the image it fetched until the URL changes.
    public var photoUrl: String?

    public init(id: String, name: String, employeeNo: String, photoUrl: String?) {
        self.id = id
        self.name = name
        self.employeeNo = employeeNo
        self.photoUrl = photoUrl
    }
}
