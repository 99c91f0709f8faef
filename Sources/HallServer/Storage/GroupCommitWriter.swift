import Foundation
import GRDB

/// Serialises every write and commits the writes that arrive together in one transaction.
///
/// Each job runs in its own savepoint, so one job's error (a closed service, a bad rating)
/// leaves the others intact; callers resume only after the shared commit is durable.
/// With `synchronous=FULL` this turns N fsyncs into one under load.
final class GroupCommitWriter: @unchecked Sendable {
    private struct Job {
        /// Runs the job inside the batch transaction; returns what to call once the commit is known.
        let run: (Database) -> (Error?) -> Void
        /// Answers a job that never ran because the transaction could not begin.
        let abandon: (Error) -> Void
    }

    private let pool: DatabasePool
    private let queue = DispatchQueue(label: "hallserver.group-commit")
    private let lock = NSLock()
    private var pending: [Job] = []
    private var draining = false
    /// The most jobs one transaction takes.
    private let maxBatch = 256

    init(pool: DatabasePool) {
        self.pool = pool
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let job = Job(
                run: { db in
                    var outcome: Result<T, Error>
                    do {
                        var value: T?
                        try db.inSavepoint {
                            value = try body(db)
                            return .commit
                        }
                        outcome = .success(value!)
                    } catch {
                        outcome = .failure(error)
                    }
                    return { commitError in
                        if let commitError {
                            continuation.resume(throwing: commitError)
                        } else {
                            continuation.resume(with: outcome)
                        }
                    }
                },
                abandon: { error in continuation.resume(throwing: error) }
            )
            enqueue(job)
        }
    }

    private func enqueue(_ job: Job) {
        lock.lock()
        pending.append(job)
        let start = !draining
        draining = true
        lock.unlock()
        if start {
            queue.async { self.drain() }
        }
    }

    private func drain() {
        while true {
            lock.lock()
            if pending.isEmpty {
                draining = false
                lock.unlock()
                return
            }
            let batch = Array(pending.prefix(maxBatch))
            pending.removeFirst(batch.count)
            lock.unlock()
            run(batch)
        }
    }

    private func run(_ batch: [Job]) {
        var completions: [(Error?) -> Void] = []
        completions.reserveCapacity(batch.count)
        do {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    for job in batch { completions.append(job.run(db)) }
                    return .commit
                }
            }
            for c in completions { c(nil) }
        } catch {
            for c in completions { c(error) }
            for job in batch.dropFirst(completions.count) { job.abandon(error) }
        }
    }
}
