import Foundation
import HallAPI
import Hummingbird

/// The console's moves beyond the plain window actions, for API clients (staff bearer session of the window):
/// 特呼, undoing a 过号, 过号重排, the break, and holding the window's share of a service. Same `HallDesk` rules, limits and refusals as the console (`/staff`).
struct WindowConsoleRoutes: Sendable {
    let desk: HallDesk
    let responses: Responses

    func register(on router: Router<HallRequestContext>) {
        let desk = self.desk
        let responses = self.responses

        router.on(HallRoutes.windowCallNumber) { request, context in
            let session = try Self.session(context)
            let body = try await request.decodeJSON(CallNumberRequest.self, context: context)
            return try responses.json(try await desk.callNumber(body.number, session: session))
        }

        router.on(HallRoutes.windowUndoNoShow) { request, context in
            let session = try Self.session(context)
            let body = try await request.decodeJSON(MissedTicketRequest.self, context: context)
            return try responses.json(try await desk.undoNoShow(ticketId: body.ticketId, session: session))
        }

        router.on(HallRoutes.windowRequeue) { request, context in
            let session = try Self.session(context)
            let body = try await request.decodeJSON(MissedTicketRequest.self, context: context)
            return try responses.json(try await desk.requeueAnswer(ticketId: body.ticketId, session: session))
        }

        router.on(HallRoutes.windowBreak) { request, context in
            let session = try Self.session(context)
            let body = try await request.decodeJSON(WindowBreakRequest.self, context: context)
            try await desk.setBreak(body.reason, session: session)
            return try responses.json(try await desk.windowBreak(windowId: session.windowId))
        }

        for (route, held) in [(HallRoutes.windowHold, true), (HallRoutes.windowUnhold, false)] {
            router.on(route) { request, context in
                let session = try Self.session(context)
                let body = try await request.decodeJSON(WindowHoldRequest.self, context: context)
                try await desk.setHeld(held, serviceId: body.serviceId, session: session,
                                       reason: held ? body.reason : nil, until: held ? body.until : nil)
                return try responses.json(try await desk.windowHoldList(windowId: session.windowId))
            }
        }

        router.on(HallRoutes.windowEndBreak) { _, context in
            let session = try Self.session(context)
            try await desk.setBreak(nil, session: session)
            return try responses.json(try await desk.windowBreak(windowId: session.windowId))
        }
    }

    /// The staff session of the route's window (401/403 otherwise, as for the window actions).
    private static func session(_ context: HallRequestContext) throws -> StaffSession {
        let windowId = try context.parameters.require("id")
        return try context.requireStaff(windowId: windowId).0
    }
}

extension Request {
    /// The JSON body as `T`, or nil when the request has no body (a route whose body is optional).
    func optionalJSON<T: Decodable>(_ type: T.Type, context: HallRequestContext) async throws -> T? {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: context.maxUploadSize)
        } catch {
            throw HallError(.bodyTooLarge, "request body is larger than \(context.maxUploadSize / 1024) KiB")
        }
        guard buffer.readableBytes > 0 else { return nil }
        var copy = self
        copy.body = .init(buffer: buffer)
        return try await copy.decodeJSON(T.self, context: context)
    }
}
