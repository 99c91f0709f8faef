import ArgumentParser
import Foundation
import HallServer
import Logging

/// `hallserver migrate`: one hall's history from its SQLite file into a PostgreSQL database.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a hall's whole history from its SQLite file into a PostgreSQL database (one transaction), then compare both sides.",
        discussion: """
            Stop the hall server first. The hall id and names come from --config. Every table is copied (tickets, day counters, \
            paused services, staff sessions, window events, ratings, device health, server state and keys) in one transaction: \
            a failure leaves nothing behind. A hall that already has rows in the database is refused unless --replace is given. \
            At the end the row counts per table, the tickets and sums of numbers per hall day and service and the day counters \
            are compared and printed. Exit 0 when both sides agree, 1 when they differ, 65 when refused, 69 when the database \
            cannot be reached.
            """)

    @Option(name: .long, help: "The hall's config file (TOML): the hall id and the names the city report shows.")
    var config: String

    @Option(name: .long, help: ArgumentHelp("The hall server's SQLite file.", valueName: "sqlite:PATH"))
    var from: String

    @Option(name: .long, help: ArgumentHelp("The PostgreSQL database (password in the URL or PGPASSWORD).", valueName: "postgres://USER@HOST:5432/DATABASE"))
    var to: String

    @Flag(name: .long, help: "Delete the hall's rows already in the database first (same transaction).")
    var replace = false

    @Option(name: .long, help: "Rows per INSERT.")
    var batch: Int = HallMigration.defaultBatch

    func validate() throws {
        guard (1...2000).contains(batch) else { throw ValidationError("--batch \(batch): give 1…2000 rows per INSERT") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let hall: Hall
        do {
            (_, hall) = try HallConfig.load(from: config)
        } catch let error as ConfigError {
            fail("\(error.description)", code: 78)
        }
        guard case .sqlite(let path)? = try? DatabaseLocation(from) else {
            fail("--from '\(from)' is not an SQLite file; give the hall server's database, e.g. --from sqlite:/var/lib/hallserver/hall.sqlite", code: 64)
        }
        let location: PostgresLocation
        do {
            guard case .postgres(let parsed) = try DatabaseLocation(to) else {
                fail("--to '\(to)' is not a postgres:// URL; e.g. --to postgres://hall@db.example:5432/hallkiosk", code: 64)
            }
            location = parsed
        } catch {
            fail("--to \(error)", code: 64)
        }
        print("migrating hall '\(hall.id)' from \(path) to \(location.description)")
        let report: HallMigrationReport
        do {
            report = try await HallMigration.run(sqlitePath: path, to: location, hall: hall, replace: replace, batch: batch) { line in
                print("  " + line)
            }
        } catch let error as HallMigrationError {
            fail(error.description, code: 65)
        } catch {
            fail("\(error)", code: 69)
        }
        print("")
        report.lines.forEach { print($0) }
        if !report.agrees { throw ExitCode(1) }
    }

    private func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("hallserver migrate: \(message)\n".utf8))
        Foundation.exit(code)
    }
}
