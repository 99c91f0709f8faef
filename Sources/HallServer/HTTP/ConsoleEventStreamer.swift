import Foundation
import HallAPI
import Hummingbird

/// The console's live link (`GET /staff/events`): server-sent `event: console` messages whose data is the console's
/// fingerprint (`ConsoleView.fingerprint`), sent at once and whenever it changed — a ticket issued or called anywhere
/// in the window's services, this window's moves, the break. The page then fetches its live panel
/// (`/staff?part=live`) and swaps it in, leaving the forms the clerk is filling in alone. Reads at most once a
/// second on hall signals, and at every heartbeat (the 过号 button turns on with time, not with an event).
struct ConsoleEventStreamer: Sendable {
    let desk: HallDesk
    let session: StaffSession
    let heartbeatSeconds: Double
    let live: AsyncStream<WindowEventHub.HallSignal>

    func body() -> ResponseBody {
        EventStreamBody.make { box in try await stream(into: box) }
    }

    private func stream(into box: EventStreamWriter) async throws {
        try await box.write("retry: 3000\n\n")
        var last = ""
        /// Sends the fingerprint when it changed; false once the session ended (the page then reloads to sign-in).
        func send() async throws -> Bool {
            guard try await desk.staffSessionStillOpen(session) else {
                try await box.write("event: console\ndata: signed-out\n\n")
                return false
            }
            let model = try await ConsoleView.model(desk, session: session, token: "")
            let print = ConsoleView.fingerprint(model)
            if print != last {
                last = print
                try await box.write("event: console\ndata: \(print)\n\n")
            }
            return true
        }
        try await FingerprintFeed.run(into: box, live: live, heartbeatSeconds: heartbeatSeconds, readOnHeartbeat: true, send: send)
    }
}

extension HallDesk {
    /// True while `session`'s staff member is still the one signed in at its window.
    func staffSessionStillOpen(_ session: StaffSession) async throws -> Bool {
        let snapshot = try await store.windowSnapshot(windowId: session.windowId, hallDays: openHallDays(now: now), at: now)
        return snapshot.staffId == session.staff.id
    }
}
