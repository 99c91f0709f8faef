import Foundation
import GRDB
import Logging
import PostgresNIO

/// `hallserver migrate`: copies one hall's whole history from its SQLite file into a PostgreSQL database (shared by
/// many halls) under the hall's id, then compares both sides.
///
/// - Everything is copied in **one PostgreSQL transaction**, a batch of rows per statement: a copy that fails
///   half-way leaves nothing behind, so running the command again is always safe.
/// - A hall that already has rows there is refused (naming the hall, its counts and the fix) unless `replace` is
///   set, which deletes them first in the same transaction.
/// - The SQLite file is read from one snapshot (stop the hall server first: what it writes after the snapshot is
///   not copied, and the check at the end would say so).
/// - Ticket serials and window-event ids are kept (devices resume their event streams by id); the shared sequences
///   are moved past them so the next ticket and event of every hall get new, larger ones. The day counters are
///   copied, so the next ticket continues the day's numbering.
public enum HallMigration {
    /// Rows per `INSERT` (and per SQLite read).
    public static let defaultBatch = 1000

    /// Copies the hall's history; returns the comparison of both sides. Throws `HallMigrationError` when it refuses
    /// or fails (nothing is written then).
    public static func run(sqlitePath: String, to location: PostgresLocation, hall: Hall, replace: Bool = false,
                           batch: Int = defaultBatch, logger: Logger = Logger(label: "hallserver.migrate"),
                           progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> HallMigrationReport {
        let started = Date()
        let source = try openSource(sqlitePath)
        let database: PostgresDatabase
        do {
            database = try await PostgresDatabase.connect(location, options: PostgresOptions(maximumConnections: 2, answerTimeoutSeconds: 6 * 3600),
                                                          logger: logger)
        } catch {
            throw HallMigrationError("\(error)")
        }
        defer { database.close() }
        try await PostgresSchema.migrate(database)
        try await checkTargetTablesKnown(database)
        let hallId = hall.id
        let shown = location.description
        let copied = try await database.transaction("migrate hall \(hallId)") { tx -> [String: Int] in
            try await tx.lock(hallId: hallId, "migrate")
            let existing = try await targetCounts(tx, hallId: hallId)
            let present = existing.filter { $0.value > 0 }
            if !present.isEmpty {
                guard replace else {
                    let counts = MigrationTables.all.compactMap { t in present[t.target].map { "\(t.target) \($0) row\($0 == 1 ? "" : "s")" } }.joined(separator: ", ")
                    throw HallMigrationError("hall '\(hallId)' already has data in \(shown): \(counts). Nothing was copied. "
                        + "It was migrated before, or a hall server has run on that database with this hall id. To replace it with "
                        + "the SQLite file's history, run the same command with --replace (deletes hall '\(hallId)''s rows there first, "
                        + "in the same transaction); to keep it, point --to at another database or leave it as it is")
                }
                progress("replacing hall '\(hallId)''s rows in \(shown): " + present.map { "\($0.key) \($0.value)" }.sorted().joined(separator: ", "))
                for table in MigrationTables.all.reversed() {
                    try await tx.execute(PostgresQuery(unsafeSQL: "DELETE FROM \(table.target) WHERE hall_id = $1", binds: textBinds([hallId])))
                }
            }
            var copied: [String: Int] = [:]
            for table in MigrationTables.all {
                copied[table.target] = try await copy(table, from: source, into: tx, hallId: hallId, batch: batch, progress: progress)
            }
            try await HallDirectory.write(tx, hall, at: Date())
            // The city report's summaries of the days this hall now has history on are made again from the tickets.
            try await CitySummary.forgetDays(tx, ofHall: hallId)
            try await moveSequence(tx, table: "ticket", column: "serial", hallId: hallId)
            try await moveSequence(tx, table: "window_event", column: "id", hallId: hallId)
            try await moveSequence(tx, table: "settings_audit", column: "id", hallId: hallId)
            return copied
        }
        progress("committed; comparing both sides")
        var report = try await HallMigrationCheck.compare(source: source, database: database, hall: hall)
        report.target = shown
        report.copied = copied
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    // MARK: Source

    /// Opens the SQLite file (upgrading an older hall server's schema, as the server itself does at start) and takes a
    /// snapshot of it; refuses a file that is missing or holds a table this command does not know.
    static func openSource(_ path: String) throws -> DatabaseSnapshot {
        guard FileManager.default.fileExists(atPath: path) else {
            throw HallMigrationError("the SQLite file '\(path)' does not exist: give the hall server's database (--db of its service, "
                + "or [database] url in hall.toml), e.g. --from sqlite:/var/lib/hallserver/hall.sqlite")
        }
        do {
            var config = Configuration()
            config.busyMode = .timeout(10)
            let pool = try DatabasePool(path: path, configuration: config)
            try HallDatabase.migrator.migrate(pool)
            let snapshot = try pool.makeSnapshot()
            let tables = try snapshot.read { (db: Database) in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            }
            let known = Set(MigrationTables.all.map(\.source)).union(MigrationTables.notCopiedFromSQLite.keys)
            let unknown = tables.filter { !known.contains($0) }.sorted()
            guard unknown.isEmpty else {
                throw HallMigrationError("the SQLite file '\(path)' has table(s) \(unknown.joined(separator: ", ")) that this hallserver's "
                    + "migrate does not know: it was written by a newer hallserver; migrate with that version")
            }
            return snapshot
        } catch let error as HallMigrationError {
            throw error
        } catch {
            throw HallMigrationError("cannot read the SQLite file '\(path)' as a hall server database: \(error)")
        }
    }

    // MARK: Target

    /// Every PostgreSQL table with a `hall_id` must be copied or named as not copied: a table added later without
    /// teaching this command stops it rather than being left empty.
    static func checkTargetTablesKnown(_ database: PostgresDatabase) async throws {
        let tables = try await database.read("list hall tables") { tx in
            try await tx.rows("""
                SELECT DISTINCT table_name FROM information_schema.columns
                WHERE column_name = 'hall_id' AND table_schema = current_schema()
                """).map { try $0.decode(String.self) }
        }
        let known = Set(MigrationTables.all.map(\.target)).union(MigrationTables.notCopiedToPostgres.keys)
        let unknown = tables.filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw HallMigrationError("the PostgreSQL database has hall table(s) \(unknown.joined(separator: ", ")) that this migrate does not "
                + "know how to fill (a newer schema): migrate with the hallserver version that made them")
        }
    }

    static func targetCounts(_ tx: PostgresTransaction, hallId: String) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in MigrationTables.all {
            let row = try await tx.first(PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table.target) WHERE hall_id = $1",
                                                       binds: textBinds([hallId])))
            counts[table.target] = try row?.decode(Int.self) ?? 0
        }
        return counts
    }

    /// Copies one table, `batch` rows per read and per `INSERT`; returns the rows copied.
    static func copy(_ table: MigrationTable, from source: DatabaseSnapshot, into tx: PostgresTransaction, hallId: String,
                     batch: Int, progress: @Sendable (String) -> Void) async throws -> Int {
        let total = try await source.read { db in try Int.fetchOne(db, sql: table.sourceCountSQL) ?? 0 }
        let columns = table.columns.map(\.0).map { "\"\($0)\"" }.joined(separator: ", ")
        let keyList = table.key.map { "\"\($0)\"" }.joined(separator: ", ")
        let insertHead = "INSERT INTO \(table.target) (hall_id, " + table.columns.map(\.1).joined(separator: ", ") + ") VALUES "
        var lastKey: [DatabaseValue]? = nil
        var copied = 0
        var lastShown = Date()
        while true {
            let after = lastKey
            let rows: [Row] = try await source.read { db in
                var conditions: [String] = table.filter.map { [$0] } ?? []
                if after != nil {
                    conditions.append("(\(keyList)) > (" + Array(repeating: "?", count: table.key.count).joined(separator: ", ") + ")")
                }
                let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
                let sql = "SELECT \(columns) FROM \"\(table.source)\"\(whereClause) ORDER BY \(keyList) LIMIT \(batch)"
                return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(after ?? []))
            }
            if rows.isEmpty { break }
            var bindings = PostgresBindings(capacity: 1 + rows.count * table.columns.count)
            bindings.append(hallId)
            var tuples: [String] = []
            tuples.reserveCapacity(rows.count)
            var next = 2
            for row in rows {
                var values = table.columns.map { $0.2.read(row, $0.0) }
                if let repair = table.repair { values = repair(values) }
                var placeholders = ["$1"]
                for value in values {
                    try value.bind(&bindings)
                    placeholders.append("$\(next)")
                    next += 1
                }
                tuples.append("(" + placeholders.joined(separator: ", ") + ")")
            }
            try await tx.execute(PostgresQuery(unsafeSQL: insertHead + tuples.joined(separator: ", "), binds: bindings))
            copied += rows.count
            lastKey = table.key.map { rows[rows.count - 1][$0] as DatabaseValue }
            if Date().timeIntervalSince(lastShown) > 2 {
                progress("\(table.target): \(copied) of \(total) rows")
                lastShown = Date()
            }
        }
        progress("\(table.target): \(copied) rows copied")
        return copied
    }

    /// Moves the sequence behind `table.column` (shared by every hall) past this hall's largest copied value, so new
    /// rows of every hall get larger ones. Only when needed, and then under a short table lock: no other hall's insert
    /// can take a value between reading the sequence and setting it.
    static func moveSequence(_ tx: PostgresTransaction, table: String, column: String, hallId: String) async throws {
        guard let sequence = try await tx.first(PostgresQuery(unsafeSQL: "SELECT pg_get_serial_sequence($1, $2)",
                                                              binds: textBinds([table, column])))?.decode(String?.self) else { return }
        let largest = try await tx.first(PostgresQuery(unsafeSQL: "SELECT MAX(\(column)) FROM \(table) WHERE hall_id = $1",
                                                       binds: textBinds([hallId])))?.decode(Int64?.self) ?? nil
        guard let largest else { return }
        let current = try await tx.first(PostgresQuery(unsafeSQL: "SELECT last_value FROM \(sequence)"))?.decode(Int64.self) ?? 0
        guard largest > current else { return }
        try await tx.execute(PostgresQuery(unsafeSQL: "LOCK TABLE \(table) IN EXCLUSIVE MODE"))
        var binds = PostgresBindings()
        binds.append(largest)
        try await tx.execute(PostgresQuery(unsafeSQL: "SELECT setval('\(sequence)', GREATEST((SELECT last_value FROM \(sequence)), $1))",
                                           binds: binds))
    }

    static func textBinds(_ values: [String]) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        return bindings
    }
}

/// Why `hallserver migrate` refused or failed: what, where and the fix. Nothing was written.
public struct HallMigrationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
