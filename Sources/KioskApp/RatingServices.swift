import Foundation
import HallAPI
import KioskCore
import KioskHTTP
import KioskOutbox
import KioskSDL
import Logging

/// The adapters behind the rating screens: the durable outbox and its sender, the window's event
/// stream (rating devices), window state and staff photos. Answers reach the core through the inbox.
public final class RatingServices: Sendable {
    /// `nil` when the outbox could not be opened: ratings are then refused with a message, never lost silently.
    public let outbox: RatingOutbox?
    /// Why the outbox could not be opened.
    public let openError: String?
    /// Delivers the outbox to the hall server; `nil` when the outbox could not be opened. Public for the soak
    /// (KioskLab), which drains the outbox at each checkpoint.
    public let sender: OutboxSender?
    let client: HallClient
    let logger: Logger
    let windowId: String?
    private let tasks = TaskBag()
    private let senderStarted = BusyFlag()  // claimed once, never released
    /// Ratings being written to the outbox right now (a citizen's touch that has not reached the disk yet).
    private let writes = WritesInFlight()
    /// Why ratings cannot be stored now (`nil`: they can), and the probe that notices when they can again.
    private let storage = StorageProblem()
    private let probing = BusyFlag()
    /// How often a blocked outbox is tried again (a real write: `RatingOutbox.checkWritable`).
    let probeSeconds: Double

    /// Opens the outbox at `settings.outboxPath` (logging, not throwing, when it cannot: see `openError`).
    public init(settings: KioskSettings, client: HallClient, logger: Logger, probeSeconds: Double = 30) {
        self.probeSeconds = probeSeconds
        self.client = client
        self.logger = logger
        self.windowId = settings.role == .ratingDevice ? settings.windowId : nil
        do {
            let outbox = try RatingOutbox(path: settings.outboxPath, logger: logger)
            self.outbox = outbox
            self.openError = nil
            self.sender = OutboxSender(outbox: outbox, poster: client, logger: logger)
        } catch {
            logger.error("ratings cannot be stored: \(error)")
            self.outbox = nil
            self.openError = error.description
            self.sender = nil
            storage.set(error.description)
        }
    }

    /// Why ratings cannot be stored at this device now (the outbox could not be opened, or the last write failed
    /// for a reason hall IT must fix: disk full, unwritable, corrupt); `nil` when they can.
    public var storageProblem: String? { storage.value }

    /// Outbox figures for the heartbeat and the admin screen.
    public var status: OutboxStatus { sender?.status ?? OutboxStatus(lastError: openError) }

    /// Starts the sender and, on a rating device, following the window's events.
    func start(inbox: EventInbox) {
        if let problem = storage.value { inbox.post(.ratingStorageChanged(problem: problem)) }
        startSender()
        if let windowId {
            let follower = WindowFollower(client: client, windowId: windowId, logger: logger)
            tasks.add(Task.detached { await follower.run { inbox.post(.windowEvent($0)) } })
        }
    }

    /// Starts delivering stored ratings (once; later calls do nothing): also while the kiosk waits for a display.
    public func startSender() {
        guard let sender, senderStarted.claim() else { return }
        tasks.add(Task.detached { await sender.run() })
    }

