import Foundation
import HallAPI
import Hummingbird
import ServiceLifecycle

/// The phone page's live link (`GET /t/{token}/events`): server-sent `event: progress` messages whose data is the
/// ticket's progress fingerprint (`PhonePage.fingerprint`), sent at once and then whenever it changed — the ticket
/// called (请到 N 号窗口), recalled, served, people ahead fewer. The page reloads itself when the fingerprint differs
/// from the one it shows. Work stays small: the ticket is read again only when the hall changed (a window event or a
/// ticket issued), at most once a second; the stream ends once the ticket reached an end (completed, no-show, expired).
struct TicketEventStreamer: Sendable {
    let desk: HallDesk
    let token: String
    let heartbeatSeconds: Double
    /// The hall's live signals, subscribed before the first read.
    let live: AsyncStream<WindowEventHub.HallSignal>

    func body() -> ResponseBody {
        EventStreamBody.make { box in try await stream(into: box) }
    }

    private func stream(into box: EventStreamWriter) async throws {
        try await box.write("retry: 5000\n\n")
        var last = ""
        /// Sends the fingerprint when it changed; returns false once the ticket reached an end.
        func send() async throws -> Bool {
            let progress = try await desk.progress(token: token)
            let print = PhonePage.fingerprint(progress)
            if print != last {
                last = print
                try await box.write("event: progress\ndata: \(print)\n\n")
            }
            return [.waiting, .called, .serving].contains(progress.status)
        }
        try await FingerprintFeed.run(into: box, live: live, heartbeatSeconds: heartbeatSeconds, readOnHeartbeat: false, send: send)
    }
}
