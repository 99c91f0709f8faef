import Foundation
import HallAPI
import Hummingbird

/// The calling displays' routes: the board snapshot and the hall's event stream.
struct BoardRoutes: Sendable {
    let desk: HallDesk
    let responses: Responses
    /// Seconds between SSE heartbeat comments.
    let heartbeatSeconds: Double

    func register(on router: Router<HallRequestContext>) {
        let desk = self.desk
        let responses = self.responses
        // Displays notice a dead link by silence: a heartbeat every second (or more often, as configured) lets them
        // show the lost-link banner within 3 s.
        let heartbeat = min(heartbeatSeconds, 1)

        router.on(HallRoutes.hallBoard) { _, context in
            _ = try await context.requireCaller(desk)
            return try responses.json(try await desk.board())
        }

        router.on(HallRoutes.hallCallEvents) { request, context in
            // Any device, clerk or the admin may follow the calls: numbers and windows only, nothing personal.
            _ = try await context.requireCaller(desk)
            let resumeText = request.headers[.lastEventID] ?? request.uri.queryParameters.get("lastEventId")
            var resumeFrom: Int64?
            if let resumeText {
                guard let v = Int64(resumeText), v >= 0 else {
                    throw HallError(.badRequest, "Last-Event-ID must be a whole number (got '\(resumeText)')")
                }
                resumeFrom = v
            }
            // Subscribe before reading the newest id so nothing falls between the two.
            let live = desk.events.subscribeHall()
            let ids = try await desk.hallEventIds()
            let headers = EventStreamBody.headers
            let body = HallEventStreamer(desk: desk, encoder: responses.encoder, heartbeatSeconds: heartbeat,
                                         start: resumeFrom ?? ids.latest, prunedThrough: resumeFrom == nil ? 0 : ids.prunedThrough,
                                         live: live).body()
            return Response(status: .ok, headers: headers, body: body)
        }
    }
}
