import Foundation
import HallAPI

/// One issue request waiting for its batch: what to issue and the rules that pick its number.
struct IssueBatchMember: Sendable {
    var issue: TicketIssue
    var rules: @Sendable (IssueSnapshot) throws -> IssueDecision

    /// The kiosk and idempotency key: a batch never holds two members with the same one.
    var key: IssueKey { IssueKey(kioskId: issue.kioskId, idempotencyKey: issue.idempotencyKey) }
}

/// A ticket's kiosk and idempotency key.
struct IssueKey: Hashable, Sendable {
    var kioskId: String
    var idempotencyKey: String
}

/// Gathers the issue requests of one hall day and service that arrive while that service's previous batch is in its
/// transaction, and issues them together: one transaction, one counter update for all, one insert, one commit (one
/// fsync) — where one transaction per ticket, each holding the service's counter row through its own commit, issued
/// a service's tickets one commit at a time (about 300 a second whatever the number of kiosks).
///
/// - At most one batch per hall day and service is in flight in this instance (another instance's batch waits for the
///   counter row's lock in PostgreSQL); other services and days run side by side.
/// - A batch takes at most `maxBatch` requests, oldest first, and never two with the same kiosk and idempotency key:
///   the second waits for the next batch, which finds the first one's committed ticket and answers it.
/// - Every request is answered once its batch's transaction committed, or with the error that ended it (every member
///   then gets that error, e.g. 503 `databaseUnavailable`); a member's own failure (refused by the rules, a row the
///   database refused) is that member's answer alone.
final class PostgresIssueBatcher: @unchecked Sendable {
    /// Issues one batch (all members of one hall day and service) in one transaction: one result per member, in
    /// order; throws when the transaction as a whole failed.
    typealias Run = @Sendable ([IssueBatchMember]) async throws -> [Result<IssueOutcome, any Error>]

    private struct Waiting {
        var member: IssueBatchMember
        var answer: CheckedContinuation<IssueOutcome, any Error>
    }

    /// One queue per hall day and service.
    private struct QueueKey: Hashable {
        var hallDay: String
        var serviceId: String
    }

    /// The most requests one transaction takes.
    let maxBatch: Int
    private let run: Run
    private let lock = NSLock()
    private var queues: [QueueKey: [Waiting]] = [:]
    private var draining: Set<QueueKey> = []
    private var batchCount = 0
    private var largest = 0

    init(maxBatch: Int = 128, run: @escaping Run) {
        precondition(maxBatch >= 1)
        self.maxBatch = maxBatch
        self.run = run
    }

    /// Batches run so far, the largest one, and requests waiting for a batch now (for tests and diagnostics).
    var statistics: (batches: Int, largest: Int, waiting: Int) {
        lock.withLock { (batchCount, largest, queues.values.reduce(0) { $0 + $1.count }) }
    }

    /// Issues `member`'s ticket in the next batch of its hall day and service; returns once that batch committed.
    func issue(_ member: IssueBatchMember) async throws -> IssueOutcome {
        try await withCheckedThrowingContinuation { continuation in
            let key = QueueKey(hallDay: member.issue.hallDay, serviceId: member.issue.serviceId)
            let start = lock.withLock {
                queues[key, default: []].append(Waiting(member: member, answer: continuation))
                return draining.insert(key).inserted
            }
            if start { Task { await self.drain(key) } }
        }
    }

    /// Runs the queue's batches one after the other until it is empty.
    private func drain(_ key: QueueKey) async {
        while let batch = nextBatch(key) {
            do {
                let results = try await run(batch.map(\.member))
                precondition(results.count == batch.count, "an issue batch must answer every member")
                for (waiting, result) in zip(batch, results) { waiting.answer.resume(with: result) }
            } catch {
                for waiting in batch { waiting.answer.resume(throwing: error) }
            }
        }
    }

    /// The oldest waiting requests of the queue (one per kiosk and key, at most `maxBatch`), taken out of it; nil when
    /// none wait (the queue then stops draining: the next request starts it again).
    private func nextBatch(_ key: QueueKey) -> [Waiting]? {
        lock.withLock {
            guard let queue = queues[key], !queue.isEmpty else {
                queues[key] = nil
                draining.remove(key)
                return nil
            }
            var batch: [Waiting] = []
            var later: [Waiting] = []
            var keys = Set<IssueKey>()
            for waiting in queue {
                if batch.count < maxBatch, keys.insert(waiting.member.key).inserted { batch.append(waiting) } else { later.append(waiting) }
            }
            queues[key] = later
            batchCount += 1
            largest = max(largest, batch.count)
            return batch
        }
    }
}
