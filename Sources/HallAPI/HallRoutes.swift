import Foundation

/// One route of the hall server: a method and a path template whose `{name}` parts are parameters.
/// The server registers its handlers by these values and the kiosk builds its requests from them, so the two
/// cannot drift apart; `docs/openapi.yaml` is checked against `HallRoutes.all`.
public struct HallRoute: Sendable, Hashable, CustomStringConvertible {
    public enum Method: String, Sendable {
        case GET, POST
    }

    /// Who the route is for: the JSON API (devices, scripts) or a browser page (phone, console, admin).
    public enum Audience: Sendable {
        case api, page
    }

    public let method: Method
    /// `/api/v1/tickets/{token}`.
    public let template: String
    public let audience: Audience

    public init(_ method: Method, _ template: String, _ audience: Audience = .api) {
        self.method = method
        self.template = template
        self.audience = audience
    }

    /// `GET /api/v1/tickets/{token}`.
    public var description: String { "\(method.rawValue) \(template)" }

    /// The path with the template's parameters filled in, in order, each percent-encoded as one path segment
    /// (`/` and `?` in a value cannot change the route). A count that does not match the template stops the program:
    /// it is a mistake in the caller's code, not input.
    public func path(_ values: String...) -> String { path(values) }

    private func path(_ values: [String]) -> String {
        var result = ""
        var remaining = values[...]
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            guard let value = remaining.popFirst() else { preconditionFailure("\(self): too few values \(values)") }
            result += Self.segment(value)
            rest = rest[rest.index(after: close)...]
        }
        precondition(remaining.isEmpty, "\(self): too many values \(values)")
        return result + rest
    }

    /// A request on this route: the method and the path with `values` filled in, plus `query` (each name and
    /// value percent-encoded; nil values left out). `HallRoutes.ticketByToken(token)`,
    /// `HallRoutes.ticketByNumber(query: [("number", "A023")])`.
    public func callAsFunction(_ values: String..., query: [(String, String?)] = []) -> Target {
        var path = self.path(values)
        let pairs = query.compactMap { name, value in value.map { Self.segment(name) + "=" + Self.segment($0) } }
        if !pairs.isEmpty { path += "?" + pairs.joined(separator: "&") }
        return Target(method: method, path: path)
    }

    /// A route with its parameters filled in: what a client sends.
    public struct Target: Sendable, Hashable, CustomStringConvertible {
        public let method: Method
        /// `/api/v1/tickets/q3VxT0b9?…`.
        public let path: String
        public var description: String { "\(method.rawValue) \(path)" }
    }

    /// `text` percent-encoded so that it stays one path segment (or one query name or value: the same unreserved set).
    public static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~"))) ?? text
    }
}

/// Every route the hall server answers.
public enum HallRoutes {
    // Operations
    public static let health = HallRoute(.GET, "/healthz")
    public static let metrics = HallRoute(.GET, "/metrics")

    // The hall and its tickets
    public static let hall = HallRoute(.GET, "/api/v1/hall")
    public static let issueTicket = HallRoute(.POST, "/api/v1/tickets")
    public static let ticketByToken = HallRoute(.GET, "/api/v1/tickets/{token}")
    /// `?number=A023` (and `&ratingCode=1234`).
    public static let ticketByNumber = HallRoute(.GET, "/api/v1/tickets")

    // Ratings
    public static let rate = HallRoute(.POST, "/api/v1/ratings")
    public static let rating = HallRoute(.GET, "/api/v1/ratings/{id}")

    // Devices
    public static let heartbeat = HallRoute(.POST, "/api/v1/devices/{id}/heartbeat")
    public static let devices = HallRoute(.GET, "/api/v1/devices")

    // Reports and services
    public static let satisfactionReport = HallRoute(.GET, "/api/v1/reports/satisfaction")
    public static let satisfactionCSV = HallRoute(.GET, "/api/v1/reports/satisfaction.csv")
    public static let pauseService = HallRoute(.POST, "/api/v1/services/{id}/pause")
    public static let resumeService = HallRoute(.POST, "/api/v1/services/{id}/resume")

