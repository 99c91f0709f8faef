import Foundation
import HallAPI
import IDCardReader
import KioskCore
import Logging
import ServiceLifecycle

/// Runs the ID card reader (`[idcard] device`, ticket kiosks only) beside the printer watch: its health goes into the
/// heartbeat (sent at once on a change), each placement becomes an `idCardRead` event with the card's kind and
/// whether its check character is right, and goes to the core (`cardPlaced` / `cardUnreadable`) for the check-in
/// screens: the number and the masked name only (`CardHolder`); nothing of the card is logged or written.
final class IDCardReaderWatch: Service, Sendable {
    let reader: IDCardReaderService
    /// The configured device as the heartbeat names it.
    let deviceName: String
    let trigger: HeartbeatTrigger
    let activity: ActivityLog
    let logger: Logger
    /// Where card events go to the run loop (nil: health only, e.g. in `doctor`).
    let inbox: EventInbox?
    /// When the last card event came from the reader (for `hallkiosk-lab card-bench`).
    let stamp: CardReadStamp?

    /// `device` is `[idcard] device`: a path, or `auto` for the first `/dev/ttyUSB*` / `/dev/ttyACM*`.
    init(device: String, trigger: HeartbeatTrigger, activity: ActivityLog, logger: Logger, inbox: EventInbox? = nil,
         stamp: CardReadStamp? = nil) {
        self.inbox = inbox
        self.stamp = stamp
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

    /// What the core gets of a card: the number (for the requests) and the masked name (for the holder's screen).
    static func holder(_ card: IDCard) -> CardHolder {
        CardHolder(idNumber: card.idNumber.clearText, maskedName: card.name.masked)
    }

    /// A number whose check character is wrong is most often a misread: placing the card again, flat, is the advice.
    static func isBadNumber(_ problem: CardProblem) -> Bool {
        if case .invalidCard(.badIDNumber) = problem { return true }
        return false
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
            stamp?.mark()
            // Only that a card came and its kind: the card itself stays in memory (and, for now, goes nowhere).
            logger.debug("card placed", metadata: ["kind": "\(String(describing: card.kind))"])
            activity.record(.idCardRead(kind: String(describing: card.kind), checkDigitValid: true))
            inbox?.post(.cardPlaced(Self.holder(card)))
        case let .cardUnreadable(problem):
            stamp?.mark()
            logger.debug("card placed but not read: \(problem.reason)")
            if case .invalidCard(.badIDNumber) = problem {
                activity.record(.idCardRead(kind: "unreadable", checkDigitValid: false))
            }
            inbox?.post(.cardUnreadable(placeAgain: problem.placeAgain || Self.isBadNumber(problem)))
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

/// The moment the last card event arrived from the reader (the reply's last byte decoded), for benchmarks.
final class CardReadStamp: @unchecked Sendable {
    private let lock = NSLock()
    private var last: ContinuousClock.Instant?
    func mark() { lock.withLock { last = ContinuousClock.now } }
    var value: ContinuousClock.Instant? { lock.withLock { last } }
}
