import Foundation
import HallAPI
import PostgresNIO

/// The SQL of the city report. Figures are kept per hall, hall day, service, window and staff member ("day groups"):
/// tickets, called, served, no-shows, expired, the sum of waits and a 16-bucket wait histogram (5-minute buckets up to an
/// hour, then 60–90, 90–120, 120–180 and 180+ minutes). Days that can no longer change are summarised once into
/// `city_day_ticket` / `city_day_rating` (`CitySummary`); newer days are aggregated from the tickets and ratings at
/// report time. The report then adds the day groups up to the level asked for — a few thousand to a few hundred
/// thousand rows instead of ten million tickets. Portable SQL only (CASE, no FILTER, no GROUPING SETS, no arrays in
/// tables).
enum CityReportQuery {
    /// Wait histogram buckets: lower bound of each, in seconds (the last is open-ended).
    static let bucketStarts: [Double] = (0..<12).map { Double($0 * 300) } + [3600, 5400, 7200, 10800]
    static let bucketColumns = (0..<16).map { "b\($0)" }

    /// Day groups of the tickets matching `condition` (on table `ticket`, no alias): `hall_id, hall_day, service_id,
    /// window_id, staff_id, tickets, called, served, no_shows, expired, wait_seconds, b0 … b15`.
    static func ticketDayGroups(where condition: String) -> String {
        let buckets = bucketColumns.indices.map { "SUM(CASE WHEN b = \($0) THEN 1 ELSE 0 END)" }.joined(separator: ", ")
        return """
            SELECT hall_id, hall_day, service_id, window_id, staff_id, COUNT(*),
                   SUM(CASE WHEN b >= 0 THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN status = 'noShow' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'expired' THEN 1 ELSE 0 END),
                   COALESCE(SUM(w), 0), \(buckets)
            FROM (
                SELECT hall_id, hall_day, service_id, window_id, staff_id, status, w,
                       CASE WHEN w IS NULL THEN -1 WHEN w < 300 THEN 0 WHEN w < 3600 THEN CAST(FLOOR(w / 300) AS integer)
                            WHEN w < 5400 THEN 12 WHEN w < 7200 THEN 13 WHEN w < 10800 THEN 14 ELSE 15 END AS b
                FROM (
                    SELECT hall_id, hall_day, service_id, COALESCE(window_id, '') AS window_id, COALESCE(staff_id, '') AS staff_id,
                           status, date_part('epoch', called_at - issued_at) AS w
                    FROM ticket WHERE \(condition)
                ) x
            ) y
            GROUP BY hall_id, hall_day, service_id, window_id, staff_id
            """
    }

    /// Day groups of the ratings matching `condition` (table `rating`): `hall_id, hall_day, service_id, window_id,
    /// staff_id`, active ratings per level (5), system-default ratings, rated services (an active first rating).
    static func ratingDayGroups(where condition: String) -> String {
        let levels = RatingLevel.allCases.map { "SUM(CASE WHEN source = 'active' AND level = '\($0.rawValue)' THEN 1 ELSE 0 END)" }
            .joined(separator: ", ")
        return """
            SELECT hall_id, hall_day, service_id, COALESCE(window_id, ''), COALESCE(staff_id, ''), \(levels),
                   SUM(CASE WHEN source <> 'active' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN source = 'active' AND assess_number = 1 THEN 1 ELSE 0 END)
            FROM rating WHERE \(condition)
            GROUP BY hall_id, hall_day, service_id, COALESCE(window_id, ''), COALESCE(staff_id, '')
            """
    }

    static let ticketSummaryColumns = "hall_id, hall_day, service_id, window_id, staff_id, tickets, called, served, no_shows, expired, "
        + "wait_seconds, " + bucketColumns.joined(separator: ", ")
    static let ratingSummaryColumns = "hall_id, hall_day, service_id, window_id, staff_id, very_satisfied, satisfied, basically_satisfied, "
        + "dissatisfied, very_dissatisfied, system_default, rated"

