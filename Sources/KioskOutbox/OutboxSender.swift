import Foundation
import HallAPI
import KioskCore
import KioskHTTP
import Logging

/// Delivers the outbox's pending ratings to the hall server, in the background, until cancelled.
///
/// ```swift
/// let sender = OutboxSender(outbox: outbox, poster: hallClient)
/// let task = Task { await sender.run() }        // runs until task.cancel()
/// for await s in sender.statusUpdates() { … }   // pending / rejected counts for the UI and heartbeat
/// sender.sendNow()                              // admin "send now": retry everything immediately
/// ```
///
/// - Each rating is posted with its `ratingId` as `Idempotency-Key`, up to `concurrency` at a time,
///   the longest waiting first; a follow-up rating waits for the first rating of its ticket.
/// - `delivered` (201, 200 replay, 409 with the same rating) → delivered; `rejected` (422 …) and
///   `conflict` (409 with another rating) → kept for the admin screen, never retried;
///   `retryLater` → the sender pauses for `BackoffPolicy.delay` (consecutive failures, full jitter,
///   `Retry-After`), and that rating also gets its own backoff so one bad rating cannot block the rest.
/// - Pending ratings from an earlier run are sent when `run()` starts. A rating stored while the
///   sender waits wakes it (unless it is backing off from a failure).
/// - Retry times are stored as wall-clock times, and the wall clock may be set back or forward (NTP, hall IT):
///   when it moved more or less than the monotonic clock between two readings (by over `clockJumpTolerance`),
///   the stored retry times and the pause move with it, so every wait stays what the backoff chose. At start,
///   retry times further ahead than the backoff ever waits (a clock set back while the device was off) are
///   brought back within `BackoffPolicy.longestDelay`.
/// - Only one sender per outbox file.
public final class OutboxSender: Sendable {
    /// The store whose pending ratings this sender delivers.
    public let outbox: RatingOutbox
    /// The retry schedule.
    public let policy: BackoffPolicy
    /// Ratings posted at the same time. Default 4.
    public let concurrency: Int
    private let poster: any RatingPoster
    private let clock: any OutboxClock
    private let random: any OutboxRandom
    private let logger: Logger
    /// Hears each rating's delivery outcome once it is recorded in the outbox (the kiosk's event stream).
    private let onOutcome: @Sendable (_ ratingId: String, _ delivery: RatingDelivery) -> Void
    private let broadcast = StatusBroadcast()
    private let state = LockedState()
    /// A wall clock that moved this many seconds more or less than the monotonic clock was set (not drift).
    static let clockJumpTolerance = 2.0

    /// - Parameters:
    ///   - poster: the hall client (`HallClient`).
    ///   - clock, random: the real ones by default; tests inject fakes for schedule checks.
    ///   - onOutcome: hears each attempt's outcome per rating, after it is recorded.
    public init(outbox: RatingOutbox, poster: any RatingPoster, policy: BackoffPolicy = BackoffPolicy(), concurrency: Int = 4,
                clock: any OutboxClock = SystemOutboxClock(), random: any OutboxRandom = SystemOutboxRandom(),
                logger: Logger = Logger(label: "hallkiosk.outbox"),
                onOutcome: @escaping @Sendable (_ ratingId: String, _ delivery: RatingDelivery) -> Void = { _, _ in }) {
        self.onOutcome = onOutcome
        self.outbox = outbox
        self.poster = poster
        self.policy = policy
        self.concurrency = max(1, concurrency)
        self.clock = clock
        self.random = random
        self.logger = logger
    }

    /// Sends due ratings until the surrounding task is cancelled. Never throws: storage and network
    /// trouble is logged, shown in `status.lastError`, and retried.
    public func run() async {
        logger.info("outbox sender started", metadata: ["outbox.path": "\(outbox.path)"])
        limitStoredSchedule()
        while !Task.isCancelled {
            let wait = await sendDue()
            if Task.isCancelled { break }
            await outbox.doorbell.wait(upTo: wait, clock: clock)
        }
        logger.info("outbox sender stopped", metadata: ["outbox.path": "\(outbox.path)"])
    }

    /// Retries every pending rating now, ending any backoff (admin "send now", or the network came back).
    public func sendNow() {
        let now = readClock()
        state.update { $0.failures = 0; $0.pausedUntil = nil }
        do {
            try outbox.makeAllDue(now: now)
        } catch {
            logger.error("send now failed", metadata: ["error": "\(OutboxError.from(error, path: outbox.path, doing: "send now"))"])
        }
        outbox.doorbell.ring()
    }

