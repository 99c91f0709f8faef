import Foundation
import PostgresNIO

/// The city report's day summaries (`city_day_ticket`, `city_day_rating`, `city_summary_day`): a hall day is
/// summarised once it can no longer change — its tickets closed and its rating window over — so a month's report adds
/// up a few hundred thousand day groups instead of scanning ten million tickets.
enum CitySummary {
    /// What is summarised, and how many days before today (UTC) a day is settled: a hall day's tickets are closed by
    /// the end-of-day sweep (a hall open across midnight the next morning; a day more for time zones); ratings are
    /// taken for `[ratings] ratableForDays` (7 by default) after the service, plus a day for time zones.
    enum Kind: String, CaseIterable, Sendable {
        case tickets, ratings

        var settledAfterDays: Int { self == .tickets ? 3 : 9 }
        var table: String { self == .tickets ? "city_day_ticket" : "city_day_rating" }
        var columns: String { self == .tickets ? CityReportQuery.ticketSummaryColumns : CityReportQuery.ratingSummaryColumns }
        func dayGroups(where condition: String) -> String {
            self == .tickets ? CityReportQuery.ticketDayGroups(where: condition) : CityReportQuery.ratingDayGroups(where: condition)
        }
    }

    private static let utc = HallClock(timeZone: TimeZone(identifier: "UTC")!)

    /// The newest settled day of `kind`, `YYYY-MM-DD`.
    static func newestSettledDay(_ kind: Kind, now: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let day = calendar.date(byAdding: .day, value: -kind.settledAfterDays, to: now)!
        let c = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// Summarises the settled days of `from`…`to` that are not yet summarised, tickets and ratings each. One transaction
    /// that locks `city_summary_day` (two reports at once: the second finds the days done). Returns the days summarised
    /// now per kind.
    @discardableResult
    static func build(_ database: PostgresDatabase, from: String, to: String, now: Date = Date()) async throws -> [Kind: [String]] {
        try await database.transaction("summarise city days") { tx in
            try await tx.execute("LOCK TABLE city_summary_day IN EXCLUSIVE MODE")
            var built: [Kind: [String]] = [:]
            for kind in Kind.allCases {
                let last = min(to, newestSettledDay(kind, now: now))
                guard from <= last else { continue }
                let done = Set(try await tx.rows("""
                    SELECT hall_day FROM city_summary_day WHERE kind = \(kind.rawValue) AND hall_day >= \(from) AND hall_day <= \(last)
                    """).map { try $0.decode(String.self) })
                let missing = days(from: from, to: last).filter { !done.contains($0) }
                guard !missing.isEmpty else { continue }
                var binds = PostgresBindings()
                binds.append(missing)
                try await tx.execute(PostgresQuery(unsafeSQL: "INSERT INTO \(kind.table) (\(kind.columns)) " + kind.dayGroups(where: "hall_day = ANY($1)"),
                                                   binds: binds))
                for day in missing {
                    try await tx.execute("INSERT INTO city_summary_day (hall_day, kind, built_at) VALUES (\(day), \(kind.rawValue), \(Date()))")
                }
                built[kind] = missing
            }
            return built
        }
    }

    /// Every day `from`…`to`.
    static func days(from: String, to: String) -> [String] {
        var days: [String] = []
        var day = from
        while day <= to, days.count < 3700 {
            days.append(day)
            guard let next = utc.nextDay(day) else { break }
            day = next
        }
        return days
    }

    /// Drops the summaries of every day hall `hallId` has tickets or ratings on (`hallserver migrate` copied history
    /// into them): the next report makes them again from the rows.
    static func forgetDays(_ tx: PostgresTransaction, ofHall hallId: String) async throws {
        let days = "(SELECT DISTINCT hall_day FROM ticket WHERE hall_id = $1 UNION SELECT DISTINCT hall_day FROM rating WHERE hall_id = $1)"
        var binds = PostgresBindings()
        binds.append(hallId)
        for table in ["city_day_ticket", "city_day_rating", "city_summary_day"] {
            try await tx.execute(PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE hall_day IN \(days)", binds: binds))
        }
    }
}
