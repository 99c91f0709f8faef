import ArgumentParser
import Foundation
import HallServer
import Logging

/// `hallserver appointments import FILE.csv`: the admin's CSV import from the command line (any size).
struct Appointments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appointments",
        abstract: "Appointments (预约) held by the hall server.",
        subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import appointments from a CSV file, each row as a platform push with source `csv`.",
            discussion: """
                Columns (first line): externalId,serviceId,slotStart,slotEnd,idNumber,name,phone — phone optional, times in \
                RFC 3339 (2026-12-08T09:00:00+08:00), UTF-8. Re-importing the same file changes nothing. Bad rows are \
                reported by line and reason and the good rows are kept; the exit status is 65 when any row was refused. \
                ID numbers are keyed with [identity] keyFile and never stored or printed in clear. See docs/appointments.md.
                """)

        @Argument(help: "The CSV file.")
        var file: String

        @Option(name: .long, help: "Hall config file (TOML).")
        var config: String

        @Option(name: .long, help: ArgumentHelp("The server's database (default: [database] url in the config, else hallserver.sqlite).",
                                                valueName: "PATH|URL"))
        var db: String?

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("hallserver appointments import: cannot read '\(file)'\n".utf8))
                throw ExitCode(66)
            }
            guard let text = String(data: data, encoding: .utf8) else {
                FileHandle.standardError.write(Data("hallserver appointments import: '\(file)' is not UTF-8; save it as UTF-8 CSV\n".utf8))
                throw ExitCode(65)
            }
            let (hallConfig, hall): (HallConfig, Hall)
            do {
                (hallConfig, hall) = try HallConfig.load(from: config)
            } catch let error as ConfigError {
                FileHandle.standardError.write(Data("hallserver appointments import: \(error.description)\n".utf8))
                throw ExitCode(78)
            }
            var logger = Logger(label: "hallserver")
            logger.logLevel = .warning
            let location = try db.map { try DatabaseLocation($0) } ?? hallConfig.database?.location() ?? .sqlite(path: "hallserver.sqlite")
            let store: any HallStore
            switch location {
            case .sqlite(let path):
                guard FileManager.default.fileExists(atPath: path) else {
                    FileHandle.standardError.write(Data("hallserver appointments import: no database at '\(path)'; give the server's --db\n".utf8))
                    throw ExitCode(66)
                }
                store = try SQLiteHallStore(path: path, logger: logger)
            case .postgres(let postgres):
                store = try await PostgresHallStore.open(postgres, hallId: hall.id, logger: logger)
            }
            // The hall in force: hall.toml plus the settings edited on the admin pages (services added there included).
            let seed = SettingsSeed(config: hallConfig, configFolder: URL(fileURLWithPath: config).deletingLastPathComponent().path)
            let settings = SettingsKeeper(seed: seed, fileHall: hall, stored: try await store.storedSettings(), logger: logger)
            let random = SystemRandom()
            let desk = HallDesk(hall: settings.hall, store: store, start: try await DeskStart.load(from: store, hall: settings.hall, random: random),
                                random: random, logger: logger, settings: settings)
            if let problem = desk.identity.problem {
                FileHandle.standardError.write(Data("hallserver appointments import: \(problem)\n".utf8))
                throw ExitCode(78)
            }
            let report = await desk.importAppointments(csv: text)
            for problem in report.problems { print("line \(problem.line): \(problem.reason)") }
            print("\(file): \(report.summary)")
            if !report.problems.isEmpty { throw ExitCode(65) }
        }
    }
}
