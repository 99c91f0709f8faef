import Foundation

/// The notices waiting for the webhook, each with its own retry schedule. Pure: `WebhookSender` asks it what to send
/// and tells it how each attempt went; the times are the caller's clock.
///
/// - Each notice is retried on its own ladder (`retrySeconds` × 1, 6, 24, 120, … capped at `maxRetrySeconds`: 5 s, 30 s,
///   2 min, 10 min, 10 min … by default), so a notice the receiver keeps refusing does not hold back the others.
/// - Order is kept where it matters: a notice waits while an earlier notice about the same alert (`key`) is pending, so
///   a `resolved` never reaches the receiver before its `raised`.
/// - A notice older than `giveUpSeconds` (default 24 h), or tried `giveUpAttempts` times, is given up (counted).
/// - At most `queueLimit` notices wait; beyond it the oldest is dropped (counted).
/// - A delivery proves the receiver is back: every other waiting notice becomes due at once (except those it refused
///   with a 4xx answer: that is about the notice, and they keep their ladder).
struct WebhookOutbox: Sendable {
    /// One notice waiting, with its attempts.
    struct Pending: Sendable, Equatable {
        var id: Int
        var notice: AlertNotice
        var queuedAt: Date
        var attempts = 0
        var dueAt: Date
        var lastError: String?
    }

    /// The outbox in numbers and times, for the admin page.
    struct Status: Sendable, Equatable {
        var pending = 0
        var delivered = 0
        /// Dropped because the outbox was full.
        var dropped = 0
        /// Given up: too old or tried too often.
        var givenUp = 0
        /// The alert of the last notice given up, and when.
        var lastGivenUpKey: String?
        var lastGivenUpAt: Date?
        var lastSuccessAt: Date?
        /// First failure since the last delivery (nil: not failing).
        var failingSince: Date?
        var lastError: String?
        var lastErrorAt: Date?
        /// When the next waiting notice is tried.
        var nextAttemptAt: Date?
        /// Waiting notices the receiver failed to take at least once (oldest first): alert, tries, last error.
        var retrying: [Retrying] = []
    }

    /// A waiting notice that failed before.
    struct Retrying: Sendable, Equatable {
        var key: String
        var event: AlertNotice.Event
        var attempts: Int
        var lastError: String
        var dueAt: Date
    }

    let rules: AlertRules
    private(set) var pending: [Pending] = []
    private var nextId = 1
    private var counts = Status()

    init(rules: AlertRules) { self.rules = rules }

    /// Queues `notice`, due now. Returns the notice dropped to make room (the oldest), if any.
    mutating func enqueue(_ notice: AlertNotice, now: Date) -> AlertNotice? {
        var dropped: AlertNotice?
        if pending.count >= rules.queueLimit {
            dropped = pending.removeFirst().notice
            counts.dropped += 1
        }
        pending.append(Pending(id: nextId, notice: notice, queuedAt: now, dueAt: now))
        nextId += 1
        return dropped
    }

    /// The wait after the `attempts`-th failed attempt: `retrySeconds` × 1, 6, 24, 120, then 120 …, capped.
    func retryWait(afterAttempts attempts: Int) -> Double {
        let steps: [Double] = [1, 6, 24, 120]
        return min(rules.retrySeconds * steps[min(max(attempts, 1), steps.count) - 1], rules.maxRetrySeconds)
    }

    /// Gives up the notices that are too old or were tried too often. Returns them.
    mutating func giveUpExpired(now: Date) -> [Pending] {
        let expired = pending.filter { p in
            now.timeIntervalSince(p.queuedAt) >= rules.giveUpSeconds || rules.giveUpAttempts.map { p.attempts >= $0 } == true
        }
        guard !expired.isEmpty else { return [] }
        let ids = Set(expired.map(\.id))
        pending.removeAll { ids.contains($0.id) }
        counts.givenUp += expired.count
        counts.lastGivenUpKey = expired.last?.notice.key
        counts.lastGivenUpAt = now
        return expired
    }

    /// The notice to try now: due, and no earlier notice about the same alert is waiting. Nil: none is.
    func next(now: Date) -> Pending? {
        var blocked = Set<String>()
        var best: Pending?
        for p in pending {
            defer { blocked.insert(p.notice.key) }
            guard !blocked.contains(p.notice.key), p.dueAt <= now else { continue }
            if best == nil || p.dueAt < best!.dueAt { best = p }
        }
        return best
    }

    /// The receiver took notice `id`: it goes, and the others are due at once (the receiver is back), but those it refused.
    mutating func delivered(_ id: Int, now: Date) {
        pending.removeAll { $0.id == id }
        counts.delivered += 1
        counts.lastSuccessAt = now
        counts.failingSince = nil
        // Not the ones it refused (4xx): those are about the notice, not the receiver being away.
        for i in pending.indices where pending[i].dueAt > now && pending[i].lastError?.hasPrefix("HTTP 4") != true { pending[i].dueAt = now }
    }

    /// An attempt at notice `id` failed with `error`: it is due again after its next wait.
    mutating func failed(_ id: Int, error: String, now: Date) {
        counts.lastError = error
        counts.lastErrorAt = now
        if counts.failingSince == nil { counts.failingSince = now }
        guard let i = pending.firstIndex(where: { $0.id == id }) else { return }
        pending[i].attempts += 1
        pending[i].lastError = error
        pending[i].dueAt = now.addingTimeInterval(retryWait(afterAttempts: pending[i].attempts))
    }

    var status: Status {
        var s = counts
        s.pending = pending.count
        // The first notice about each alert is the one tried next for it (those behind it wait for it).
        var seen = Set<String>()
        s.nextAttemptAt = pending.filter { seen.insert($0.notice.key).inserted }.map(\.dueAt).min()
        s.retrying = pending.compactMap { p in
            p.lastError.map { Retrying(key: p.notice.key, event: p.notice.event, attempts: p.attempts, lastError: $0, dueAt: p.dueAt) }
        }
        return s
    }
}
