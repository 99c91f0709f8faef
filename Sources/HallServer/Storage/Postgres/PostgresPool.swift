import Foundation
import Logging
import PostgresNIO

/// Whether the database could be reached at the last attempt, since when not, and writes refused meanwhile.
final class PostgresHealthState: @unchecked Sendable {
    private let lock = NSLock()
    private var since: Date?
    private var why: String?
    private var refusedCount = 0

    var reason: String? { lock.withLock { why } }
    var refused: Int { lock.withLock { refusedCount } }

    /// A newer reason for the outage under way (what the last recovery attempt met).
    func update(_ reason: String) {
        lock.withLock { if since != nil { why = "PostgreSQL cannot be reached: \(reason)" } }
    }

    /// - Returns: true when this is the start of an outage (worth one log line).
    func lost(_ reason: String) -> Bool {
        lock.withLock {
            refusedCount += 1
            why = "PostgreSQL cannot be reached: \(reason)"
            if since == nil { since = Date(); return true }
            return false
        }
    }

    /// - Returns: when the outage that just ended began; nil when there was none.
    func recovered() -> Date? {
        lock.withLock {
            guard let start = since else { return nil }
            since = nil
            why = nil
            return start
        }
    }
}

/// Set once a connection was leased (the lease timeout then no longer applies).
final class LeaseFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Whether COMMIT was sent (a connection lost after that is not retried: the commit may have happened).
final class TransactionPhase: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var committing: Bool {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

/// The pool in use and the task running it; `renew()` swaps in a fresh pool.
final class PoolBox: @unchecked Sendable {
    private let lock = NSLock()
    private var configuration: PostgresClient.Configuration
    private let logger: Logger
    private var current: (client: PostgresClient, task: Task<Void, Never>)
    private var closed = false

    init(configuration: PostgresClient.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        current = Self.start(configuration, logger)
    }

    private static func start(_ configuration: PostgresClient.Configuration, _ logger: Logger) -> (PostgresClient, Task<Void, Never>) {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return (client, Task { await client.run() })
    }

    var client: PostgresClient { lock.withLock { current.client } }

    /// A fresh pool for new work (with `configuration` when given: another host after a failover); the old one closes
    /// (requests still waiting in it fail and are retried or answered 503).
    func renew(configuration newConfiguration: PostgresClient.Configuration? = nil) {
        let old: Task<Void, Never>? = lock.withLock {
            guard !closed else { return nil }
            if let newConfiguration { configuration = newConfiguration }
            let previous = current.task
            current = Self.start(configuration, logger)
            return previous
        }
        old?.cancel()
    }

    func close() {
        let task: Task<Void, Never>? = lock.withLock {
            guard !closed else { return nil }
            closed = true
            return current.task
        }
        task?.cancel()
    }
}

/// Resumes a continuation once, from whichever of several racing tasks answers first; later answers are dropped.
final class FirstAnswer<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?

    init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = continuation }

    /// Resumes with `result` if nobody has yet; true when this call did.
    @discardableResult
    func resume(_ result: Result<T, any Error>) -> Bool {
        let waiting: CheckedContinuation<T, any Error>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(with: result)
        return waiting != nil
    }
}

/// The two tasks of a connection race (the work and its timer), for cancelling whichever is left.
final class RaceTasks: @unchecked Sendable {
    private let lock = NSLock()
    private var _work: Task<Void, Never>?
    private var _timer: Task<Void, Never>?
    var work: Task<Void, Never>? {
        get { lock.withLock { _work } }
        set { lock.withLock { _work = newValue } }
    }
    var timer: Task<Void, Never>? {
        get { lock.withLock { _timer } }
        set { lock.withLock { _timer = newValue } }
    }
    func cancelAll() {
        let (work, timer) = lock.withLock { (_work, _timer) }
        work?.cancel()
        timer?.cancel()
    }
}
