import Foundation
import HallAPI
import KioskHTTP
import Logging

/// Follows a window's events for its rating device: from the newest event at start, without losing or
/// repeating one across network trouble or server restarts.
struct WindowFollower: Sendable {
    let client: HallClient
    let windowId: String
    let logger: Logger
    /// Seconds between polls.
    var pollSeconds: Double = 0.5

    func run(_ deliver: @escaping @Sendable (WindowEvent) -> Void) async {
        var after: Int64? = nil
        var failures = 0
        while !Task.isCancelled {
            do {
                let page = try await client.recentWindowEvents(windowId: windowId, after: after)
                if after != nil { page.events.forEach(deliver) }
                after = page.lastEventId
                if failures > 0 { logger.info("window events: following again") }
                failures = 0
                if page.hasMore { continue }
            } catch {
                failures += 1
                if failures == 1 || failures % 30 == 0 { logger.warning("window events: \(error)") }
            }
            let wait = failures == 0 ? pollSeconds : min(10, pollSeconds * Double(1 << min(failures, 4)))
            try? await Task.sleep(for: .seconds(wait))
        }
    }
}