    /// Ratings cannot be stored: say so to the screens (no more prompts; citizens are sent to the phone page) and try a
    /// real write every `probeSeconds` until one succeeds, then offer ratings again.
    private func blockRatings(_ problem: String, outbox: RatingOutbox, inbox: EventInbox) {
        if storage.set(problem) {
            logger.error("ratings are no longer offered at this device until the outbox can be written: \(problem)")
            inbox.post(.ratingStorageChanged(problem: problem))
        }
        guard probing.claim() else { return }
        let storage = self.storage, probing = self.probing, logger = self.logger, seconds = probeSeconds
        tasks.add(Task.detached {
            defer { probing.release() }
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(seconds))
                guard !Task.isCancelled else { return }
                do {
                    try outbox.checkWritable()
                    storage.set(nil)
                    logger.notice("the rating outbox can be written again: ratings are offered again")
                    inbox.post(.ratingStorageChanged(problem: nil))
                    return
                } catch {
                    let problem = "\(error)"
                    if storage.set(problem) { inbox.post(.ratingStorageChanged(problem: problem)) }
                }
            }
        })
    }

    /// Stops the sender and the window follower.
    public func stop() { tasks.cancelAll() }

    /// Ratings whose outbox write has started and not finished.
    public var writesInFlight: Int { writes.count }

    /// Waits (at most `timeoutSeconds`) until every outbox write already started has finished — stored or
    /// failed — so a SIGTERM never cuts off a citizen's rating between the touch and the disk. Returns whether
    /// none is left.
    @discardableResult
    public func finishWrites(timeoutSeconds: Double) -> Bool { writes.waitUntilNone(timeoutSeconds: timeoutSeconds) }

    /// Performs a rating effect; answers through `inbox`.
    func perform(_ effect: KioskEffect, inbox: EventInbox, images: ImageStore) {
        switch effect {
        case .storeRating(let submission):
            let outbox = self.outbox, openError = self.openError, logger = self.logger, writes = self.writes
            writes.begin()
            Task.detached {
                defer { writes.end() }
                guard let outbox else {
                    inbox.post(.ratingStoreFailed(ratingId: submission.ratingId, reason: openError ?? "no outbox"))
                    return
                }
                do {
                    _ = try outbox.store(submission)  // logs "rating stored" with the id
                    inbox.post(.ratingStored(ratingId: submission.ratingId))
                } catch {
                    logger.error("rating not stored: \(error)", metadata: ["rating.id": "\(submission.ratingId)"])
                    inbox.post(.ratingStoreFailed(ratingId: submission.ratingId, reason: "\(error)"))
                    if let error = error as? OutboxError, error.blocksNewRatings {
                        self.blockRatings(error.description, outbox: outbox, inbox: inbox)
                    }
                }
            }
        case .fetchWindowState:
            guard let windowId else { return }
            let client = self.client, logger = self.logger
            Task.detached {
                do {
                    let state = try await client.windowState(windowId: windowId)
                    inbox.post(.windowStateArrived(WindowPanel(state), at: Date()))
                } catch {
                    logger.warning("window state: \(error)")
                }
            }
        case .fetchStaffPhoto(let staffId, let path):
            let client = self.client, logger = self.logger
            Task.detached {
                do {
                    let data = try await client.staffPhoto(path: path)
                    images.register(WindowPanel.photoImageName(staffId), data: data)
                    inbox.post(.staffPhotoReady(staffId: staffId))
                } catch {
                    logger.notice("staff photo not loaded (placeholder shown): \(error)", metadata: ["staff.id": "\(staffId)"])
                }
            }
        default:
            break
        }
    }
}

extension WindowPanel {
    /// The idle screen's data from `GET /api/v1/windows/{id}`.
    init(_ state: WindowState) {
        let satisfaction = state.staffSatisfaction.flatMap { s in
            s.goodRate.map { StaffSatisfactionFigure(goodRate: $0, ratings: s.activeRatings) }
        }
        self.init(window: WindowRef(id: state.window.id, name: state.window.name),
                  staff: state.window.isOpen ? state.window.staff : nil,
                  currentTicketNumber: state.window.currentTicketNumber, satisfaction: satisfaction)
    }
}

/// A count of writes in progress that a thread can wait to reach zero.
final class WritesInFlight: @unchecked Sendable {
    private let lock = NSLock()
    private let group = DispatchGroup()
    private var inFlight = 0

    var count: Int { lock.withLock { inFlight } }
    func begin() {
        lock.withLock { inFlight += 1 }
        group.enter()
    }
    func end() {
        lock.withLock { inFlight -= 1 }
        group.leave()
    }

    /// Waits on the monotonic clock (`DispatchTime`): a wall clock set back or forward during a shutdown neither
    /// stretches nor cuts the wait (a condition's `wait(until: Date)` would follow the wall clock).
    func waitUntilNone(timeoutSeconds: Double) -> Bool {
        group.wait(timeout: .now() + timeoutSeconds) == .success
    }
}

/// Background tasks cancelled together.
final class TaskBag: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [Task<Void, Never>] = []
    func add(_ task: Task<Void, Never>) {
        lock.lock()
        tasks.append(task)
        lock.unlock()
    }
    func cancelAll() {
        lock.lock()
        let all = tasks
        tasks = []
        lock.unlock()
        for task in all { task.cancel() }
    }
}

/// A problem description shared between threads; `set` says whether it changed.
final class StorageProblem: @unchecked Sendable {
    private let lock = NSLock()
    private var problem: String?

    var value: String? { lock.withLock { problem } }

    @discardableResult
    func set(_ new: String?) -> Bool {
        lock.withLock {
            guard problem != new else { return false }
            problem = new
            return true
        }
    }
}