    /// The status now: counts from the database plus the sender's last error and next attempt.
    public var status: OutboxStatus {
        var s = (try? outbox.counts()) ?? broadcast.current ?? OutboxStatus()
        let live = state.value
        s.lastError = s.pending > 0 ? live.lastError : nil
        s.nextAttemptAt = s.pending > 0 ? live.nextAttemptAt : nil
        s.lastDeliveredAt = live.lastDeliveredAt
        return s
    }

    /// The current status first, then every change (stored, delivered, rejected, backing off …).
    /// The stream ends when the subscriber stops iterating.
    public func statusUpdates() -> AsyncStream<OutboxStatus> {
        broadcast.publish(status)
        return broadcast.subscribe()
    }

    // MARK: One pass

    /// Sends every due rating (batch after batch) until none is due or an attempt must be retried later.
    /// Returns seconds until the next attempt is due (nil = nothing pending: wait for a new rating).
    @discardableResult
    func sendDue() async -> Double? {
        broadcast.publish(status)  // a newly stored rating shows as pending at once
        defer { broadcast.publish(status) }
        pruneIfTime()
        while !Task.isCancelled {
            let now = readClock()
            if let until = state.value.pausedUntil, until > now {
                return until.timeIntervalSince(now)
            }
            let batch: [DueRating]
            do {
                batch = try outbox.dueRatings(now: now, limit: concurrency)
            } catch {
                return storageTrouble(error, doing: "reading due ratings")
            }
            if batch.isEmpty {
                do {
                    guard let next = try outbox.nextDue() else { return nil }
                    state.update { $0.nextAttemptAt = next }
                    return max(0.01, next.timeIntervalSince(now))
                } catch {
                    return storageTrouble(error, doing: "reading the next due time")
                }
            }
            state.update { $0.nextAttemptAt = nil }
            let deliveries = await post(batch)
            let after = readClock()
            var outcomes: [AttemptOutcome] = []
            var retry: (after: Double?, reason: String)? = nil  // the longest Retry-After of the batch
            for (due, delivery) in zip(batch, deliveries) {
                var outcome = AttemptOutcome(ratingId: due.ratingId, delivery: delivery, nextAttemptAt: nil)
                switch delivery {
                case .retryLater(let retryAfter, let reason):
                    let d = policy.delay(failures: due.attempts + 1, retryAfter: retryAfter, unit: random.unit())
                    outcome.nextAttemptAt = after.addingTimeInterval(d)
                    let longest = [retry?.after, retryAfter].compactMap { $0 }.max()
                    retry = (longest, reason)
                case .delivered:
                    logger.debug("rating delivered", metadata: ["rating.id": "\(due.ratingId)"])
                case .rejected(let status, let code, let message):
                    logger.error("rating rejected by the hall server; kept for the admin screen",
                                 metadata: ["rating.id": "\(due.ratingId)", "http.status": "\(status)", "error.code": "\(code)",
                                            "error.message": "\(message)"])
                case .conflict(let existing, _):
                    logger.warning("ticket already rated elsewhere; rating kept for the admin screen",
                                   metadata: ["rating.id": "\(due.ratingId)", "existing.rating.id": "\(existing.ratingId)"])
                }
                outcomes.append(outcome)
            }
            do {
                try outbox.record(outcomes, at: after)
            } catch {
                // Not recorded: the ratings stay pending and are sent again (the server replays them).
                return storageTrouble(error, doing: "recording delivery results")
            }
            for outcome in outcomes { onOutcome(outcome.ratingId, outcome.delivery) }
            if outcomes.contains(where: { if case .delivered = $0.delivery { true } else { false } }) {
                state.update { $0.lastDeliveredAt = after }
            }
            if let retry {
                let failures = state.value.failures + 1
                let d = policy.delay(failures: failures, retryAfter: retry.after, unit: random.unit())
                let until = after.addingTimeInterval(d)
                if failures == 1 {
                    logger.warning("hall server not taking ratings; backing off",
                                   metadata: ["error": "\(retry.reason)", "retry.in.seconds": "\(String(format: "%.1f", d))"])
                }
                state.update { $0.failures = failures; $0.pausedUntil = until; $0.nextAttemptAt = until; $0.lastError = retry.reason }
                broadcast.publish(status)
                return d
            }
            if state.value.failures > 0 {
                logger.info("hall server takes ratings again")
            }
            state.update { $0.failures = 0; $0.pausedUntil = nil; $0.lastError = nil }
            broadcast.publish(status)
        }
        return nil
    }

