import Crypto
import Foundation
import HallAPI
import Hummingbird

/// HTML pages: the phone progress page, the staff console and the admin pages.
struct PageRoutes: Sendable {
    let desk: HallDesk
    /// Login attempts per address, on the login routes themselves (however their path is spelled).
    let loginAttempts: LoginAttemptsMiddleware
    /// `Secure` on every cookie (the server speaks TLS itself).
    let secureCookies: Bool

    func register(on router: Router<HallRequestContext>) {
        registerPhonePage(on: router)
        ConsoleRoutes(desk: desk, loginAttempts: loginAttempts, secureCookies: secureCookies).register(on: router)
        registerAdminPages(on: router)
    }

    // MARK: Phone page

    private func registerPhonePage(on router: Router<HallRequestContext>) {
        let desk = self.desk
        router.on(HallRoutes.phonePage) { request, context in
            let token = try context.parameters.require("token")
            let language = Self.language(request.uri.queryParameters.get("lang"))
            // After a rating POST the browser is sent here (POST-redirect-GET): a reload never posts again.
            let notice: PhoneNotice? = switch request.uri.queryParameters.get("rated") {
            case "1": .thanks
            case "already": .alreadyRated
            default: nil
            }
            return try await phonePage(token: token, language: language, notice: notice)
        }

        router.on(HallRoutes.phoneEvents) { request, context in
            let token = try context.parameters.require("token")
            // Subscribe before the first read so no change falls between the two.
            let live = desk.events.subscribeHall()
            do {
                _ = try await desk.progress(token: token)
            } catch let error as HallError where error.httpStatus == 404 {
                return Responses.html(NotFoundPage.render(language: .zh), status: .notFound)
            }
            let headers = EventStreamBody.headers
            let body = TicketEventStreamer(desk: desk, token: token, heartbeatSeconds: 15, live: live).body()
            return Response(status: .ok, headers: headers, body: body)
        }

        router.on(HallRoutes.phoneRating) { request, context in
            let token = try context.parameters.require("token")
            let fields = try await request.formFields(context: context)
            let language = Self.language(fields.first { $0.0 == "lang" }?.1)
            let level = fields.first { $0.0 == "level" }?.1 ?? ""
            // Reasons belong to a 差评 only: ticked ones left behind after choosing another level are not sent on.
            let isBad = RatingLevel(rawValue: level)?.isBad ?? true
            let reasons = isBad ? fields.filter { $0.0 == "reasons" }.map(\.1) : []
            let text = fields.first { $0.0 == "text" }?.1.trimmingCharacters(in: .whitespacesAndNewlines)
            // What the citizen chose stays chosen when the form comes back with a message.
            var draft = PhoneRatingDraft(level: RatingLevel(rawValue: level), reasons: reasons.compactMap(RatingReason.init(rawValue:)),
                                         text: text ?? "")
            let done = { (flag: String) in Self.seeOther("/t/" + HTML.urlComponent(token) + "?lang=" + language.rawValue + "&rated=" + flag) }
            guard !level.isEmpty else {
                return try await phonePage(token: token, language: language,
                                           notice: .error(language == .zh ? "请选择一个评价等级。" : "Please choose a rating."), draft: draft)
            }
            // One rating per form view: the id is derived from the token and the submitted choice so a double submit is idempotent.
            let ratingId = Self.phoneRatingId(token: token, level: level, reasons: reasons, text: text ?? "")
            var submission = RatingSubmission(ratingId: ratingId, ticketToken: token, channel: .phoneQr, level: .satisfied)
            submission.level = level
            submission.reasons = reasons
            submission.text = (text?.isEmpty ?? true) ? nil : text
            do {
                _ = try await desk.submitRating(submission, idempotencyKey: ratingId, by: .phone)
                return done("1")
            } catch let error as HallError {
                switch error.kind {
                case .alreadyRated:
                    return done("already")
                case .reasonRequired:
                    // Said beside the reasons, where the citizen has to act.
                    draft.reasonsError = language == .zh ? "选择“不满意”或“非常不满意”时，请至少选择一个原因。"
                                                         : "For Dissatisfied or Very dissatisfied, please choose at least one reason."
                    return try await phonePage(token: token, language: language, notice: nil, draft: draft)
                case .notFound, .unknownTicket:
                    return Responses.html(NotFoundPage.render(language: language), status: .notFound)
                case .invalidRating where error.message.hasPrefix("text is limited"):
                    return try await phonePage(token: token, language: language, notice: .error(
                        language == .zh ? "意见内容太长，最多 \(InputLength.ratingTextScalars) 个字，请删减后再提交。"
                                        : "The comment is too long: at most \(InputLength.ratingTextScalars) characters."), draft: draft)
                default:
                    return try await phonePage(token: token, language: language, notice: .error(
                        language == .zh ? "评价未能提交，请稍后再试或咨询工作人员。" : "The rating could not be sent. Please try again or ask staff."),
                        draft: draft)
                }
            }
        }
        // GET /staff-photos/{id}: AdminSettingsRoutes (the photo is kept with the settings).
    }

