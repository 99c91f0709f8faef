import Foundation
import HallAPI
import KioskHTTP
import Logging

/// Follows a window's events for its rating device over the hall server's event stream (server-sent events,
/// resumed with `Last-Event-ID`, polling when streaming keeps failing): each event once, in order, from the
/// newest event at start.
struct WindowFollower: Sendable {
    let client: HallClient
    let windowId: String
    let logger: Logger

    func run(_ deliver: @escaping @Sendable (WindowEvent) -> Void) async {
        var lastState: WindowStreamState?
        for await update in client.windowEvents(windowId: windowId, after: nil, logger: logger) {
            if Task.isCancelled { break }
            switch update {
            case .event(let event):
                deliver(event)
            case .state(let state):
                switch state {
                case .streaming where lastState != nil:
                    logger.info("window events: streaming", metadata: ["window.id": "\(windowId)"])
                case .polling(let reason):
                    logger.warning("window events: polling instead of streaming: \(reason)", metadata: ["window.id": "\(windowId)"])
                case .reconnecting(let failures, let seconds, let reason) where failures == 1 || failures % 20 == 0:
                    logger.warning("window events: reconnecting in \(Int(seconds.rounded())) s: \(reason)",
                                   metadata: ["window.id": "\(windowId)", "failures": "\(failures)"])
                default:
                    break
                }
                lastState = state
            }
        }
    }
}
