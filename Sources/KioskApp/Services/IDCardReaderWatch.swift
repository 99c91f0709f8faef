import Foundation
import HallAPI
import IDCardReader
import Logging
import ServiceLifecycle

/// Runs the ID card reader (`[idcard] device`, ticket kiosks only) beside the printer watch: its health goes into the
/// heartbeat (sent at once on a change), each placement becomes an `idCardRead` event with the card's kind and
/// whether its check character is right. No card data leaves this service: the check-in screens come later.
final class IDCardReaderWatch: Service, Sendable {
    let reader: IDCardReaderService
    /// The configured device as the heartbeat names it.
    let deviceName: String
    let trigger: HeartbeatTrigger
    let activity: ActivityLog
    let logger: Logger

    /// `device` is `[idcard] device`: a path, or `auto` for the first `/dev/ttyUSB*` / `/dev/ttyACM*`.
    init(device: String, trigger: HeartbeatTrigger, activity: ActivityLog, logger: Logger) {
        let choice: IDCardReaderService.Device = device == "auto" ? .automatic : .path(device)
        reader = IDCardReaderService(device: choice)
        deviceName = choice.description
        self.trigger = trigger
        self.activity = activity
        self.logger = logger
    }

    /// The reader's health for the heartbeat.
    var health: IDCardReaderHealth { Self.heartbeatHealth(reader.health, device: deviceName) }

    static func heartbeatHealth(_ health: ReaderHealth, device: String) -> IDCardReaderHealth {
        IDCardReaderHealth(device: device, connected: health.connected, ready: health.isReady,
                           samStatus: health.samStatus?.description, lastError: health.lastError)
    }

    func run() async {
        reader.start()
        logger.info("ID card reader started", metadata: ["device": "\(deviceName)"])
        await cancelWhenGracefulShutdown {
            for await event in self.reader.events { self.handle(event) }
        }
        reader.stop()
    }

    private func handle(_ event: ReaderEvent) {
        switch event {
        case let .cardRead(card):
            // Only that a card came and its kind: the card itself stays in memory (and, for now, goes nowhere).
            logger.debug("card placed", metadata: ["kind": "\(String(describing: card.kind))"])
            activity.record(.idCardRead(kind: String(describing: card.kind), checkDigitValid: true))
        case let .cardUnreadable(problem):
            logger.debug("card placed but not read: \(problem.reason)")
            if case .invalidCard(.badIDNumber) = problem {
                activity.record(.idCardRead(kind: "unreadable", checkDigitValid: false))
            }
        case let .healthChanged(health):
            if health.isReady {
                logger.notice("ID card reader ready on \(deviceName): \(health)")
            } else {
                logger.warning("ID card reader on \(deviceName) not ready: \(health)")
            }
            trigger.sendNow()
        }
    }
}
