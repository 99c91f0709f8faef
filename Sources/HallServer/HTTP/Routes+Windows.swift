import Foundation
import HallAPI
import Hummingbird
import ServiceLifecycle

/// Staff login and calling at windows, and the window event stream.
struct WindowRoutes: Sendable {
    let desk: HallDesk
    let responses: Responses
    /// Seconds between SSE heartbeat comments.
    let heartbeatSeconds: Double

    func register(on router: Router<HallRequestContext>, catalogue: RouteCatalogue) {
        let desk = self.desk
        let responses = self.responses

        catalogue.add("POST", "/api/v1/windows/{id}/login")
        router.post("/api/v1/windows/{id}/login") { request, context in
            let windowId = try context.parameters.require("id")
            let body = try await request.decodeJSON(StaffLoginRequest.self, context: context)
            return try responses.json(try await desk.login(windowId: windowId, body))
        }

        catalogue.add("POST", "/api/v1/windows/{id}/logout")
        router.post("/api/v1/windows/{id}/logout") { request, context in
            let windowId = try context.parameters.require("id")
            let (session, token) = try await desk.requireStaff(request, windowId: windowId)
            try await desk.logout(session: session, token: token)
            return Response(status: .noContent)
        }

        for action in WindowAction.allCases {
            catalogue.add("POST", "/api/v1/windows/{id}/\(action.rawValue)")
            router.post("/api/v1/windows/{id}/\(action.rawValue)") { request, context in
                let windowId = try context.parameters.require("id")
                let (session, _) = try await desk.requireStaff(request, windowId: windowId)
                var target: String? = nil
                if action == .transfer {
                    target = try await request.decodeJSON(TransferRequest.self, context: context).serviceId
                }
                return try responses.json(try await desk.act(action, session: session, transferTo: target))
            }
        }

        catalogue.add("GET", "/api/v1/windows/{id}/events")
        let heartbeat = heartbeatSeconds
        router.get("/api/v1/windows/{id}/events") { request, context in
            let windowId = try context.parameters.require("id")
            let caller = try await desk.requireCaller(request)
            guard desk.hall.window(windowId) != nil else {
                throw HallError(404, APIErrorCode.unknownWindow, "no window has id '\(windowId)'")
            }
            switch caller {
            case .admin: break
            case .staff(let s) where s.windowId == windowId: break
            case .device(let d) where d.windowId == windowId: break
            default:
                throw HallError(403, APIErrorCode.forbidden, "only this window's staff, its rating device or the admin can follow its events")
            }
            let resumeText = request.headers[.lastEventID] ?? request.uri.queryParameters.get("lastEventId")
            let resumeFrom: Int64?
            if let resumeText {
                guard let v = Int64(resumeText), v >= 0 else {
                    throw HallError(400, APIErrorCode.badRequest, "Last-Event-ID must be a whole number (got '\(resumeText)')")
                }
                resumeFrom = v
            } else {
                resumeFrom = nil
            }
            // Subscribe before reading the backlog so nothing falls between the two. Live events only wake the
            // stream; what it sends is always read from the database, a page at a time, so a slow reader or a
            // resume from long ago holds at most one page in memory and no event is skipped.
            let live = desk.events.subscribe(windowId: windowId)
            let (start, horizon) = try await desk.database.read { db in
                (try resumeFrom ?? WindowEventStore.latestId(db, windowId: windowId), try WindowEventStore.prunedThrough(db))
            }
            let encoder = responses.encoder
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream; charset=utf-8"
            headers[.cacheControl] = "no-store"
            headers[.init("X-Accel-Buffering")!] = "no"
            let body = ResponseBody { writer in
                var last = start
                func frame(_ e: WindowEvent) throws -> ByteBuffer {
                    let json = String(decoding: try encoder.encode(e), as: UTF8.self)
                    return ByteBuffer(string: "id: \(e.id)\nevent: \(e.type.rawValue)\ndata: \(json)\n\n")
                }
                /// Sends every stored event after `last`, page by page; returns the types sent.
                func replay() async throws -> Set<WindowEventType> {
                    var sent = Set<WindowEventType>()
                    while true {
                        let page = try await desk.windowEvents(windowId: windowId, after: last)
                        for e in page {
                            try await writer.write(try frame(e))
                            last = e.id
                            sent.insert(e.type)
                        }
                        if page.count < WindowEventStore.pageSize { return sent }
                    }
                }
                try await writer.write(ByteBuffer(string: "retry: 2000\n: connected to window \(windowId)\n\n"))
                if start < horizon {
                    let reset = WindowEventsReset(windowId: windowId, prunedThrough: horizon, message:
                        "events up to id \(horizon) were pruned; reload the window's state (GET /api/v1/windows/\(windowId)) and follow on")
                    let json = String(decoding: try encoder.encode(reset), as: UTF8.self)
                    try await writer.write(ByteBuffer(string: "id: \(horizon)\nevent: reset\ndata: \(json)\n\n"))
                    last = horizon
                }
                _ = try await replay()
                // Wake-ups only (nil: heartbeat): dropping some when the reader is slow loses nothing.
                let (ticks, tickContinuation) = AsyncStream<WindowEvent?>.makeStream(bufferingPolicy: .bufferingNewest(64))
                let forward = Task {
                    for await e in live { tickContinuation.yield(e) }
                    tickContinuation.finish()
                }
                let beat = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(heartbeat))
                        tickContinuation.yield(nil)
                    }
                }
                defer {
                    forward.cancel()
                    beat.cancel()
                    tickContinuation.finish()
                }
                // On SIGTERM the stream ends so the server can stop; clients resume with Last-Event-ID.
                try await withGracefulShutdownHandler {
                    for await item in ticks {
                        var sent = Set<WindowEventType>()
                        if let e = item {
                            guard e.id > last else { continue }
                            sent = try await replay()
                        } else {
                            try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                        }
                        // A staff member's stream lasts as long as the session: it ends after the logout (or the
                        // login that replaced it, or the expiry, seen at the next heartbeat); reconnecting gets 401.
                        if case .staff(let session) = caller, item == nil || sent.contains(.staffLoggedOut) || sent.contains(.staffLoggedIn),
                           await !Self.isCurrent(session, request: request, desk: desk) {
                            try await writer.write(ByteBuffer(string: ": staff session ended\n\n"))
                            break
                        }
                    }
                } onGracefulShutdown: {
                    tickContinuation.finish()
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        }
    }
}

extension WindowRoutes {
    /// Whether the credentials of `request` still name `session` (same staff member at the same window).
    static func isCurrent(_ session: StaffSession, request: Request, desk: HallDesk) async -> Bool {
        guard case .staff(let now)? = try? await desk.requireCaller(request) else { return false }
        return now.windowId == session.windowId && now.staff.id == session.staff.id
    }
}