    // Windows
    public static let window = HallRoute(.GET, "/api/v1/windows/{id}")
    public static let windowRecentEvents = HallRoute(.GET, "/api/v1/windows/{id}/recent-events")
    public static let windowEvents = HallRoute(.GET, "/api/v1/windows/{id}/events")
    public static let windowLogin = HallRoute(.POST, "/api/v1/windows/{id}/login")
    public static let windowLogout = HallRoute(.POST, "/api/v1/windows/{id}/logout")
    /// `POST /api/v1/windows/{id}/callNext`, `…/recall` … : one route per window action.
    public static func windowAction(_ action: WindowAction) -> HallRoute {
        HallRoute(.POST, "/api/v1/windows/{id}/\(action.rawValue)")
    }

    // Calling displays
    /// The hall board snapshot: recent calls, windows, waiting counts, the notice.
    public static let hallBoard = HallRoute(.GET, "/api/v1/hall/board")

    // Check-in by ID card and appointment (issue 21)
    public static let checkinLookup = HallRoute(.POST, "/api/v1/checkins/lookup")
    public static let checkin = HallRoute(.POST, "/api/v1/checkins")
    /// The hall's calls and window changes as server-sent events (`Last-Event-ID` resumes).
    public static let hallCallEvents = HallRoute(.GET, "/api/v1/hall/calls/events")

    // Pages: the citizen's phone
    public static let phonePage = HallRoute(.GET, "/t/{token}", .page)
    public static let phoneRating = HallRoute(.POST, "/t/{token}/rating", .page)
    /// The phone page's live link: `progress` server-sent events when the ticket changes.
    public static let phoneEvents = HallRoute(.GET, "/t/{token}/events", .page)
    public static let staffPhoto = HallRoute(.GET, "/staff-photos/{id}", .page)

    // Pages: the clerk's console
    public static let staffConsole = HallRoute(.GET, "/staff", .page)
    public static let staffLogin = HallRoute(.POST, "/staff/login", .page)
    public static let staffAction = HallRoute(.POST, "/staff/action", .page)
    public static let staffService = HallRoute(.POST, "/staff/service", .page)
    public static let staffLogout = HallRoute(.POST, "/staff/logout", .page)
    /// The console's live link: `console` server-sent events when what the console shows changed.
    public static let staffEvents = HallRoute(.GET, "/staff/events", .page)

    // Pages: the hall's admin
    public static let admin = HallRoute(.GET, "/admin", .page)
    public static let adminLoginPage = HallRoute(.GET, "/admin/login", .page)
    public static let adminLogin = HallRoute(.POST, "/admin/login", .page)
    public static let adminLogout = HallRoute(.POST, "/admin/logout", .page)
    public static let adminDevices = HallRoute(.GET, "/admin/devices", .page)
    public static let adminReports = HallRoute(.GET, "/admin/reports", .page)
    public static let adminAlerts = HallRoute(.GET, "/admin/alerts", .page)
    public static let adminSettings = HallRoute(.GET, "/admin/settings", .page)
    public static let adminSettingsChange = HallRoute(.POST, "/admin/settings", .page)
    public static let adminSettingsAudit = HallRoute(.GET, "/admin/settings/audit", .page)
    public static let adminSettingsExport = HallRoute(.GET, "/admin/settings/export", .page)
    /// A staff photo uploaded from the settings page (`multipart/form-data`).
    public static let adminStaffPhoto = HallRoute(.POST, "/admin/settings/staff-photo", .page)

    // City report (every hall of the PostgreSQL database), for `[city] token`.
    public static let cityPage = HallRoute(.GET, "/city", .page)
    public static let cityLogin = HallRoute(.POST, "/city/login", .page)
    public static let cityCSV = HallRoute(.GET, "/city/report.csv", .page)

    /// Every route, API first.
    public static let all: [HallRoute] = [
        health, metrics, hall, issueTicket, ticketByToken, ticketByNumber, rate, rating, heartbeat, devices,
        satisfactionReport, satisfactionCSV, pauseService, resumeService,
        window, windowRecentEvents, windowEvents, windowLogin, windowLogout, hallBoard, hallCallEvents,
    ] + WindowAction.allCases.map(windowAction) + [
        phonePage, phoneRating, phoneEvents, staffPhoto, staffConsole, staffLogin, staffAction, staffService, staffLogout, staffEvents,
        admin, adminLoginPage, adminLogin, adminLogout, adminDevices, adminReports,
        adminAlerts, adminSettings, adminSettingsChange, adminSettingsAudit, adminSettingsExport, adminStaffPhoto,
        cityPage, cityLogin, cityCSV,
    ]
}
