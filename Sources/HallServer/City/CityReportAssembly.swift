import Foundation
import HallAPI
import PostgresNIO

/// The names the hall servers wrote (`hall`, `hall_service`, `hall_window`, `hall_staff`), by hall.
struct CityDirectory: Sendable {
    struct Named: Sendable {
        var position: Int
        var name: LocalizedText
    }

    var halls: [String: LocalizedText] = [:]
    var services: [String: [String: Named]] = [:]
    /// Department (zh) → its English name and its first service's position, per hall.
    var departments: [String: [String: Named]] = [:]
    var windows: [String: [String: Named]] = [:]
    var staff: [String: [String: Named]] = [:]

    static func load(_ tx: PostgresTransaction) async throws -> CityDirectory {
        var d = CityDirectory()
        for row in try await tx.rows("SELECT hall_id, name_zh, name_en FROM hall") {
            let (id, zh, en) = try row.decode((String, String, String).self)
            d.halls[id] = LocalizedText(zh: zh, en: en)
        }
        for row in try await tx.rows("SELECT hall_id, service_id, position, name_zh, name_en, department_zh, department_en FROM hall_service") {
            let (hall, id, position, zh, en, dzh, den) = try row.decode((String, String, Int, String, String, String, String).self)
            d.services[hall, default: [:]][id] = Named(position: position, name: LocalizedText(zh: zh, en: en))
            if let known = d.departments[hall]?[dzh], known.position <= position { continue }
            d.departments[hall, default: [:]][dzh] = Named(position: position, name: LocalizedText(zh: dzh, en: den))
        }
        for row in try await tx.rows("SELECT hall_id, window_id, position, name_zh, name_en FROM hall_window") {
            let (hall, id, position, zh, en) = try row.decode((String, String, Int, String, String).self)
            d.windows[hall, default: [:]][id] = Named(position: position, name: LocalizedText(zh: zh, en: en))
        }
        for row in try await tx.rows("SELECT hall_id, staff_id, position, name, employee_no FROM hall_staff") {
            let (hall, id, position, name, number) = try row.decode((String, String, Int, String, String).self)
            d.staff[hall, default: [:]][id] = Named(position: position, name: LocalizedText(zh: "\(name)（\(number)）", en: "\(name) (\(number))"))
        }
        return d
    }
}

/// Turns the database's figures into report rows: names from the directory, ratings beside tickets, the hall's
/// own order (halls by id, then departments, windows, staff and services as `hall.toml` lists them, then days).
enum CityReportAssembly {
    static func assemble(from: String, to: String, level: CityReportLevel, byDay: Bool, tickets: [[String]: TicketFigures],
                         ratings: [[String]: RatingFigures], directory d: CityDirectory, seconds: Double) -> CityReport {
        let none = RatingFigures(levels: LevelCounts(), systemDefault: 0, rated: 0)
        // Ratings of a group with no ticket in the period (a late rating of an earlier ticket) still count.
        let keys = Set(tickets.keys).union(ratings.keys)
        // Each row's sort key made once (not in every comparison).
        let rows = keys.map { key -> (CityReportRow, [String]) in
            let row = row(level: level, byDay: byDay, keys: key, figures: tickets[key] ?? TicketFigures(), ratings: ratings[key] ?? none, directory: d)
            return (row, order(row, level: level, directory: d))
        }.sorted { $0.1.lexicographicallyPrecedes($1.1) }.map(\.0)
        let t = tickets.values.reduce(TicketFigures(), +)
        let r = ratings.values.reduce(none, +)
        let total = CityReportRow(hallId: "total", hallName: LocalizedText(zh: "合计", en: "Total"), tickets: t.tickets, called: t.called,
                                  served: t.served, noShows: t.noShows, expired: t.expired,
                                  averageWaitMinutes: t.called == 0 ? nil : t.waitSeconds / Double(t.called) / 60,
                                  p90WaitMinutes: CityReportQuery.p90Minutes(t.buckets), levels: r.levels,
                                  systemDefaultRatings: r.systemDefault, ratedServices: r.rated)
        return CityReport(from: from, to: to, level: level, byDay: byDay, rows: rows, total: total, seconds: seconds)
    }

    static func row(level: CityReportLevel, byDay: Bool, keys: [String], figures f: TicketFigures, ratings r: RatingFigures,
                    directory d: CityDirectory) -> CityReportRow {
        let hall = keys[0]
        func text(_ id: String) -> LocalizedText { LocalizedText(zh: id, en: id) }
        var row = CityReportRow(
            hallId: hall, hallName: d.halls[hall] ?? text(hall), tickets: f.tickets, called: f.called, served: f.served,
            noShows: f.noShows, expired: f.expired, averageWaitMinutes: f.called == 0 ? nil : f.waitSeconds / Double(f.called) / 60,
            p90WaitMinutes: CityReportQuery.p90Minutes(f.buckets), levels: r.levels, systemDefaultRatings: r.systemDefault, ratedServices: r.rated)
        if level.depth >= 2 {
            let department = keys[1]
            row.department = department.isEmpty ? LocalizedText(zh: "（未分部门）", en: "(no department)")
                : d.departments[hall]?[department]?.name ?? text(department)
        }
        if level.depth >= 3 {
            let window = keys[2]
            row.windowId = window.isEmpty ? nil : window
            row.windowName = window.isEmpty ? LocalizedText(zh: "（未叫号）", en: "(never called)") : d.windows[hall]?[window]?.name ?? text(window)
        }
        if level.depth >= 4 {
            let staff = keys[3]
            row.staffId = staff.isEmpty ? nil : staff
            row.staffName = staff.isEmpty ? "—" : d.staff[hall]?[staff]?.name.zh ?? staff
        }
        if level.depth >= 5 {
            let service = keys[4]
            row.serviceId = service
            row.serviceName = d.services[hall]?[service]?.name ?? text(service)
        }
        if byDay { row.day = keys[level.depth] }
        return row
    }

    /// Sort key: hall id (a city numbers its halls), then each level's position in the hall's config (unknown ones last, by id), then the day.
    static func order(_ row: CityReportRow, level: CityReportLevel, directory d: CityDirectory) -> [String] {
        func position(_ named: CityDirectory.Named?, _ id: String?) -> String {
            String(format: "%08d", named?.position ?? 99_999_999) + (id ?? "")
        }
        var key = [row.hallId]
        if level.depth >= 2 {
            let department = row.department?.zh ?? ""
            key.append(position(d.departments[row.hallId]?[department], department))
        }
        if level.depth >= 3 { key.append(position(row.windowId.flatMap { d.windows[row.hallId]?[$0] }, row.windowId)) }
        if level.depth >= 4 { key.append(position(row.staffId.flatMap { d.staff[row.hallId]?[$0] }, row.staffId)) }
        if level.depth >= 5 { key.append(position(row.serviceId.flatMap { d.services[row.hallId]?[$0] }, row.serviceId)) }
        if let day = row.day { key.append(day) }
        return key
    }
}
