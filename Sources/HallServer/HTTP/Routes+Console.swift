import Foundation
import HallAPI
import Hummingbird

/// The clerk's calling console (`/staff`): sign-in (asking before taking over an occupied window), the console page,
/// its live panel and event stream, and its forms. Every form posts, acts and redirects back (303) to the console,
/// which says what was done; a refused form answers the console with the reason. Confirmations (过号, signing out
/// with a ticket at the window, pausing a whole service) are console pages of their own (`/staff?confirm=…`).
struct ConsoleRoutes: Sendable {
    let desk: HallDesk
    let loginAttempts: LoginAttemptsMiddleware
    let secureCookies: Bool

    func register(on router: Router<HallRequestContext>) {
        let desk = self.desk
        let secureCookies = self.secureCookies
        // Read at each request: windows added or renamed on the settings pages show at once.
        @Sendable func windows() -> [WindowRef] { desk.hall.windows.map(\.ref) }

        router.on(HallRoutes.staffConsole) { request, context in
            guard let (session, token) = context.staffConsole else {
                // The live panel of a console whose session ended: the page's script then reloads to the sign-in page.
                if request.uri.queryParameters.get("part") == "live" {
                    return Responses.html(StaffConsolePage.login(windows: windows(), selectedWindowId: nil, error: nil), status: .unauthorized)
                }
                return Responses.html(StaffConsolePage.login(windows: windows(), selectedWindowId: request.uri.queryParameters.get("window"), error: nil))
            }
            let query = request.uri.queryParameters
            if query.get("part") == "live" {
                let model = try await ConsoleView.model(desk, session: session, token: token)
                return Responses.html(StaffConsolePage.livePanel(model))
            }
            let confirm = ConsoleConfirm(query: query.get("confirm"), serviceId: query.get("service"))
            return try await ConsoleView.page(desk, session: session, token: token,
                                              message: ConsoleView.doneWords(query.get("done"), number: query.get("n")),
                                              error: nil, confirm: confirm)
        }

        router.on(HallRoutes.staffEvents) { _, context in
            guard let (session, _) = context.staffConsole else { throw HallError(.unauthorized, "sign in at /staff first") }
            let live = desk.events.subscribeHall()
            // A heartbeat every 5 s also re-reads the console: what another server instance issued, and the 过号
            // button that turns on with time, show within seconds even without a signal.
            let body = ConsoleEventStreamer(desk: desk, session: session, heartbeatSeconds: 5, live: live).body()
            return Response(status: .ok, headers: EventStreamBody.headers, body: body)
        }

        let staffFormLimit = loginAttempts.answering { StaffConsolePage.login(windows: windows(), selectedWindowId: nil, error: $0) }
        router.group().add(middleware: staffFormLimit).on(HallRoutes.staffLogin) { request, context in
            let fields = try await request.formFields(context: context)
            let windowId = fields.value("windowId") ?? ""
            let login = StaffLoginRequest(employeeNo: fields.value("employeeNo") ?? "", pin: fields.value("pin") ?? "")
            // A window someone else is signed in at: ask first, saying who would be signed out.
            if fields.value("takeover") != "1", desk.hall.window(windowId) != nil,
               let occupant = try await desk.otherOccupant(windowId: windowId, staffId: desk.hall.staffMember(employeeNo: login.employeeNo)?.id) {
                return Responses.html(StaffConsolePage.takeover(windows: windows(), windowId: windowId, employeeNo: login.employeeNo,
                                                                occupant: occupant), status: .conflict)
            }
            do {
                let answer = try await desk.login(windowId: windowId, login, client: request.loginClient(context, desk: desk))
                var response = PageRoutes.seeOther("/staff")
                response.setCookie(Cookie(name: StaffCookie.name, value: answer.response.staffToken, maxAge: Int(desk.hall.staffSessionSeconds),
                                          path: "/staff", secure: secureCookies, httpOnly: true, sameSite: .strict))
                response.setCookie(PageRoutes.consoleCookie(answer, desk: desk, secure: secureCookies))
                return response
            } catch let error as HallError {
                let text = error.kind == .tooManyAttempts ? PageRoutes.lockWords(error)
                    : "工号或 PIN 不正确 / Employee number or PIN is wrong"
                var headers = HTTPFields()
                if let seconds = error.retryAfterSeconds { headers[.retryAfter] = "\(seconds)" }
                return Responses.html(StaffConsolePage.login(windows: windows(), selectedWindowId: windowId, error: text),
                                      status: error.kind == .tooManyAttempts ? .tooManyRequests : .unauthorized, headers: headers)
            }
        }

        router.on(HallRoutes.staffAction) { request, context in
            guard let (session, token) = context.staffConsole else { return PageRoutes.seeOther("/staff") }
            let fields = try await request.formFields(context: context)
            guard FormToken.isValid(fields, session: token) else { return try await ConsoleView.staleForm(desk, session, token: token) }
            let action = fields.value("action") ?? ""
            do {
                if action == WindowAction.noShow.rawValue, fields.value("confirm") != "1" {
                    return PageRoutes.seeOther("/staff?confirm=no-show")
                }
                if let windowAction = WindowAction(rawValue: action) {
                    let result = try await desk.act(windowAction, session: session, transferTo: fields.value("serviceId"))
                    return ConsoleView.done(action, number: result.ticket?.number)
                }
                switch action {
                case "call-number":
                    let result = try await desk.callNumber(fields.value("number") ?? "", session: session)
                    return ConsoleView.done(action, number: result.ticket?.number)
                case "undo-no-show":
                    let result = try await desk.undoNoShow(ticketId: fields.value("ticketId") ?? "", session: session)
                    return ConsoleView.done(action, number: result.ticket?.number)
                case "requeue":
                    let result = try await desk.requeueMissed(ticketId: fields.value("ticketId") ?? "", session: session)
                    return ConsoleView.done(action, number: result.ticket.number)
                case "break":
                    let typed = fields.value("reasonText")?.trimmingCharacters(in: .whitespaces) ?? ""
                    try await desk.setBreak(typed.isEmpty ? (fields.value("reason") ?? "") : typed, session: session)
                    return ConsoleView.done(action, number: nil)
                case "resume":
                    try await desk.setBreak(nil, session: session)
                    return ConsoleView.done(action, number: nil)
                default:
                    return try await ConsoleView.page(desk, session: session, token: token, message: nil,
                                                      error: "未知操作 / Unknown action", status: .badRequest)
                }
            } catch let error as HallError {
                return try await ConsoleView.page(desk, session: session, token: token, message: nil, error: error.message,
                                                  status: .init(code: error.httpStatus))
            }
        }

        router.on(HallRoutes.staffService) { request, context in
            guard let (session, token) = context.staffConsole else { return PageRoutes.seeOther("/staff") }
            let fields = try await request.formFields(context: context)
            guard FormToken.isValid(fields, session: token) else { return try await ConsoleView.staleForm(desk, session, token: token) }
            let serviceId = fields.value("serviceId") ?? ""
            guard desk.hall.window(session.windowId)?.serviceIds.contains(serviceId) == true else {
                return try await ConsoleView.page(desk, session: session, token: token, message: nil,
                                                  error: "本窗口不办理该事项 / This window does not serve that service", status: .forbidden)
            }
            let paused = fields.value("paused") == "1"
            do {
                if fields.value("scope") == "window" {
                    // The window's share: this window stops (or starts again) calling the service; kiosks keep issuing.
                    try await desk.setHeld(paused, serviceId: serviceId, session: session)
                    return ConsoleView.done(paused ? "hold" : "unhold", number: nil)
                }
                if paused {
                    let until = ConsoleView.untilDate(fields.value("until"), desk: desk)
                    let reason = fields.value("reason")
                    if reason != nil || until != nil {
                        try await desk.pauseService(serviceId, reason: reason, until: until, by: "staff:\(session.staff.id)")
                    } else {
                        try await desk.setPaused(true, serviceId: serviceId, by: "staff:\(session.staff.id)")
                    }
                } else {
                    try await desk.setPaused(false, serviceId: serviceId, by: "staff:\(session.staff.id)")
                }
                return ConsoleView.done(paused ? "pause-service" : "resume-service", number: nil)
            } catch let error as HallError {
                return try await ConsoleView.page(desk, session: session, token: token, message: nil, error: error.message,
                                                  status: .init(code: error.httpStatus))
            }
        }

        router.on(HallRoutes.staffLogout) { request, context in
            if let (session, token) = context.staffConsole {
                let fields = try await request.formFields(context: context)
                guard FormToken.isValid(fields, session: token) else { return try await ConsoleView.staleForm(desk, session, token: token) }
                let choice: HallDesk.SignOutChoice? = switch fields.value("ticket") {
                case "queue": .returnToQueue
                case "complete": .complete
                case "transfer": .transfer(serviceId: fields.value("serviceId") ?? "")
                default: nil
                }
                do {
                    try await desk.signOut(session: session, token: token, choice: choice)
                } catch let error as HallError where error.kind == .windowBusy && choice == nil {
                    return PageRoutes.seeOther("/staff?confirm=sign-out")
                } catch let error as HallError {
                    return try await ConsoleView.page(desk, session: session, token: token, message: nil, error: error.message,
                                                      confirm: .signOut, status: .init(code: error.httpStatus))
                }
            }
            var response = PageRoutes.seeOther("/staff")
            response.setCookie(Cookie(name: StaffCookie.name, value: "", maxAge: 0, path: "/staff", secure: secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
    }
}

extension Array where Element == (String, String) {
    /// The first value of form field `name`.
    func value(_ name: String) -> String? { first { $0.0 == name }?.1 }
}
