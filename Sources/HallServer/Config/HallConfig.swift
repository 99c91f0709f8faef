import Foundation
import HallAPI

/// The hall as its IT staff describe it in `hall.toml` (example: `kiosk/demo/hall.toml`).
///
/// Top-level tables: `[hall]`, `[[services]]`, `[[windows]]`, `[[staff]]`, `[[devices]]`, `[ratings]`, `[backup]`, `[limits]`, `[tls]`,
/// `[maintenance]`, `[database]`, `[city]`, `[alerts]`, `[console]`, `[calling]`, `[identity]`, `[appointments]`.
/// Every key is documented in README.md ("Hall configuration"). `HallConfig.load(from:)` parses and
/// validates; an invalid file is refused with the file, key and what is wrong.
public struct HallConfig: Codable, Sendable {
    public var hall: HallSection
    public var services: [ServiceConfig]
    public var windows: [WindowConfig]
    public var staff: [StaffConfig]
    public var devices: [DeviceConfig]
    public var ratings: RatingSettings?
    /// `[backup]`: folder and count of `hallserver backup` copies.
    public var backup: BackupSettings?
    /// `[limits]`: request rate and size limits.
    public var limits: LimitsSettings?
    /// `[tls]`: certificate and key when the server speaks https itself.
    public var tls: TLSSettings?
    /// `[maintenance]`: how long window events are kept, the disk reserve.
    public var maintenance: MaintenanceSettings?
    /// `[database]`: an SQLite file or a PostgreSQL URL (`--db` wins).
    public var database: DatabaseSettings?
    /// `[calling]`: recalls allowed per ticket, the calling screens' notice line.
    public var calling: CallingSettings?
    /// `[city]`: the city administrator's token for the city report page.
    public var city: CitySettings?
    /// `[console]`: the clerk's calling console — when 过号 is allowed, undo, 过号重排, break reasons.
    public var console: ConsoleSettings?
    /// `[alerts]`: when devices and the disk raise alerts, and the webhook they are posted to (`AlertSettings`).
    public var alerts: AlertSettings?
    /// `[identity]`: the identity key file (ID numbers → keyed HMAC, sealed phones).
    public var identity: IdentitySettings?
    /// `[appointments]`: check-in window, late arrivals, the platform's token, the booking page and no-show bans.
    public var appointments: AppointmentSettings?

    public init(hall: HallSection, services: [ServiceConfig], windows: [WindowConfig], staff: [StaffConfig],
                devices: [DeviceConfig], ratings: RatingSettings? = nil, backup: BackupSettings? = nil,
                limits: LimitsSettings? = nil, tls: TLSSettings? = nil, maintenance: MaintenanceSettings? = nil,
                database: DatabaseSettings? = nil, calling: CallingSettings? = nil, city: CitySettings? = nil,
                alerts: AlertSettings? = nil) {
        self.hall = hall
        self.services = services
        self.windows = windows
        self.staff = staff
        self.devices = devices
        self.ratings = ratings
        self.backup = backup
        self.limits = limits
        self.tls = tls
        self.maintenance = maintenance
        self.database = database
        self.calling = calling
        self.city = city
        self.alerts = alerts
    }
}

/// `[calling]`: how windows call and what the calling displays (叫号屏) show besides the calls.
public struct CallingSettings: Codable, Sendable {
    /// How often a called ticket may be recalled (重呼). Default 3, at most 20.
    public var recallLimit: Int?
    /// The notice line that scrolls along the bottom of the hall screens, e.g.
    /// `{ zh = "取号后请在休息区等候", en = "Please wait in the seating area" }`.
    public var notice: LocalizedText?
}

