import Foundation
import HallAPI
import Logging
import PostgresNIO

/// The city report over every hall of a PostgreSQL database: `hallserver report --city`, and the `/city` page of a
/// hall server on PostgreSQL. Reads only; needs the schema a hall server made (with the hall directory, v2).
public final class CityReporter: Sendable {
    let database: PostgresDatabase
    private let ownsDatabase: Bool

    init(database: PostgresDatabase, ownsDatabase: Bool) {
        self.database = database
        self.ownsDatabase = ownsDatabase
    }

    /// Connects to `location` (refusing with the host, the reason and the fix) for reports only.
    public static func open(_ location: PostgresLocation, logger: Logger = Logger(label: "hallserver.city")) async throws -> CityReporter {
        var readable = location
        readable.sessionAttributes = .any   // a report may run on a standby
        let database = try await PostgresDatabase.connect(readable, options: PostgresOptions(maximumConnections: 2, answerTimeoutSeconds: 600),
                                                          logger: logger)
        let version = try await PostgresSchema.storedVersion(database)
        guard version >= 3 else {
            database.close()
            throw CityReportError("\(location.description) has schema version \(version): the city report needs the hall directory and day summaries "
                + "(version 3) — start a hall server of this version on it once, or run hallserver migrate")
        }
        return CityReporter(database: database, ownsDatabase: true)
    }

    /// The report of the database a hall server already uses.
    public convenience init(store: PostgresHallStore) {
        self.init(database: store.database, ownsDatabase: false)
    }

    public func close() { if ownsDatabase { database.close() } }

    /// First and last day of `month` (`YYYY-MM`); nil when it is not a month.
    public static func days(ofMonth month: String) -> (from: String, to: String)? { HallClockDays.month(month) }

    /// Every hall's figures for hall days `from`…`to` at `level`, for the whole period or `byDay`.
    public func report(from: String, to: String, level: CityReportLevel, byDay: Bool) async throws -> CityReport {
        guard HallClockDays.isValid(from), HallClockDays.isValid(to) else {
            throw CityReportError("from and to must be dates like 2026-11-01 (got '\(from)', '\(to)')")
        }
        guard from <= to else { throw CityReportError("from (\(from)) is after to (\(to))") }
        let started = Date()
        // Settled days are summarised once (not on a standby: the days are then read from the tickets).
        do {
            _ = try await CitySummary.build(database, from: from, to: to)
        } catch {
            database.logger.notice("city report: days not summarised, read from the tickets", metadata: ["reason": "\(error)"])
        }
        let ticketSQL = CityReportQuery.ticketSQL(level, byDay: byDay)
        let ratingSQL = CityReportQuery.ratingSQL(level, byDay: byDay)
        let keyCount = CityReportQuery.keys(level, byDay: byDay).count
        let (tickets, ratings, directory) = try await database.read("city report") { tx in
            var summarised: [CitySummary.Kind: Set<String>] = [:]
            for row in try await tx.rows("SELECT hall_day, kind FROM city_summary_day WHERE hall_day >= \(from) AND hall_day <= \(to)") {
                let (day, kind) = try row.decode((String, String).self)
                if let kind = CitySummary.Kind(rawValue: kind) { summarised[kind, default: []].insert(day) }
            }
            let period = CitySummary.days(from: from, to: to)
            func binds(_ kind: CitySummary.Kind) -> PostgresBindings {
                var binds = PostgresBindings()
                binds.append(from)
                binds.append(to)
                binds.append(period.filter { !(summarised[kind]?.contains($0) ?? false) })
                return binds
            }
            var tickets: [[String]: TicketFigures] = [:]
            for row in try await tx.rows(PostgresQuery(unsafeSQL: ticketSQL, binds: binds(.tickets))) {
                let r = row.makeRandomAccess()
                let keys = try (0..<keyCount).map { try r[$0].decode(String.self) }
                let counts = try (0..<5).map { try r[keyCount + $0].decode(Int.self) }
                let buckets = try (0..<16).map { try r[keyCount + 6 + $0].decode(Int.self) }
                tickets[keys] = TicketFigures(tickets: counts[0], called: counts[1], served: counts[2], noShows: counts[3], expired: counts[4],
                                              waitSeconds: try r[keyCount + 5].decode(Double.self), buckets: buckets)
            }
            var ratings: [[String]: RatingFigures] = [:]
            for row in try await tx.rows(PostgresQuery(unsafeSQL: ratingSQL, binds: binds(.ratings))) {
                let r = row.makeRandomAccess()
                let keys = try (0..<keyCount).map { try r[$0].decode(String.self) }
                var levels = LevelCounts()
                for (i, level) in RatingLevel.allCases.enumerated() { levels[level] = try r[keyCount + i].decode(Int.self) }
                ratings[keys] = RatingFigures(levels: levels, systemDefault: try r[keyCount + 5].decode(Int.self),
                                              rated: try r[keyCount + 6].decode(Int.self))
            }
            return (tickets, ratings, try await CityDirectory.load(tx))
        }
        return CityReportAssembly.assemble(from: from, to: to, level: level, byDay: byDay, tickets: tickets, ratings: ratings,
                                           directory: directory, seconds: Date().timeIntervalSince(started))
    }
}

/// One group's ticket figures as the database returns them.
struct TicketFigures: Sendable {
    var tickets = 0, called = 0, served = 0, noShows = 0, expired = 0
    var waitSeconds = 0.0
    /// Called tickets per wait bucket (`CityReportQuery.bucketStarts`).
    var buckets = [Int](repeating: 0, count: 16)

    static func + (a: TicketFigures, b: TicketFigures) -> TicketFigures {
        TicketFigures(tickets: a.tickets + b.tickets, called: a.called + b.called, served: a.served + b.served,
                      noShows: a.noShows + b.noShows, expired: a.expired + b.expired, waitSeconds: a.waitSeconds + b.waitSeconds,
                      buckets: zip(a.buckets, b.buckets).map { $0 + $1 })
    }
}

/// One group's rating figures.
struct RatingFigures: Sendable {
    var levels: LevelCounts
    var systemDefault: Int
    var rated: Int

    static func + (a: RatingFigures, b: RatingFigures) -> RatingFigures {
        var levels = a.levels
        for level in RatingLevel.allCases { levels[level] += b.levels[level] }
        return RatingFigures(levels: levels, systemDefault: a.systemDefault + b.systemDefault, rated: a.rated + b.rated)
    }
}

/// A city report that cannot be made: what and the fix.
public struct CityReportError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// `YYYY-MM-DD` checks without a hall's clock.
enum HallClockDays {
    static func isValid(_ day: String) -> Bool { HallClock.isValidDay(day) }

    /// First and last day of `month` (`YYYY-MM`), nil when it is not a month.
    static func month(_ month: String) -> (String, String)? {
        let parts = month.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m) else {
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let first = calendar.date(from: DateComponents(year: y, month: m, day: 1)),
              let days = calendar.range(of: .day, in: .month, for: first)?.count else { return nil }
        return (String(format: "%04d-%02d-01", y, m), String(format: "%04d-%02d-%02d", y, m, days))
    }
}
