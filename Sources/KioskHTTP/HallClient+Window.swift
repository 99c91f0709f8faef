import AsyncHTTPClient
import Foundation
import HallAPI

extension HallClient {
    /// `GET /api/v1/windows/{id}`: the rating device's idle screen — window, staff, ticket served now,
    /// the staff member's 好评率 when the hall shows it, and the `lastEventId` to follow events from.
    public func windowState(windowId: String) async throws(HallClientError) -> WindowState {
        try await send(HallRoutes.window(windowId), as: WindowState.self)
    }

    /// `GET /api/v1/windows/{id}/recent-events?after=`: one page of the window's events after `after`
    /// (nil: an empty page whose `lastEventId` is where following starts). The polling fallback of
    /// `windowEvents(windowId:after:options:)`, which uses it by itself.
    public func recentWindowEvents(windowId: String, after: Int64?, limit: Int = 100) async throws(HallClientError) -> WindowEventPage {
        try await send(HallRoutes.windowRecentEvents(windowId, query: [("limit", String(limit)), ("after", after.map(String.init))]),
                       as: WindowEventPage.self)
    }

    /// The staff photo at `StaffSummary.photoUrl` (e.g. `/staff-photos/s01`): JPEG or PNG bytes.
    /// Throws `rejected(404, notFound, …)` when the staff member has no photo.
    public func staffPhoto(path: String) async throws(HallClientError) -> Data {
        guard path.hasPrefix("/") else {
            throw .malformed(status: 0, detail: "photoUrl '\(path)' is not a path on the hall server")
        }
        let answer = try await exchange(.GET, path, body: Optional<Empty>.none, accept: "image/jpeg, image/png")
        guard (200..<300).contains(answer.status) else { throw Self.failure(answer) }
        let type = answer.headers.first(name: "Content-Type") ?? ""
        guard type.hasPrefix("image/"), !answer.body.isEmpty else {
            throw .malformed(status: answer.status, detail: "expected an image, got '\(type)' (\(answer.body.count) bytes)")
        }
        return answer.body
    }
}
