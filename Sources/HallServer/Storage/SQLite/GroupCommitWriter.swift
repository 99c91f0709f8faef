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
    private let diskGuard: DiskGuard
    private let queue = DispatchQueue(label: "hallserver.group-commit")
    private let lock = NSLock()
    private var pending: [Job] = []
    private var draining = false
    /// The most jobs one transaction takes.
    private let maxBatch = 256

    init(pool: DatabasePool, diskGuard: DiskGuard) {
        self.pool = pool
        self.diskGuard = diskGuard
    }

    /// Runs `body` in the next group commit. While the disk is full every write is refused at once
    /// (503 `diskFull`) except a `probe`, which `DiskGuard` recovery uses to see whether writes work again.
    func write<T: Sendable>(probe: Bool = false, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        if !probe, diskGuard.reason != nil { throw diskGuard.refusal() }
        let diskGuard = self.diskGuard
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
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
                        if diskGuard.isDiskFull(error) { diskGuard.enterFull(error) }
                        outcome = .failure(error)
                    }
                    return { commitError in
                        if let commitError {
                            continuation.resume(throwing: Self.answer(commitError, diskGuard, probe))
                        } else {
                            continuation.resume(with: outcome.mapError { Self.answer($0, diskGuard, probe) })
                        }
                    }
                },
                abandon: { error in continuation.resume(throwing: Self.answer(error, diskGuard, probe)) }
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
            if diskGuard.isDiskFull(error) {
                diskGuard.enterFull(error)
                checkpointAfterFull()
            }
            for c in completions { c(error) }
            for job in batch.dropFirst(completions.count) { job.abandon(error) }
        }
    }

    /// What a caller gets for a failed write: 503 `diskFull` for a full disk — and for any SQLite error while
    /// the disk is full (a statement that hit the full disk can take the batch's transaction with it) —
    /// else the error itself (a closed service, a bad rating…). A failed recovery probe keeps its own error.
    private static func answer(_ error: Error, _ diskGuard: DiskGuard, _ probe: Bool) -> Error {
        guard !probe, diskGuard.isDiskFull(error) || (error is DatabaseError && diskGuard.reason != nil) else { return error }
        return diskGuard.refusal()
    }

    /// With the reserve just freed, folds the WAL into the database and truncates it, so the room the
    /// WAL held is given back (best effort: `DiskGuard` recovery tries again).
    private func checkpointAfterFull() {
        _ = try? pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }
}
