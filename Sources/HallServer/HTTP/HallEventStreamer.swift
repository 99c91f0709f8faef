import Foundation
import HallAPI
import Hummingbird
import ServiceLifecycle

/// Writes the hall's server-sent event stream for the calling displays (`GET /api/v1/hall/calls/events`): a `reset`
/// when the resume point was pruned, the stored events after it page by page (`event: hall`, `id:` = the event id),
/// then live ones; `event: queues` with the waiting counts whenever they changed (at most once a second), and
/// heartbeat comments (every second at most) so a display notices a dead link.
///
/// As for a window's stream, live events only wake the stream; what it sends is read from the database a page at a
/// time, so a slow display or a resume from long ago holds one page in memory and no event is skipped.
struct HallEventStreamer: Sendable {
    let desk: HallDesk
    let encoder: JSONEncoder
    let heartbeatSeconds: Double
    /// The last event id the display has (the newest one when it gave none).
    let start: Int64
    /// Events up to this id may have been pruned (0 for a display that resumes nothing).
    let prunedThrough: Int64
    /// The hall's live signals, subscribed before `start` was read.
    let live: AsyncStream<WindowEventHub.HallSignal>
    /// The shortest time between two `queues` messages.
    static let queuesInterval: Duration = .seconds(1)

    func body() -> ResponseBody {
        EventStreamBody.make { box in try await stream(into: box) }
    }

    private func stream(into box: EventStreamWriter) async throws {
        var last = start
        try await box.write("retry: 1000\n: connected to the hall's calls\n\n")
        if start < prunedThrough {
            let reset = WindowEventsReset(windowId: "*", prunedThrough: prunedThrough, message:
                "events up to id \(prunedThrough) were pruned; reload the board (GET /api/v1/hall/board) and follow on")
            try await box.write("id: \(prunedThrough)\nevent: reset\ndata: \(try json(reset))\n\n")
            last = prunedThrough
        }
        try await replay(after: &last, into: box)
        var lastQueues = try await desk.boardQueues()
        var queuesSentAt = ContinuousClock.now
        // Wake-ups only (nil: heartbeat): dropping some when the display is slow loses nothing.
        let wakeups = StreamWakeups(live: live, heartbeatSeconds: heartbeatSeconds)
        defer { wakeups.stop() }
        var queuesDue = false
        var beats = 0
        for await item in wakeups.items {
            switch item {
            case .event(_, let id)?:
                guard id > last else { continue }
                try await replay(after: &last, into: box)
                queuesDue = true
            case .queuesChanged?:
                queuesDue = true
            case nil:
                try await box.write(": heartbeat\n\n")
                // Tickets issued through another server instance send no signal here: read the counts now and then.
                beats += 1
                if beats % 10 == 0 { queuesDue = true }
            }
            // A pause shown with a reopening time that has come: the display hears it reopened (at the next wake-up).
            if lastQueues.contains(where: { $0.pausedUntil.map { $0 <= desk.now } ?? false }) { queuesDue = true }
            // Counts at most once a second; a change inside the second goes out with the next wake-up (the heartbeat
            // at the latest).
            if queuesDue, ContinuousClock.now - queuesSentAt >= Self.queuesInterval {
                queuesDue = false
                queuesSentAt = ContinuousClock.now
                let queues = try await desk.boardQueues()
                if queues != lastQueues {
                    lastQueues = queues
                    try await box.write("event: queues\ndata: \(try json(HallQueuesUpdate(queues: queues)))\n\n")
                }
            }
        }
    }

    /// Sends every stored event after `last`, page by page, moving `last`.
    private func replay(after last: inout Int64, into box: EventStreamWriter) async throws {
        while true {
            let page = try await desk.hallEvents(after: last)
            for e in page {
                try await box.write("id: \(e.id)\nevent: hall\ndata: \(try json(e))\n\n")
                last = e.id
            }
            if page.count < HallDesk.windowEventPageSize { return }
        }
    }

    private func json(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