    /// The days not summarised (`$3`, a text array the report computes): read from the tickets and ratings themselves,
    /// through the `(hall_day)` indexes.
    static let liveDays = "hall_day = ANY($3)"

    /// The key columns of a level over a day-group row `g` (departments from `hall_service s`).
    static func keys(_ level: CityReportLevel, byDay: Bool) -> [String] {
        var keys = ["g.hall_id"]
        if level.depth >= 2 { keys.append("COALESCE(s.department_zh, '')") }
        if level.depth >= 3 { keys.append("g.window_id") }
        if level.depth >= 4 { keys.append("g.staff_id") }
        if level.depth >= 5 { keys.append("g.service_id") }
        if byDay { keys.append("g.hall_day") }
        return keys
    }

    private static func join(_ level: CityReportLevel) -> String {
        level.depth >= 2 ? "LEFT JOIN hall_service s ON s.hall_id = g.hall_id AND s.service_id = g.service_id" : ""
    }

    /// Tickets at a level: `keys…, tickets, called, served, no_shows, expired, wait_seconds, b0 … b15`; `$1`, `$2`: days;
    /// `$3`: the days not summarised.
    static func ticketSQL(_ level: CityReportLevel, byDay: Bool) -> String {
        let keys = keys(level, byDay: byDay)
        let sums = (["tickets", "called", "served", "no_shows", "expired"] + bucketColumns).map { "CAST(SUM(g.\($0)) AS bigint)" }
        return """
            SELECT \(keys.joined(separator: ", ")), \(sums[0..<5].joined(separator: ", ")),
                   CAST(SUM(g.wait_seconds) AS double precision), \(sums[5...].joined(separator: ", "))
            FROM (
                SELECT \(ticketSummaryColumns) FROM city_day_ticket WHERE hall_day >= $1 AND hall_day <= $2 AND NOT (hall_day = ANY($3))
                UNION ALL
                \(ticketDayGroups(where: liveDays))
            ) g (\(ticketSummaryColumns)) \(join(level))
            GROUP BY \((1...keys.count).map(String.init).joined(separator: ", "))
            """
    }

    /// Ratings at a level: `keys…, five levels, system_default, rated`; `$1`, `$2`: days; `$3`: the days not summarised.
    static func ratingSQL(_ level: CityReportLevel, byDay: Bool) -> String {
        let keys = keys(level, byDay: byDay)
        let sums = ["very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied", "system_default", "rated"]
            .map { "CAST(SUM(g.\($0)) AS bigint)" }
        return """
            SELECT \(keys.joined(separator: ", ")), \(sums.joined(separator: ", "))
            FROM (
                SELECT \(ratingSummaryColumns) FROM city_day_rating WHERE hall_day >= $1 AND hall_day <= $2 AND NOT (hall_day = ANY($3))
                UNION ALL
                \(ratingDayGroups(where: liveDays))
            ) g (\(ratingSummaryColumns)) \(join(level))
            GROUP BY \((1...keys.count).map(String.init).joined(separator: ", "))
            """
    }

    /// The 90th percentile wait in minutes from a histogram (linear inside the bucket; the open last bucket gives its
    /// lower bound). nil when nobody was called.
    static func p90Minutes(_ buckets: [Int]) -> Double? {
        let called = buckets.reduce(0, +)
        guard called > 0 else { return nil }
        let target = 0.9 * Double(called)
        var before = 0.0
        for (i, count) in buckets.enumerated() where count > 0 {
            if before + Double(count) >= target {
                guard i + 1 < bucketStarts.count else { return bucketStarts[i] / 60 }
                let width = bucketStarts[i + 1] - bucketStarts[i]
                return (bucketStarts[i] + (target - before) / Double(count) * width) / 60
            }
            before += Double(count)
        }
        return bucketStarts[bucketStarts.count - 1] / 60
    }
}