    private func phonePage(token: String, language: Language, notice: PhoneNotice?,
                           draft: PhoneRatingDraft? = nil) async throws -> Response {
        let progress: TicketProgress
        do {
            progress = try await desk.progress(token: token)
        } catch let error as HallError where error.httpStatus == 404 {
            return Responses.html(NotFoundPage.render(language: language), status: .notFound)
        }
        let refresh = [.waiting, .called, .serving].contains(progress.status) ? 15 : 0
        var model = PhonePageModel(hallName: desk.hall.name, language: language, token: token, progress: progress, notice: notice,
                                   timeZone: desk.hall.timeZone, refreshSeconds: refresh)
        model.draft = draft
        model.calls = try await desk.phoneCallFacts(progress)
        return Responses.html(PhonePage.render(model), script: PhonePage.liveScript)
    }

    static func language(_ text: String?) -> Language {
        text?.lowercased().hasPrefix("en") == true ? .en : .zh
    }

    static func phoneRatingId(token: String, level: String, reasons: [String], text: String) -> String {
        let digest = Array(SHA256.hash(data: Data("\(token)|\(level)|\(reasons.sorted().joined(separator: ","))|\(text)".utf8)))
        var b = Array(digest.prefix(16))
        b[6] = (b[6] & 0x0F) | 0x50
        b[8] = (b[8] & 0x3F) | 0x80
        let h = Array(Hex.encode(b))
        return String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(h[16..<20]) + "-" + String(h[20..<32])
    }

    // MARK: Staff console (its routes: `ConsoleRoutes`)

    /// A refused login in Chinese and English: which lock, and what the clerk can do.
    static func lockWords(_ error: HallError) -> String {
        let minutes = max(1, ((error.retryAfterSeconds ?? 60) + 59) / 60)
        let zh: String
        if error.message.contains("several places") {
            zh = "该工号正被多处尝试登录，请在您常用的叫号电脑上登录，或 \(minutes) 分钟后再试"
        } else if error.message.contains("checking another login") {
            zh = "服务器正在核对另一次登录，请稍候再试"
        } else if error.message.contains("from this device") {
            zh = "本设备输错该工号的 PIN 次数过多，请 \(minutes) 分钟后再试"
        } else {
            zh = "本设备输错 PIN 次数过多，请 \(minutes) 分钟后再试"
        }
        return zh + " / " + error.message
    }

