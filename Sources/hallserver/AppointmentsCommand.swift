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

        @OptionGroup var target: Settings.Target

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("hallserver appointments import: cannot read '\(file)'\n".utf8))
                throw ExitCode(66)
            }
            guard let text = String(data: data, encoding: .utf8) else {
                FileHandle.standardError.write(Data("hallserver appointments import: '\(file)' is not UTF-8; save it as UTF-8 CSV\n".utf8))
                throw ExitCode(65)
            }
            // The hall in force: hall.toml plus the settings edited on the admin pages (services added there included).
            let (settings, store, logger) = try await target.open(command: "hallserver appointments import")
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
