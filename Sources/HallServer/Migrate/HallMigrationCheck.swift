import Foundation
import GRDB
import PostgresNIO

/// What `hallserver migrate` found when it compared the SQLite file with the hall's rows in PostgreSQL.
public struct HallMigrationReport: Sendable {
    /// One table: rows in the SQLite file and the hall's rows in PostgreSQL.
    public struct TableCount: Sendable, Equatable {
        public var table: String
        public var sqlite: Int
        public var postgres: Int
    }

    /// One hall day and service (as issued): tickets, the sum of their sequence numbers and the day counter, both sides.
    public struct DayService: Sendable, Equatable {
        public var hallDay: String
        public var serviceId: String
        public var tickets: (sqlite: Int, postgres: Int)
        public var numberSum: (sqlite: Int, postgres: Int)
        public var counter: (sqlite: Int, postgres: Int)

        public static func == (a: DayService, b: DayService) -> Bool {
            a.hallDay == b.hallDay && a.serviceId == b.serviceId && a.tickets == b.tickets && a.numberSum == b.numberSum && a.counter == b.counter
        }
        var matches: Bool { tickets.sqlite == tickets.postgres && numberSum.sqlite == numberSum.postgres && counter.sqlite == counter.postgres }
    }

    public var hallId: String
    /// The database (no password).
    public var target = ""
    public var tables: [TableCount]
    public var dayServices: [DayService]
    /// The newest hall day's next number per service (`hukou` → `A024`), as the PostgreSQL counters give it.
    public var nextNumbers: [(serviceId: String, number: String)]
    public var newestDay: String?
    /// Rows copied per PostgreSQL table.
    public var copied: [String: Int] = [:]
    public var seconds: Double = 0

    /// Every difference found; empty when both sides agree.
    public var differences: [String] {
        tables.filter { $0.sqlite != $0.postgres }.map { "\($0.table): \($0.sqlite) rows in SQLite, \($0.postgres) in PostgreSQL" }
            + dayServices.filter { !$0.matches }.map {
                "\($0.hallDay) \($0.serviceId): tickets \($0.tickets.sqlite)/\($0.tickets.postgres), number sums "
                    + "\($0.numberSum.sqlite)/\($0.numberSum.postgres), counter \($0.counter.sqlite)/\($0.counter.postgres) (SQLite/PostgreSQL)"
            }
    }

    public var agrees: Bool { differences.isEmpty }

    /// The lines `hallserver migrate` prints.
    public var lines: [String] {
        var out = ["hall '\(hallId)' → \(target) (\(String(format: "%.1f", seconds)) s)", "",
                   "table".padding(toLength: 16, withPad: " ", startingAt: 0) + "   sqlite  postgres"]
        for t in tables {
            out.append(t.table.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: " %8d  %8d  %@", t.sqlite, t.postgres,
                                                                                              t.sqlite == t.postgres ? "ok" : "DIFFERENT"))
        }
        let days = Set(dayServices.map(\.hallDay)).count
        let matching = dayServices.filter(\.matches).count
        out.append("")
        out.append("ticket numbers: \(dayServices.count) day/service pairs over \(days) hall day(s); tickets, sums of numbers and "
            + "day counters equal in \(matching) of \(dayServices.count)")
        if let newestDay, !nextNumbers.isEmpty {
            out.append("next numbers on \(newestDay): " + nextNumbers.map { "\($0.serviceId) \($0.number)" }.joined(separator: ", "))
        }
        out.append("")
        if agrees {
            out.append("OK: both sides agree. Point the hall server at the database (--db or [database] url) and start it.")
        } else {
            out.append("DIFFERENCES (was the hall server still running? stop it, then run again with --replace):")
            out += differences.map { "  " + $0 }
        }
        return out
    }
}

/// Compares the SQLite snapshot with the hall's rows in PostgreSQL, after the copy committed.
enum HallMigrationCheck {
    static func compare(source: DatabaseSnapshot, database: PostgresDatabase, hall: Hall) async throws -> HallMigrationReport {
        let hallId = hall.id
        // SQLite side.
        let (sqliteCounts, sqliteDays) = try await source.read { db -> ([String: Int], [String: (Int, Int, Int)]) in
            var counts: [String: Int] = [:]
            var days: [String: (Int, Int, Int)] = [:]
            for table in MigrationTables.all { counts[table.target] = try Int.fetchOne(db, sql: table.sourceCountSQL) ?? 0 }
            for row in try Row.fetchAll(db, sql: "SELECT hallDay, issuedServiceId, COUNT(*), SUM(seq) FROM ticket GROUP BY 1, 2") {
                days["\(row[0] as String)|\(row[1] as String)", default: (0, 0, 0)].0 = row[2]
                days["\(row[0] as String)|\(row[1] as String)", default: (0, 0, 0)].1 = row[3]
            }
            for row in try Row.fetchAll(db, sql: "SELECT hallDay, serviceId, issued FROM dailyCounter") {
                days["\(row[0] as String)|\(row[1] as String)", default: (0, 0, 0)].2 = row[2]
            }
            return (counts, days)
        }
        // PostgreSQL side.
        let (pgCounts, pgDays) = try await database.read("check migrated hall") { tx -> ([String: Int], [String: (Int, Int, Int)]) in
            let counts = try await HallMigration.targetCounts(tx, hallId: hallId)
            var days: [String: (Int, Int, Int)] = [:]
            for row in try await tx.rows("""
                SELECT hall_day, issued_service_id, COUNT(*), SUM(seq) FROM ticket WHERE hall_id = \(hallId) GROUP BY 1, 2
                """) {
                let (day, service, count, sum) = try row.decode((String, String, Int, Int).self)
                days["\(day)|\(service)", default: (0, 0, 0)].0 = count
                days["\(day)|\(service)", default: (0, 0, 0)].1 = sum
            }
            for row in try await tx.rows("SELECT hall_day, service_id, issued FROM daily_counter WHERE hall_id = \(hallId)") {
                let (day, service, issued) = try row.decode((String, String, Int).self)
                days["\(day)|\(service)", default: (0, 0, 0)].2 = issued
            }
            return (counts, days)
        }
        let tables = MigrationTables.all.map {
            HallMigrationReport.TableCount(table: $0.target, sqlite: sqliteCounts[$0.target] ?? 0, postgres: pgCounts[$0.target] ?? 0)
        }
        let keys = Set(sqliteDays.keys).union(pgDays.keys).sorted()
        let dayServices = keys.map { key -> HallMigrationReport.DayService in
            let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
            let s = sqliteDays[key] ?? (0, 0, 0), p = pgDays[key] ?? (0, 0, 0)
            return .init(hallDay: parts[0], serviceId: parts[1], tickets: (s.0, p.0), numberSum: (s.1, p.1), counter: (s.2, p.2))
        }
        let newestDay = dayServices.map(\.hallDay).max()
        let nextNumbers = dayServices.filter { $0.hallDay == newestDay }.compactMap { entry -> (serviceId: String, number: String)? in
            guard let service = hall.service(entry.serviceId) else { return (entry.serviceId, "?") }
            return (entry.serviceId, service.number(forSequence: service.firstNumber + entry.counter.postgres))
        }
        return HallMigrationReport(hallId: hallId, tables: tables, dayServices: dayServices, nextNumbers: nextNumbers, newestDay: newestDay)
    }
}
