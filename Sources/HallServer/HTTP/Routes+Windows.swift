import Foundation
import HallAPI
import Hummingbird

/// Staff login and calling at windows, and the window event stream.
struct WindowRoutes: Sendable {
    let desk: HallDesk
    let responses: Responses
    /// Seconds between SSE heartbeat comments.
    let heartbeatSeconds: Double
    /// Login attempts per address, on the login route itself.
    let loginAttempts: LoginAttemptsMiddleware
    /// `Secure` on the console-trust cookie (the server speaks TLS itself).
    let secureCookies: Bool

    func register(on router: Router<HallRequestContext>) {
        let desk = self.desk
        let responses = self.responses

        let secureCookies = self.secureCookies
        router.group().add(middleware: loginAttempts).on(HallRoutes.windowLogin) { request, context in
            let windowId = try context.parameters.require("id")
            let body = try await request.decodeJSON(StaffLoginRequest.self, context: context)
            let answer = try await desk.login(windowId: windowId, body, client: request.loginClient(context, desk: desk))
            var response = try responses.json(answer.response)
            response.setCookie(PageRoutes.consoleCookie(answer, desk: desk, secure: secureCookies))
            return response
        }

        router.on(HallRoutes.windowLogout) { request, context in
            let windowId = try context.parameters.require("id")
            let (session, token) = try context.requireStaff(windowId: windowId)
            try await desk.logout(session: session, token: token)
            return Response(status: .noContent)
        }

        for action in WindowAction.allCases {
            router.on(HallRoutes.windowAction(action)) { request, context in
                let windowId = try context.parameters.require("id")
                let (session, _) = try context.requireStaff(windowId: windowId)
                var target: String? = nil
                if action == .transfer {
                    target = try await request.decodeJSON(TransferRequest.self, context: context).serviceId
                }
                return try responses.json(try await desk.act(action, session: session, transferTo: target))
            }
        }

        WindowConsoleRoutes(desk: desk, responses: responses).register(on: router)

        let heartbeat = heartbeatSeconds
        router.on(HallRoutes.windowEvents) { request, context in
            let windowId = try context.parameters.require("id")
            let caller = try await context.requireCaller(desk)
            guard desk.hall.window(windowId) != nil else {
                throw HallError(.unknownWindow, "no window has id '\(windowId)'")
            }
            switch caller {
            case .admin: break
            case .staff(let s) where s.windowId == windowId: break
            case .device(let d) where d.windowId == windowId: break
            default:
                throw HallError(.forbidden, "only this window's staff, its rating device or the admin can follow its events")
            }
            let resumeText = request.headers[.lastEventID] ?? request.uri.queryParameters.get("lastEventId")
            let resumeFrom: Int64?
            if let resumeText {
                guard let v = Int64(resumeText), v >= 0 else {
                    throw HallError(.badRequest, "Last-Event-ID must be a whole number (got '\(resumeText)')")
                }
                resumeFrom = v
            } else {
                resumeFrom = nil
            }
            // Subscribe before reading the backlog so nothing falls between the two.
            let live = desk.events.subscribe(windowId: windowId)
            let position = try await desk.windowEventPosition(windowId: windowId)
            let (start, horizon) = (resumeFrom ?? position.latestId, position.prunedThrough)
            let headers = EventStreamBody.headers
            let body = WindowEventStreamer(desk: desk, windowId: windowId, caller: caller, request: request, encoder: responses.encoder,
                                           heartbeatSeconds: heartbeat, start: start,
                                           prunedThrough: resumeFrom == nil ? 0 : horizon, live: live).body()
            return Response(status: .ok, headers: headers, body: body)
        }
    }
}

extension WindowRoutes {
    /// Whether the credentials of `request` still name `session` (same staff member at the same window).
    static func isCurrent(_ session: StaffSession, request: Request, desk: HallDesk) async -> Bool {
        guard let token = request.bearerToken, let now = try? await desk.staffSession(token: token) else { return false }
        return now.windowId == session.windowId && now.staff.id == session.staff.id
    }
}
