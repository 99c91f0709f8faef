import Foundation
import HallAPI
import Hummingbird

/// What a window's rating device reads besides the event stream: the window's idle state and the
/// polling fallback of the stream. Same callers as the stream: that window's rating device, its
/// logged-in staff member, or the admin.
struct WindowStateRoutes: Sendable {
    let desk: HallDesk
    let responses: Responses

    /// Largest page of `recent-events`.
    static let maxPage = 500

    func register(on router: Router<HallRequestContext>) {
        let desk = self.desk
        let responses = self.responses

        router.on(HallRoutes.window) { request, context in
            let windowId = try context.parameters.require("id")
            try await Self.authorize(request, context: context, windowId: windowId, desk: desk)
            return try responses.json(try await desk.windowState(windowId: windowId))
        }

        router.on(HallRoutes.windowRecentEvents) { request, context in
            let windowId = try context.parameters.require("id")
            try await Self.authorize(request, context: context, windowId: windowId, desk: desk)
            let q = request.uri.queryParameters
            var after: Int64? = nil
            if let text = q.get("after") {
                guard let v = Int64(text), v >= 0 else {
                    throw HallError(.badRequest, "after must be a whole number ≥ 0, the last event id seen (got '\(text)')")
                }
                after = v
            }
            var limit = 100
            if let text = q.get("limit") {
                guard let v = Int(text), (1...Self.maxPage).contains(v) else {
                    throw HallError(.badRequest, "limit must be 1…\(Self.maxPage) (got '\(text)')")
                }
                limit = v
            }
            return try responses.json(try await desk.windowEventPage(windowId: windowId, after: after, limit: limit))
        }
    }

    /// The window exists and the caller is its rating device, its staff, or the admin.
    static func authorize(_ request: Request, context: HallRequestContext, windowId: String, desk: HallDesk) async throws {
        let caller = try await context.requireCaller(desk)
        guard desk.hall.window(windowId) != nil else {
            throw HallError(.unknownWindow, "no window has id '\(windowId)'")
        }
        switch caller {
        case .admin: return
        case .staff(let s) where s.windowId == windowId: return
        case .device(let d) where d.windowId == windowId: return
        default:
            throw HallError(.forbidden, "only this window's staff, its rating device or the admin can read window '\(windowId)'")
        }
    }
}