/// `[hall]`: the hall itself.
public struct HallSection: Codable, Sendable {
    /// Short id, e.g. `demo-hall`; stored with every rating.
    public var id: String
    public var name: LocalizedText
    /// IANA time zone; the hall day and opening hours are in it. Default `Asia/Shanghai`.
    public var timezone: String?
    /// Base URL phones reach the server at; ticket QR codes hold `<publicBaseUrl>/t/<token>`.
    public var publicBaseUrl: String
    /// Admin token for `/admin/*` and reports: `adminToken` (plain) or `adminTokenSha256` (hex).
    public var adminToken: String?
    public var adminTokenSha256: String?
    /// Token Prometheus sends to scrape `/metrics`: `metricsToken` (plain) or `metricsTokenSha256` (hex).
    /// Without one `/metrics` is open (counts only, no personal data); the admin token is always accepted.
    public var metricsToken: String?
    public var metricsTokenSha256: String?
    /// Opening hours per weekday, e.g. `monday = ["08:30-12:00", "13:30-17:00"]`, or `everyDay = [...]`.
    public var hours: WeeklyHours
    /// Stop issuing this many minutes before a session closes. Default 0.
    public var stopIssuingMinutesBeforeClose: Int?
    /// Dates the hall is closed, `YYYY-MM-DD`.
    public var closedDates: [String]?
    /// Make-up workdays (调休上班), `YYYY-MM-DD`: the hall and every service open with their Monday hours that day.
    public var workDates: [String]?
    /// A line the ticket kiosks show on their home screen (`GET /api/v1/hall` `notice`), e.g.
    /// `{ zh = "今日 16:00 停止取号", en = "No tickets after 16:00 today" }`.
    public var kioskNotice: LocalizedText?
    /// How long a staff login lasts, hours. Default 12.
    public var staffSessionHours: ConfigNumber?
    /// Which recent completions set a service's average time. Default 20.
    public var averageOverLastCompletions: Int?
    /// Priority lanes (绿色通道) the kiosks offer, e.g. `["elderly", "disabled"]`; the citizen picks one before the
    /// service and the window's clerk sees it. Default: none.
    public var kioskPriorityLanes: [String]?
}

/// `[[services]]`: one service (事项) with its own queue.
public struct ServiceConfig: Codable, Sendable {
    public var id: String
    public var name: LocalizedText
    /// Department (部门) shown as a group on the kiosk.
    public var group: LocalizedText?
    /// Ticket prefix, one or two capital letters, unique in the hall.
    public var prefix: String
    /// First number of the day. Default 1.
    public var firstNumber: Int?
    /// Digits after the prefix (`A023` has 3). Default 3.
    public var digits: Int?
    /// Tickets per hall day (号源); absent = no quota.
    public var dailyQuota: Int?
    /// The service's own hours; absent = the hall's.
    public var hours: WeeklyHours?
    /// Overrides the hall's `stopIssuingMinutesBeforeClose`.
    public var stopIssuingMinutesBeforeClose: Int?
    /// Seed for the average service time, minutes (learned from completions afterwards). Default 10.
    public var averageServiceMinutes: ConfigNumber?
    /// Numbers for this service only with an ID card placed at the kiosk. Default false.
    public var requiresIdCard: Bool?
    /// Numbers one person may take at this service per hall day (known by ID card or appointment); absent: no limit.
    public var dailyLimitPerPerson: Int?
    /// Bookings per slot on the hall's own booking page; absent or 0: not bookable there.
    public var appointmentCapacity: Int?
}

/// `[[windows]]`: a service window (窗口).
public struct WindowConfig: Codable, Sendable {
    public var id: String
    public var name: LocalizedText
    /// Ids of the services this window serves.
    public var services: [String]
    /// The short number the calling screens show large and the voice says (`"3"`). Default: the digits the
    /// Chinese name starts with (`3号窗口` → `3`); none when it starts with none (then the name is shown and said).
    public var number: String?
}

/// `[[staff]]`: a staff member who can log in at windows.
public struct StaffConfig: Codable, Sendable {
    public var id: String
    public var name: String
    /// Employee number (工号), used to log in and shown on rating devices.
    public var employeeNo: String
    /// Photo file (JPEG/PNG), relative to the config file's folder.
    public var photo: String?
    /// SHA-256 of a photo uploaded on the settings page, kept in the hall's database (written by the page, not by
    /// hand; wins over `photo`). An exported hall.toml leaves it out and says so.
    public var photoSha256: String?
    /// Login PIN hash from `hallserver hash-secret`: `pbkdf2-sha256$rounds$salt$hash`.
    public var pinHash: String
    /// A disabled staff member cannot log in; their past tickets and ratings keep their name. Default false.
    public var disabled: Bool?
}

/// `[[devices]]`: a kiosk or a rating device.
public struct DeviceConfig: Codable, Sendable {
    public var id: String
    public var role: DeviceRole
    /// The window a rating device belongs to.
    public var window: String?
    /// Bearer token: `token` (plain) or `tokenSha256` (hex of its SHA-256).
    public var token: String?
    public var tokenSha256: String?
}

/// `[ratings]`: local 好差评 rules.
public struct RatingSettings: Codable, Sendable {
    /// Days after completion a service can still be rated (phone page). Default 7.
    public var ratableForDays: Int?
    /// A rating made later than this many hours after completion is flagged `late`. Default 24.
    public var lateAfterHours: ConfigNumber?
    /// Show the logged-in staff member's 好评率 on the window's rating device (`GET /api/v1/windows/{id}`). Default false.
    public var showStaffSatisfaction: Bool?
    /// Days of active ratings the staff figure covers, 1…366. Default 30.
    public var staffSatisfactionDays: Int?
}
