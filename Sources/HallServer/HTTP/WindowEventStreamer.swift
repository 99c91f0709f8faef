import Foundation
import HallAPI
import Hummingbird
import ServiceLifecycle

/// Writes one window's server-sent event stream: the `reset` message when the resume point was pruned,
/// the stored events after it page by page, then live events, with heartbeat comments.
///
/// Live events only wake the stream (`WindowEventHub`: an event id, committed here or, on a shared store, by another
/// server instance); what it sends is always read from the database after the last id sent, a page at a time,
/// so a slow reader or a resume from long ago holds at most one page in memory and no event is skipped.
/// On graceful shutdown the stream stops at once, even in the middle of a write to a slow reader.
struct WindowEventStreamer: Sendable {
    let desk: HallDesk
    let windowId: String
    let caller: Caller
    let request: Request
    let encoder: JSONEncoder
    let heartbeatSeconds: Double
    /// The last event id the client has (the newest one when it gave none).
    let start: Int64
    /// Events up to this id may have been pruned (0 for a client that resumes nothing: it gets no `reset`).
    let prunedThrough: Int64
    /// Wake-ups for the window's live events (their ids), subscribed before `start` was read.
    let live: AsyncStream<Int64>

    func body() -> ResponseBody {
        EventStreamBody.make { box in try await stream(into: box) }
    }

    private func stream(into box: EventStreamWriter) async throws {
        var last = start
        try await box.write("retry: 2000\n: connected to window \(windowId)\n\n")
        if start < prunedThrough {
            let reset = WindowEventsReset(windowId: windowId, prunedThrough: prunedThrough, message:
                "events up to id \(prunedThrough) were pruned; reload the window's state (GET /api/v1/windows/\(windowId)) and follow on")
            try await box.write("id: \(prunedThrough)\nevent: reset\ndata: \(String(decoding: try encoder.encode(reset), as: UTF8.self))\n\n")
            last = prunedThrough
        }
        _ = try await replay(after: &last, into: box)
        // Wake-ups only (nil: heartbeat): dropping some when the reader is slow loses nothing.
        let wakeups = StreamWakeups(live: live, heartbeatSeconds: heartbeatSeconds)
        defer { wakeups.stop() }
        for await item in wakeups.items {
            var sent = Set<WindowEventType>()
            if let id = item {
                guard id > last else { continue }
                sent = try await replay(after: &last, into: box)
            } else {
                try await box.write(": heartbeat\n\n")
            }
            // A staff member's stream lasts as long as the session: it ends after the logout (or the
            // login that replaced it, or the expiry, seen at the next heartbeat); reconnecting gets 401.
            if case .staff(let session) = caller, item == nil || sent.contains(.staffLoggedOut) || sent.contains(.staffLoggedIn),
               await !WindowRoutes.isCurrent(session, request: request, desk: desk) {
                try await box.write(": staff session ended\n\n")
                return
            }
        }
    }

    /// Sends every stored event after `last`, page by page, moving `last`; returns the types sent.
    private func replay(after last: inout Int64, into box: EventStreamWriter) async throws -> Set<WindowEventType> {
        var sent = Set<WindowEventType>()
        while true {
            let page = try await desk.windowEvents(windowId: windowId, after: last)
            for e in page {
                let json = String(decoding: try encoder.encode(e), as: UTF8.self)
                try await box.write("id: \(e.id)\nevent: \(e.type.rawValue)\ndata: \(json)\n\n")
                last = e.id
                sent.insert(e.type)
            }
            if page.count < HallDesk.windowEventPageSize { return sent }
        }
    }
}
