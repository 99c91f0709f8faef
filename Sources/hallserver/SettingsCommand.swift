import ArgumentParser
import Foundation
import HallServer
import Logging

/// `hallserver settings reset|export`: the settings edited in the browser, from the command line.
struct Settings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "The hall settings edited on the admin pages: go back to hall.toml, or export them as hall.toml.",
        discussion: """
            hall.toml seeds the services, windows, staff, devices, hours, dates and notices. Once they are edited on \
            /admin/settings, the stored version wins over the file for those items (every other key always comes from \
            the file). `reset` makes the file's items the settings again (a running server takes it within 2 s; the \
            audit log keeps the change); `export` prints the hall in force as a hall.toml.
            """,
        subcommands: [Reset.self, Export.self])

    /// The config and the store named by `--config` / `--db` (also `hallserver appointments import`'s).
    struct Target: ParsableArguments {
        @Option(name: .long, help: "Hall config file (TOML).")
        var config: String

        @Option(name: .long, help: ArgumentHelp("The server's database (default: [database] url in the config, else hallserver.sqlite).",
                                                valueName: "PATH|URL"))
        var db: String?

        /// The hall in force (hall.toml plus the settings edited on the admin pages), its store, and a logger; problems
        /// go to standard error prefixed with `command`.
        func open(command: String = "hallserver settings") async throws -> (SettingsKeeper, any HallStore, Logger) {
            let (hallConfig, hall): (HallConfig, Hall)
            do {
                (hallConfig, hall) = try HallConfig.load(from: config)
            } catch let error as ConfigError {
                FileHandle.standardError.write(Data("\(command): \(error.description)\n".utf8))
                throw ExitCode(78)
            }
            var logger = Logger(label: "hallserver")
            logger.logLevel = .warning
            let location = try db.map { try DatabaseLocation($0) } ?? hallConfig.database?.location() ?? .sqlite(path: "hallserver.sqlite")
            let store: any HallStore
            switch location {
            case .sqlite(let path):
                guard FileManager.default.fileExists(atPath: path) else {
                    FileHandle.standardError.write(Data("\(command): no database at '\(path)'; give the server's --db\n".utf8))
                    throw ExitCode(66)
                }
                store = try SQLiteHallStore(path: path, logger: logger)
            case .postgres(let postgres):
                store = try await PostgresHallStore.open(postgres, hallId: hall.id, logger: logger)
            }
            let seed = SettingsSeed(config: hallConfig, configFolder: URL(fileURLWithPath: config).deletingLastPathComponent().path)
            return (SettingsKeeper(seed: seed, fileHall: hall, stored: try await store.storedSettings(), logger: logger), store, logger)
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make hall.toml's services, windows, staff, devices, hours and notices the settings again.")
        @OptionGroup var target: Target

        func run() async throws {
            let (keeper, store, _) = try await target.open()
            let version = try await keeper.resetToFile(actor: "hallserver settings reset", at: Date(), store: store)
            print("settings reset to \(target.config) (version \(version)); a running server takes it within 2 s")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the hall in force (file plus edits) as a hall.toml.")
        @OptionGroup var target: Target

        func run() async throws {
            let (keeper, _, _) = try await target.open()
            let now = keeper.now
            print(try now.config.exportTOML(version: now.version, exportedAt: ISO8601DateFormatter().string(from: Date())), terminator: "")
        }
    }
}