    static func consoleCookie(_ login: StaffLogin, desk: HallDesk, secure: Bool) -> Cookie {
        Cookie(name: login.consoleCookie.name, value: login.consoleCookie.value, maxAge: Int(desk.trustedConsole.lifetime),
               path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    static func actionWords(_ action: WindowAction) -> String {
        switch action {
        case .callNext: "已叫号 / Called"
        case .recall: "已重呼 / Called again"
        case .start: "开始办理 / Serving"
        case .complete: "办结 / Completed"
        case .noShow: "已过号 / Marked missed"
        case .transfer: "已转移 / Transferred"
        }
    }

    static func seeOther(_ location: String) -> Response {
        var response = Response.redirect(to: location, type: .found)
        response.status = .seeOther
        return response
    }

    // MARK: Admin pages

    private func registerAdminPages(on router: Router<HallRequestContext>) {
        let desk = self.desk
        router.on(HallRoutes.admin) { _, _ in Self.seeOther("/admin/devices") }

        router.on(HallRoutes.adminLoginPage) { request, _ in
            Responses.html(AdminPages.login(error: nil, next: Self.safeNext(request.uri.queryParameters.get("next"))))
        }

        let adminFormLimit = loginAttempts.answering { AdminPages.login(error: $0, next: "/admin/devices") }
        router.group().add(middleware: adminFormLimit).on(HallRoutes.adminLogin) { request, context in
            let fields = try await request.formFields(context: context)
            let token = fields.first { $0.0 == "token" }?.1 ?? ""
            let next = Self.safeNext(fields.first { $0.0 == "next" }?.1)
            // One lockout for the admin token however it is presented (here or as a bearer on the API).
            let matched = desk.isAdmin(bearer: token)
            do {
                try await desk.presentAdminCredential(matched: matched, context: context)
            } catch let error as HallError {
                let minutes = (error.retryAfterSeconds ?? 60) / 60 + 1
                var headers = HTTPFields()
                headers[.retryAfter] = "\(error.retryAfterSeconds ?? 60)"
                return Responses.html(AdminPages.login(error: "尝试次数过多，请 \(minutes) 分钟后再试 / Too many wrong tokens; try again in \(minutes) minutes",
                                                       next: next), status: .tooManyRequests, headers: headers)
            }
            guard matched else {
                return Responses.html(AdminPages.login(error: "令牌不正确 / Wrong admin token", next: next), status: .unauthorized)
            }
            var response = Self.seeOther(next)
            let session = try await desk.adminSessions.start(now: desk.now, random: desk.random)
            response.setCookie(Cookie(name: AdminCookie.name, value: session, maxAge: Int(desk.adminSessions.lifetime), path: "/",
                                      secure: secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }

        router.on(HallRoutes.adminLogout) { request, context in
            if let session = request.cookie(AdminCookie.name), try await context.hasAdminSession(desk) {
                let fields = try await request.formFields(context: context)
                guard FormToken.isValid(fields, session: session) else {
                    return Responses.html(AdminPages.login(error: "页面已过期，请重试 / This page was out of date; please try again", next: "/admin/devices"),
                                          status: .forbidden)
                }
                try await desk.adminSessions.end(session)
                desk.logger.info("admin signed out")
            }
            var response = Self.seeOther("/admin/login")
            response.setCookie(Cookie(name: AdminCookie.name, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }

        router.on(HallRoutes.adminDevices) { request, context in
            guard try await context.isAdminOnPage(desk) else {
                return Self.seeOther("/admin/login?next=/admin/devices")
            }
            let rows = try await desk.deviceReports().map {
                DeviceRow(id: $0.device.id, role: $0.device.role.rawValue, windowId: $0.device.windowId, lastSeen: $0.lastSeen,
                          heartbeat: $0.heartbeat, alerts: $0.alerts)
            }
            return Responses.html(AdminPages.devices(hallName: desk.hall.name, rows: rows, now: desk.now, timeZone: desk.hall.timeZone,
                                                     formToken: Self.adminFormToken(request), clockProblem: desk.clockProblem()))
        }

        router.on(HallRoutes.adminReports) { request, context in
            guard try await context.isAdminOnPage(desk) else {
                return Self.seeOther("/admin/login?next=/admin/reports")
            }
            let (from, to, by) = try APIRoutes(desk: desk, responses: Responses(timeZone: desk.hall.timeZone)).reportQuery(request)
            let report = try await desk.satisfactionReport(from: from, to: to, by: by)
            return Responses.html(AdminPages.report(hallName: desk.hall.name, report: report, timeZone: desk.hall.timeZone,
                                                    formToken: Self.adminFormToken(request)))
        }
    }

    /// The form token of the request's admin session ("" for a bearer-token visit, which has nothing to sign out).
    static func adminFormToken(_ request: Request) -> String {
        request.cookie(AdminCookie.name).map { FormToken.value(session: $0) } ?? ""
    }

    /// Only this server's admin pages are followed after login: a path under `/admin/` made of plain URL
    /// characters. Anything else — another host (`//evil`, `/\\evil`, `/\t/evil`, which browsers read as
    /// `//evil`), a scheme, encoded slashes or control characters — goes to the device page.
    static func safeNext(_ next: String?) -> String {
        let fallback = "/admin/devices"
        guard let next, next.utf8.count <= 512, next.hasPrefix("/admin/") || next == "/admin" else { return fallback }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_.?=&".utf8)
        guard next.utf8.allSatisfy(allowed.contains), !next.contains("//"), !next.contains("..") else { return fallback }
        return next
    }
}
