import Foundation
import HallAPI
import KioskCore
import KioskHTTP
import Logging
import ServiceLifecycle

/// Delivers the rating outbox to the hall server (`OutboxSender`), until the group shuts down.
struct OutboxSenderService: Service {
    let ratings: RatingServices

    func run() async {
        await cancelWhenGracefulShutdown { await ratings.runSender() }
    }
}

/// A rating device follows its window's events (`WindowFollower`) and hands them to the run loop.
struct WindowFollowerService: Service {
    let follower: WindowFollower
    let inbox: EventInbox

    func run() async {
        let inbox = self.inbox
        await cancelWhenGracefulShutdown {
            await follower.run { inbox.post(.windowEvent($0)) }
        }
    }
}

/// Polls the printer's state (`TicketPrinter.startWatching`) and reports each change to the run loop and the
/// heartbeat, until the group shuts down.
struct PrinterWatchService: Service {
    let printer: any TicketPrinter
    let inbox: EventInbox
    let trigger: HeartbeatTrigger
    let activity: ActivityLog

    func run() async {
        let inbox = self.inbox, trigger = self.trigger, activity = self.activity
        printer.startWatching { health in
            activity.record(.printer(health.condition))
            inbox.post(.printerChanged(health))
            trigger.sendNow()
        }
        try? await gracefulShutdown()
        printer.stopWatching()
    }
}

/// The kiosk's background work as one `ServiceGroup`: heartbeat, outbox sender, window follower (rating devices)
/// and printer watch. Started by the run loop after the first frame; stopped gracefully (not by signals: the run
/// loop on the main thread owns SIGTERM/SIGINT and stops the group on its way out).
final class BackgroundServices: @unchecked Sendable {
    private let group: ServiceGroup
    private var task: Task<Void, Never>?

    init(services: [any Service], logger: Logger) {
        let configurations = services.map {
            // A service that ends (a follower whose stream ended) leaves the others running.
            ServiceGroupConfiguration.ServiceConfiguration(service: $0, successTerminationBehavior: .ignore,
                                                           failureTerminationBehavior: .ignore)
        }
        group = ServiceGroup(configuration: ServiceGroupConfiguration(services: configurations, logger: logger))
    }

    private let finished = DispatchSemaphore(value: 0)

    func start() {
        let group = self.group, finished = self.finished
        task = Task.detached {
            do { try await group.run() } catch {}
            finished.signal()
        }
    }

    /// Asks every service to finish and waits for them, at most `waitSeconds` (before the hall client is shut down,
    /// so no request of theirs meets a closed client).
    func stop(waitSeconds: Double = 3) {
        guard task != nil else { return }
        task = nil
        let group = self.group
        Task.detached { await group.triggerGracefulShutdown() }
        _ = finished.wait(timeout: .now() + waitSeconds)
    }
}
