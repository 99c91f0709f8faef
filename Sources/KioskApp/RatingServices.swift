import Foundation
import HallAPI
import KioskCore
import KioskHTTP
import KioskOutbox
import KioskSDL
import Logging
import ServiceLifecycle

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
    /// The event stream: each rating stored (`ratingQueued`), not stored, sent or held.
    let activity: ActivityLog
    private let tasks = TaskBag()
    private let senderStarted = BusyFlag()  // claimed once, never released
    /// The sender's task when `startSender` ran it before the service group (display wait).
    private let earlySender = LockedTask()
    /// Ratings being written to the outbox right now (a citizen's touch that has not reached the disk yet).
    private let writes = WritesInFlight()
    /// Why ratings cannot be stored now (`nil`: they can), and the probe that notices when they can again.
    private let storage = StorageProblem()
    private let probing = BusyFlag()
    /// How often a blocked outbox is tried again (a real write: `RatingOutbox.checkWritable`).
    let probeSeconds: Double

    /// Opens the outbox at `settings.outboxPath` (logging, not throwing, when it cannot: see `openError`); deliveries
    /// are recorded in `activity` (`ratingSent`, `ratingHeld`).
    public init(settings: KioskSettings, client: HallClient, logger: Logger, activity: ActivityLog = .none, probeSeconds: Double = 30) {
        self.probeSeconds = probeSeconds
        self.activity = activity
        self.client = client
        self.logger = logger
        self.windowId = settings.role == .ratingDevice ? settings.windowId : nil
        do {
            let outbox = try RatingOutbox(path: settings.outboxPath, logger: logger)
            self.outbox = outbox
            self.openError = nil
            self.sender = OutboxSender(outbox: outbox, poster: client, logger: logger) { ratingId, delivery in
                switch delivery {
                case .delivered: activity.record(.ratingSent(ratingId: ratingId))
                case .rejected(let status, let code, let message):
                    activity.record(.ratingHeld(ratingId: ratingId, reason: "\(status) \(code): \(message)"))
                case .conflict(let existing, _):
                    activity.record(.ratingHeld(ratingId: ratingId, reason: "already rated as \(existing.ratingId)"))
                case .retryLater: break
                }
            }
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

    /// The background work behind the rating screens, for the kiosk's service group: the outbox sender and, on a
    /// rating device, the follower of the window's events. Tells the screens at once when ratings cannot be stored.
    func services(inbox: EventInbox) -> [any Service] {
        if let problem = storage.value { inbox.post(.ratingStorageChanged(problem: problem)) }
        var services: [any Service] = []
        if sender != nil { services.append(OutboxSenderService(ratings: self)) }
        if let windowId {
            services.append(WindowFollowerService(follower: WindowFollower(client: client, windowId: windowId, logger: logger), inbox: inbox))
        }
        return services
    }

    /// Starts delivering stored ratings before the run loop's services start (while the kiosk waits for a display);
    /// the sender service then carries on with it. Later calls do nothing.
    public func startSender() {
        guard let sender, senderStarted.claim() else { return }
        earlySender.set(Task.detached { await sender.run() })
    }

    /// Delivers stored ratings until cancelled (the sender service): the sender started early, or a new run.
    func runSender() async {
        guard let sender else { return }
        if senderStarted.claim() {
            await sender.run()
        } else if let early = earlySender.value {
            await withTaskCancellationHandler { await early.value } onCancel: { early.cancel() }
        }
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

    /// Stops the storage probe and a sender started early (the service group stops its own services).
    public func stop() {
        tasks.cancelAll()
        earlySender.value?.cancel()
    }

    /// Ratings whose outbox write has started and not finished.
    public var writesInFlight: Int { writes.count }

    /// Waits (at most `timeoutSeconds`) until every outbox write already started has finished — stored or
    /// failed — so a SIGTERM never cuts off a citizen's rating between the touch and the disk. Returns whether
    /// none is left.
    @discardableResult
    public func finishWrites(timeoutSeconds: Double) -> Bool { writes.waitUntilNone(timeoutSeconds: timeoutSeconds) }

    /// Performs a rating effect; answers through `inbox`.
    func perform(_ effect: RatingEffect, inbox: EventInbox, images: ImageStore) {
        switch effect {
        case .storeRating(let submission):
            let outbox = self.outbox, openError = self.openError, logger = self.logger, writes = self.writes, activity = self.activity
            writes.begin()
            Task.detached {
                defer { writes.end() }
                guard let outbox else {
                    let reason = openError ?? "no outbox"
                    activity.record(.ratingNotStored(ratingId: submission.ratingId, reason: reason))
                    inbox.post(.ratingStoreFailed(ratingId: submission.ratingId, reason: reason))
                    return
                }
                do {
                    _ = try outbox.store(submission)  // logs "rating stored" with the id
                    activity.record(.ratingQueued(ratingId: submission.ratingId))
                    inbox.post(.ratingStored(ratingId: submission.ratingId))
                } catch {
                    logger.error("rating not stored: \(error)", metadata: ["rating.id": "\(submission.ratingId)"])
                    activity.record(.ratingNotStored(ratingId: submission.ratingId, reason: "\(error)"))
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
                    let size = try images.register(WindowPanel.photoImageName(path), data: data)
                    logger.info("staff photo loaded", metadata: ["staff.id": "\(staffId)", "photo.url": "\(path)",
                                                                 "photo.size": "\(size.width)x\(size.height)"])
                    inbox.post(.staffPhotoReady(staffId: staffId, path: path))
                } catch {
                    logger.notice("staff photo not shown (the card keeps its placeholder): \(error)",
                                  metadata: ["staff.id": "\(staffId)", "photo.url": "\(path)"])
                }
            }
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
        breakReason = state.window.isOpen ? state.window.breakReason : nil
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

/// A task set once and read from any thread.
final class LockedTask: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, Never>?
    var value: Task<Void, Never>? { lock.withLock { task } }
    func set(_ new: Task<Void, Never>) { lock.withLock { task = new } }
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
