import ArgumentParser
import Foundation
import HallAPI
import HallServer
import Logging

/// `hallserver report --city`: every hall of a city database, by hall → department → window → staff → service.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The city report: tickets, waits and 好差评 of every hall in a PostgreSQL database, as a table or CSV.",
        discussion: """
            Reads only. --month 2026-11, or --from/--to hall days (default: this month). --by hall (default), department, \
            window, staff or service: each level adds one key to the one above. --by-day: one row per day as well. \
            A hall's own report (one hall, any store) is the admin page /admin/reports and GET /api/v1/reports/satisfaction.
            """)

    @Flag(name: .long, help: "Every hall of the database (required: the per-hall report is on the admin pages).")
    var city = false

    @Option(name: .long, help: ArgumentHelp("The city database (password in the URL or PGPASSWORD).", valueName: "postgres://USER@HOST:5432/DATABASE"))
    var db: String

    @Option(name: .long, help: ArgumentHelp("A month.", valueName: "YYYY-MM"))
    var month: String?

    @Option(name: .long, help: ArgumentHelp("First hall day.", valueName: "YYYY-MM-DD"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Last hall day (default: --from).", valueName: "YYYY-MM-DD"))
    var to: String?

    @Option(name: .long, help: "hall, department, window, staff or service.")
    var by: String = "hall"

    @Flag(name: .long, help: "One row per hall day as well.")
    var byDay = false

    @Flag(name: .long, help: "CSV (UTF-8 with BOM) instead of a table.")
    var csv = false

    @Flag(name: .long, help: "JSON (the /api/v1/city/report answer) instead of a table.")
    var json = false

    func validate() throws {
        guard city else {
            throw ValidationError("give --city: this command reports every hall of a city database; one hall's report is the admin page "
                + "/admin/reports (and GET /api/v1/reports/satisfaction)")
        }
        guard CityReportLevel(rawValue: by) != nil else {
            throw ValidationError("--by '\(by)' is not one of \(CityReportLevel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if month != nil, from != nil || to != nil { throw ValidationError("give --month or --from/--to, not both") }
        if let month, CityReporter.days(ofMonth: month) == nil { throw ValidationError("--month '\(month)' is not a month like 2026-11") }
        if to != nil, from == nil { throw ValidationError("--to needs --from") }
        if csv && json { throw ValidationError("give --csv or --json, not both") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let location: PostgresLocation
        do {
            guard case .postgres(let parsed) = try DatabaseLocation(db) else {
                fail("--db '\(db)' is not a postgres:// URL: the city report reads the city's PostgreSQL database", code: 64)
            }
            location = parsed
        } catch {
            fail("--db \(error)", code: 64)
        }
        let (first, last): (String, String)
        if let month {
            (first, last) = CityReporter.days(ofMonth: month)!
        } else if let from {
            (first, last) = (from, to ?? from)
        } else {
            let now = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "Asia/Shanghai")!, from: Date())
            (first, last) = CityReporter.days(ofMonth: String(format: "%04d-%02d", now.year!, now.month!))!
        }
        let reporter: CityReporter
        do {
            reporter = try await CityReporter.open(location)
        } catch {
            fail("\(error)", code: 69)
        }
        defer { reporter.close() }
        let report: CityReport
        do {
            report = try await reporter.report(from: first, to: last, level: CityReportLevel(rawValue: by)!, byDay: byDay)
        } catch let error as CityReportError {
            fail(error.description, code: 64)
        } catch {
            fail("\(error)", code: 69)
        }
        if csv {
            FileHandle.standardOutput.write(Data(CityReportCSV.render(report).utf8))
        } else if json {
            FileHandle.standardOutput.write(try HallJSON.encoder().encode(report))
            print("")
        } else {
            print(CityReportTable.render(report))
        }
        let summary = "city report \(first)…\(last) by \(by)\(byDay ? " and day" : ""): \(report.rows.count) rows, "
            + "\(report.total.tickets) tickets, database \(String(format: "%.2f", report.seconds)) s\n"
        FileHandle.standardError.write(Data(summary.utf8))
    }

    private func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("hallserver report: \(message)\n".utf8))
        Foundation.exit(code)
    }
}
