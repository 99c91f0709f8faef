import Crypto
import Foundation
import HallAPI
import HallSecrets
import Hummingbird
import HTTPTypes

/// The city report page (`/city`), its sign-in and its CSV: every hall of the PostgreSQL database, for the holder of
/// `[city] token`. A session cookie of its own (`hall_city`), never the hall admin's; wrong tokens count towards the
/// same per-address login limit as the other sign-ins. On SQLite (one hall, no city) the page says so.
struct CityRoutes: Sendable {
    let desk: HallDesk
    let loginAttempts: LoginAttemptsMiddleware
    let secureCookies: Bool
    /// nil when the store is not PostgreSQL.
    let reporter: CityReporter?
    let sessions: AdminSessions

    static let cookie = "hall_city"

    func register(on router: Router<HallRequestContext>) {
        let desk = self.desk, reporter = self.reporter, sessions = self.sessions, secure = secureCookies
        let tokenDigest = desk.hall.cityTokenDigest

        @Sendable func signedIn(_ request: Request) async throws -> Bool {
            if let cookie = request.cookie(Self.cookie), try await sessions.isLive(cookie, now: desk.now) { return true }
            if let tokenDigest, let bearer = request.bearerToken {
                return constantTimeEqual(Array(SHA256.hash(data: Data(bearer.utf8))), tokenDigest)
            }
            return false
        }

        router.on(HallRoutes.cityPage) { request, _ in
            guard tokenDigest != nil else { return Responses.html(CityPage.closed(), status: .notFound) }
            guard try await signedIn(request) else { return Responses.html(CityPage.login(error: nil)) }
            let query = try CityQuery(request, timeZone: desk.hall.timeZone, now: desk.now)
            guard let reporter else { return Responses.html(CityPage.noCity(), status: .notFound) }
            let report = try await reporter.report(from: query.from, to: query.to, level: query.level, byDay: query.byDay)
            return Responses.html(CityPage.report(report, query: query))
        }

        let formLimit = loginAttempts.answering { CityPage.login(error: $0) }
        router.group().add(middleware: formLimit).on(HallRoutes.cityLogin) { request, context in
            guard let tokenDigest else { return Responses.html(CityPage.closed(), status: .notFound) }
            let fields = try await request.formFields(context: context)
            let token = fields.first { $0.0 == "token" }?.1 ?? ""
            guard constantTimeEqual(Array(SHA256.hash(data: Data(token.utf8))), tokenDigest) else {
                desk.logger.notice("city report: wrong token", metadata: ["client": "\(context.clientAddress)"])
                return Responses.html(CityPage.login(error: "令牌不正确 / Wrong city token"), status: .unauthorized)
            }
            var response = PageRoutes.seeOther("/city")
            let session = try await sessions.start(now: desk.now, random: desk.random)
            response.setCookie(Cookie(name: Self.cookie, value: session, maxAge: Int(sessions.lifetime), path: "/city",
                                      secure: secure, httpOnly: true, sameSite: .strict))
            return response
        }

        router.on(HallRoutes.cityCSV) { request, _ in
            guard tokenDigest != nil else { return Responses.html(CityPage.closed(), status: .notFound) }
            guard try await signedIn(request) else { return PageRoutes.seeOther("/city") }
            guard let reporter else { return Responses.html(CityPage.noCity(), status: .notFound) }
            let query = try CityQuery(request, timeZone: desk.hall.timeZone, now: desk.now)
            let report = try await reporter.report(from: query.from, to: query.to, level: query.level, byDay: query.byDay)
            var headers = HTTPFields()
            headers[.contentDisposition] = "attachment; filename=\"city-\(query.from)-\(query.to)-\(query.level.rawValue)\(query.byDay ? "-daily" : "").csv\""
            return Responses.text(CityReportCSV.render(report), contentType: "text/csv; charset=utf-8", headers: headers)
        }
    }
}

/// The city page's query: `month=YYYY-MM` or `from=`/`to=` (default: this month in the hall's time zone), `by=` level,
/// `day=1` for rows by day. Bad values are a 400 naming the parameter.
struct CityQuery: Sendable {
    var from: String
    var to: String
    var month: String?
    var level: CityReportLevel
    var byDay: Bool

    init(_ request: Request, timeZone: TimeZone, now: Date) throws {
        let q = request.uri.queryParameters
        if let by = q.get("by"), !by.isEmpty {
            guard let level = CityReportLevel(rawValue: by) else {
                throw HallError(.badRequest, "by must be one of \(CityReportLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.level = level
        } else {
            level = .hall
        }
        byDay = q.get("day") == "1"
        if let from = q.get("from"), !from.isEmpty {
            let to = q.get("to").flatMap { $0.isEmpty ? nil : $0 } ?? from
            guard HallClock.isValidDay(from), HallClock.isValidDay(to) else { throw HallError(.badRequest, "from and to must be dates like 2026-11-01") }
            guard from <= to else { throw HallError(.badRequest, "from (\(from)) is after to (\(to))") }
            (self.from, self.to, month) = (from, to, nil)
        } else {
            let month = q.get("month").flatMap { $0.isEmpty ? nil : $0 } ?? String(HallClock(timeZone: timeZone).moment(now).day.prefix(7))
            guard let days = CityReporter.days(ofMonth: month) else { throw HallError(.badRequest, "month must be like 2026-11") }
            (from, to, self.month) = (days.from, days.to, month)
        }
    }

    /// The query string of this report with `extra` (for the CSV link and the level links).
    func queryString(level: CityReportLevel? = nil) -> String {
        var items = month.map { ["month=\($0)"] } ?? ["from=\(from)", "to=\(to)"]
        items.append("by=\((level ?? self.level).rawValue)")
        if byDay { items.append("day=1") }
        return items.joined(separator: "&")
    }
}
