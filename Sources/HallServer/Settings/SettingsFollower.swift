import Foundation
import ServiceLifecycle

/// Takes settings another server instance stored (or `hallserver settings reset` wrote) within `seconds`, until
/// shutdown. One small read per round.
struct SettingsFollower: Service {
    let desk: HallDesk
    var seconds: Double = 2

    func run() async throws {
        guard desk.settings.isEditable else { return }
        let desk = self.desk
        let seconds = self.seconds
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(seconds))
                do {
                    try await desk.settings.refresh(store: desk.store, logger: desk.logger)
                } catch {
                    desk.logger.debug("hall settings: cannot read the stored version now", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
