import Foundation
import ServiceLifecycle

/// Checks the hall's alerts every `checkSeconds` and posts each one raised or resolved to the webhook, until shutdown.
struct AlertMonitor: Service {
    let desk: HallDesk

    func run() async throws {
        let desk = self.desk
        let rules = desk.alertRules
        let sender = rules.webhook.map { WebhookSender(url: $0, rules: rules, logger: desk.logger, now: { desk.now }) }
        desk.alertBoard.sender = sender
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                if let sender { group.addTask { await sender.run() } }
                group.addTask {
                    while !Task.isCancelled {
                        do {
                            try await desk.checkAlerts(rules: rules)
                        } catch {
                            desk.alertBoard.failed("\(error)")
                        }
                        try? await Task.sleep(for: .seconds(rules.checkSeconds))
                    }
                }
                await group.waitForAll()
            }
        }
    }
}
