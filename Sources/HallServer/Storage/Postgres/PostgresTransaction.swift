import Foundation
import Logging
import PostgresNIO

/// One connection inside a transaction, with the few statement shapes the store uses.
struct PostgresTransaction: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs a statement and drops its rows.
    func execute(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }

    /// Every row of a query.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        // The driver (PostgresNIO 1.33) never answers a query written to a connection the server has already closed
        // (ended by an administrator, a restart or a failover while the transaction was between two statements): the
        // request would wait out the whole answer timeout. Such a connection is lost now, and the transaction is retried.
        guard !connection.isClosed else { throw PostgresConnectionClosed() }
        return try await connection.query(query, logger: logger).collect()
    }

    /// The first row of a query, nil when there is none.
    func first(_ query: PostgresQuery) async throws -> PostgresRow? {
        try await rows(query).first
    }

    /// Runs `body` inside `SAVEPOINT name`. When a unique constraint refuses a row (23505) — optionally only the
    /// constraint named `constraint` — rolls back to the savepoint (the transaction stays usable) and returns nil.
    /// This is the portable form of `INSERT … ON CONFLICT DO NOTHING`, which openGauss-family servers lack.
    func unlessDuplicate<T>(_ name: String, constraint: String? = nil, _ body: () async throws -> T) async throws -> T? {
        try await execute(PostgresQuery(unsafeSQL: "SAVEPOINT \(name)"))
        do {
            let value = try await body()
            try await execute(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"))
            return value
        } catch {
            guard case .uniqueViolation(let violated) = PostgresProblem(error), constraint == nil || violated == constraint else { throw error }
            try await execute(PostgresQuery(unsafeSQL: "ROLLBACK TO SAVEPOINT \(name)"))
            try await execute(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"))
            return nil
        }
    }

    /// Runs `body` inside `SAVEPOINT name`. When the database refuses a statement of it (a unique constraint, a check,
    /// a value it cannot take …), rolls back to the savepoint — the transaction stays usable — and returns the refusal;
    /// serialization failures, deadlocks and lost connections still end the transaction (rethrown, retried by the caller).
    func inSavepoint<T>(_ name: String, _ body: () async throws -> T) async throws -> Result<T, any Error> {
        try await execute(PostgresQuery(unsafeSQL: "SAVEPOINT \(name)"))
        do {
            let value = try await body()
            try await execute(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"))
            return .success(value)
        } catch {
            switch PostgresProblem(error) {
            case .uniqueViolation, .other: break
            case .retryable, .connectionLost, .noConnection: throw error
            }
            try await execute(PostgresQuery(unsafeSQL: "ROLLBACK TO SAVEPOINT \(name)"))
            try await execute(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"))
            return .failure(error)
        }
    }

    /// Takes the row lock named `name` of the hall until the transaction ends (the row is made the first time).
    /// Serialises work that has no natural row to lock (one window's moves, one staff member's logins).
    func lock(hallId: String, _ name: String) async throws {
        if try await first("SELECT 1 FROM hall_lock WHERE hall_id = \(hallId) AND name = \(name) FOR UPDATE") != nil { return }
        _ = try await unlessDuplicate("lock_row") {
            try await execute("INSERT INTO hall_lock (hall_id, name) VALUES (\(hallId), \(name))")
        }
        // Made now (the insert's row is ours until commit) or by a transaction that just committed: lock it.
        _ = try await first("SELECT 1 FROM hall_lock WHERE hall_id = \(hallId) AND name = \(name) FOR UPDATE")
    }
}

extension Date {
    /// The date in whole milliseconds, as `HallDesk.now` makes them: PostgreSQL keeps microseconds, and the
    /// conversion to and from them can land a microsecond off.
    var wholeMilliseconds: Date { Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded() / 1000) }
}
