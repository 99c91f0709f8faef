import Foundation
import Hummingbird

/// The loop shared by the live links that send a page's fingerprint (the phone page's, the console's): after the first
/// `send`, a read on each hall signal (at most one a second: a busy hall wakes often, the page changes rarely) and a
/// heartbeat comment every `heartbeatSeconds`, optionally with a read (what turns on with time, not with an event).
/// Ends when `send` returns false.
enum FingerprintFeed {
    /// At most one read a second on hall signals.
    static let interval: Duration = .seconds(1)

    static func run(into box: EventStreamWriter, live: AsyncStream<WindowEventHub.HallSignal>, heartbeatSeconds: Double,
                    readOnHeartbeat: Bool, send: () async throws -> Bool) async throws {
        guard try await send() else { return }
        // One wake-up kept: a burst of changes needs one read.
        let wakeups = StreamWakeups(live: live, heartbeatSeconds: heartbeatSeconds, keep: 1)
        defer { wakeups.stop() }
        var readAt = ContinuousClock.now
        for await signal in wakeups.items {
            if signal != nil {
                let wait = interval - (ContinuousClock.now - readAt)
                if wait > .zero { try await Task.sleep(for: wait) }
            } else {
                try await box.write(": heartbeat\n\n")
                guard readOnHeartbeat else { continue }
            }
            readAt = ContinuousClock.now
            guard try await send() else { return }
        }
    }
}
