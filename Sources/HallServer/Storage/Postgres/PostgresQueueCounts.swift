import Foundation
import PostgresNIO

/// Waiting tickets per hall day, service and rank (`queue_count`), changed in the same transaction as every move of a
/// ticket into or out of `waiting` (issue, call next, transfer, expiry), so "people ahead" of a new ticket is a row or
/// two to read instead of a count over the whole queue (the SQLite store's `queueCount`).
///
/// The rows are locked by the update until commit, always in rank order within one service, after the service's
/// counter row when issuing; a transaction that changes counts of several services (expiry) takes them in service
/// order. A missing row (a day, service and rank that never had one) is made inside a savepoint from the tickets
/// themselves; a racing transaction that made it first (23505) leaves it to the update, as the counter row does.
enum PostgresQueueCounts {
    /// Adds `deltas` (rank → change) to the waiting counts of a day and service, holding their rows until commit, and
    /// returns the counts after the change: of the ranks in `deltas`, and of every rank up to `through` when given
    /// (read under the same locks; a rank without a row counts 0).
    ///
    /// - Parameter written: whether the tickets behind `deltas` are already in their new state in this transaction
    ///   (a missing row is then the recount alone), or are written after this call (the recount plus the change).
    static func add(_ tx: PostgresTransaction, hallId: String, day: String, serviceId: String, _ deltas: [Int: Int],
                    through: Int? = nil, written: Bool) async throws -> [Int: Int] {
        let changing = deltas.filter { $0.value != 0 }
        guard !changing.isEmpty || through != nil else { return [:] }
        var counts = try await update(tx, hallId: hallId, day: day, serviceId: serviceId, changing, through: through)
        for (rank, delta) in changing.sorted(by: { $0.key < $1.key }) where counts[rank] == nil {
            let made = try await tx.unlessDuplicate("queue_count_row") {
                try await tx.first("""
                    INSERT INTO queue_count (hall_id, hall_day, service_id, rank, waiting)
                    SELECT \(hallId), \(day), \(serviceId), \(rank), COUNT(*) + \(written ? 0 : delta) FROM ticket
                    WHERE hall_id = \(hallId) AND hall_day = \(day) AND service_id = \(serviceId) AND rank = \(rank) AND status = 'waiting'
                    RETURNING waiting
                    """)?.decode(Int.self)
            }
            switch made {
            case .some(.some(let value)):
                counts[rank] = value
            case .some(.none):
                throw PostgresStoreError("waiting count of \(serviceId), rank \(rank), on \(day): the insert returned no row")
            case .none:
                // Made a moment ago by another transaction (now committed): change it as if it had been there.
                let again = try await update(tx, hallId: hallId, day: day, serviceId: serviceId, [rank: delta], through: nil)
                guard let value = again[rank] else {
                    throw PostgresStoreError("waiting count of \(serviceId), rank \(rank), on \(day) refused as a duplicate but not found")
                }
                counts[rank] = value
            }
        }
        return counts
    }

    /// One `UPDATE … RETURNING` over the rows of the ranks in `deltas` (and of ranks up to `through`, changed by 0):
    /// the counts after, by rank, of the rows that exist.
    private static func update(_ tx: PostgresTransaction, hallId: String, day: String, serviceId: String, _ deltas: [Int: Int],
                               through: Int?) async throws -> [Int: Int] {
        var binds = PostgresBindings(capacity: 4 + deltas.count * 2)
        binds.append(hallId)
        binds.append(day)
        binds.append(serviceId)
        var cases: [String] = []
        for (rank, delta) in deltas.sorted(by: { $0.key < $1.key }) {
            binds.append(rank)
            binds.append(delta)
            cases.append("WHEN $\(binds.count - 1) THEN $\(binds.count)")
        }
        let change = cases.isEmpty ? "0" : "CASE rank \(cases.joined(separator: " ")) ELSE 0 END"
        let ranks: String
        if let through {
            binds.append(max(through, deltas.keys.max() ?? through))
            ranks = "rank <= $\(binds.count)"
        } else {
            binds.append(deltas.keys.sorted())
            ranks = "rank = ANY($\(binds.count))"
        }
        var counts: [Int: Int] = [:]
        for row in try await tx.rows(PostgresQuery(unsafeSQL: """
            UPDATE queue_count SET waiting = waiting + \(change)
            WHERE hall_id = $1 AND hall_day = $2 AND service_id = $3 AND \(ranks)
            RETURNING rank, waiting
            """, binds: binds)) {
            let (rank, waiting) = try row.decode((Int, Int).self)
            counts[rank] = waiting
        }
        return counts
    }
}