    private func post(_ batch: [DueRating]) async -> [RatingDelivery] {
        if batch.count == 1 { return [await poster.submitRating(batch[0].submission)] }
        let poster = self.poster
        return await withTaskGroup(of: (Int, RatingDelivery).self) { group in
            for (i, due) in batch.enumerated() {
                group.addTask { (i, await poster.submitRating(due.submission)) }
            }
            var answers = [RatingDelivery](repeating: .retryLater(after: nil, reason: "not sent"), count: batch.count)
            for await (i, d) in group { answers[i] = d }
            return answers
        }
    }

    /// Logs a storage problem, shows it in the status, and backs off like a failed delivery.
    private func storageTrouble(_ error: Error, doing: String) -> Double {
        let problem = OutboxError.from(error, path: outbox.path, doing: doing)
        logger.error("outbox storage trouble", metadata: ["error": "\(problem.description)"])
        let failures = state.value.failures + 1
        let d = policy.delay(failures: failures, unit: random.unit())
        let now = readClock()
        state.update { $0.failures = failures; $0.pausedUntil = now.addingTimeInterval(d); $0.lastError = problem.description }
        return d
    }

    // MARK: Clock changes

    /// The wall clock now. When it was set since the last reading (it moved more or less than the monotonic
    /// clock by over `clockJumpTolerance`), first moves the pause, the next attempt and the stored retry times
    /// by the same amount, and says so in the log, so that a clock set back an hour does not hold every rating
    /// for an hour, nor a clock set forward skip the waits (or a server's `Retry-After`).
    private func readClock() -> Date {
        let reading = ClockReading(wall: clock.now(), uptime: Uptime(seconds: clock.uptime()))
        let wall = reading.wall
        let change = state.update { v -> (jump: Double, before: Date)? in
            defer { v.lastReading = reading }
            guard let last = v.lastReading,
                  let jump = reading.wallClockJump(since: last, tolerance: Self.clockJumpTolerance) else { return nil }
            v.pausedUntil = v.pausedUntil?.addingTimeInterval(jump)
            v.nextAttemptAt = v.nextAttemptAt?.addingTimeInterval(jump)
            v.lastPrune = v.lastPrune?.addingTimeInterval(jump)
            return (jump, last.wall)
        }
        guard let change else { return wall }
        let moved: Int
        do {
            moved = try outbox.shiftSchedule(by: change.jump, storedBefore: change.before)
        } catch {
            logger.error("the clock was set but the retry times could not be moved",
                         metadata: ["error": "\(OutboxError.from(error, path: outbox.path, doing: "moving retry times"))"])
            return wall
        }
        logger.notice("\(ClockReading.describe(jump: change.jump)): retry times moved with it",
                      metadata: ["ratings.pending.moved": "\(moved)"])
        return wall
    }

    /// At start: retry times further ahead than the backoff ever waits were set by a clock that was ahead then
    /// (set back while the device was off); they are brought back within the longest wait.
    private func limitStoredSchedule() {
        let latest = readClock().addingTimeInterval(policy.longestDelay)
        do {
            let n = try outbox.limitSchedule(to: latest)
            if n > 0 {
                logger.notice("retry times beyond the longest backoff (the clock was set back while the device was off): brought forward",
                              metadata: ["count": "\(n)"])
            }
        } catch {
            logger.warning("could not check the stored retry times", metadata: ["error": "\(error)"])
        }
    }

    private func pruneIfTime() {
        let now = readClock()
        guard state.value.lastPrune.map({ now.timeIntervalSince($0) > 3600 }) ?? true else { return }
        state.update { $0.lastPrune = now }
        do {
            let n = try outbox.pruneDelivered(before: now.addingTimeInterval(-outbox.deliveredRetention))
            if n > 0 { logger.info("pruned delivered ratings", metadata: ["count": "\(n)"]) }
        } catch {
            logger.warning("could not prune delivered ratings", metadata: ["error": "\(error)"])
        }
    }
}

/// The sender's live state.
private final class LockedState: @unchecked Sendable {
    struct Value {
        var failures = 0
        var pausedUntil: Date?
        var nextAttemptAt: Date?
        var lastError: String?
        var lastDeliveredAt: Date?
        var lastPrune: Date?
        /// The two clocks at the last reading (to notice the wall clock being set).
        var lastReading: ClockReading?
    }

    private let lock = NSLock()
    private var storage = Value()

    var value: Value { lock.withLock { storage } }

    @discardableResult
    func update<T>(_ body: (inout Value) -> T) -> T {
        lock.withLock { body(&storage) }
    }
}
