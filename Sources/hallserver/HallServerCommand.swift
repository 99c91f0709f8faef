import ArgumentParser
import Foundation
import HallServer
import Hummingbird
import JournalLogging
import Logging
import NIOSSL

@main
struct HallServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hallserver",
        abstract: "The HallKiosk hall server: queue numbers, staff calling, the phone progress page, ratings and device health.",
        version: HallServerInfo.version,
        subcommands: [Serve.self, HashSecret.self, CheckConfig.self, Backup.self, Migrate.self, Report.self, Settings.self, Identity.self,
                      Appointments.self],
        defaultSubcommand: Serve.self)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the hall server (the default command).")

    @Option(name: .long, help: "Hall config file (TOML); see kiosk/demo/hall.toml.")
    var config: String

    @Option(name: .long, help: ArgumentHelp(
        "Where the data is: an SQLite file (PATH or sqlite:PATH, created if missing) or a PostgreSQL database "
            + "(postgres://USER@HOST:5432/DATABASE; password in the URL or PGPASSWORD). Default: [database] url in the config, "
            + "else hallserver.sqlite.", valueName: "PATH|URL"))
    var db: String?

    @Option(name: .long, help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (0 = any free port).")
    var port: Int = 8080

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(name: .long, help: "Write 'PORT' to this file once listening (for scripts that use --port 0).")
    var portFile: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a port number (0…65535)") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level '\(logLevel)' is not one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label, level: level) }
        let hall: Hall
        let seed: SettingsSeed
        let limits: RequestLimits
        let maintenance: Maintenance
        let tls: TLSConfiguration?
        let configuredLocation: DatabaseLocation?
        do {
            let hallConfig: HallConfig
            (hallConfig, hall) = try HallConfig.load(from: config)
            seed = SettingsSeed(config: hallConfig, configFolder: URL(fileURLWithPath: config).deletingLastPathComponent().path)
            configuredLocation = try hallConfig.database?.location()
            limits = try RequestLimits(hallConfig.limits)
            maintenance = try Maintenance(hallConfig.maintenance)
            tls = try ServerTLS.configuration(hallConfig.tls, configFolder: URL(fileURLWithPath: config).deletingLastPathComponent().path)
        } catch let error as ConfigProblem {
            FileHandle.standardError.write(Data("hallserver: refusing to start: \(config): \(error.description)\n".utf8))
            throw ExitCode(78)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("hallserver: refusing to start: \(error.description)\n".utf8))
            throw ExitCode(78)
        }
        let location: DatabaseLocation
        do {
            location = try db.map { try DatabaseLocation($0) } ?? configuredLocation ?? .sqlite(path: "hallserver.sqlite")
        } catch {
            FileHandle.standardError.write(Data("hallserver: refusing to start: --db \(error)\n".utf8))
            throw ExitCode(64)
        }
        let portFile = self.portFile
        let onServerRunning: @Sendable (Int) async -> Void = { port in
            if let portFile { try? "\(port)\n".write(toFile: portFile, atomically: true, encoding: .utf8) }
        }
        var configuration = HallServerConfiguration(hall: hall, host: host, port: port, logLevel: level, limits: limits, tls: tls,
                                                    maintenance: maintenance, settingsSeed: seed)
        let server: HallServerApp
        switch location {
        case .sqlite(let path):
            configuration.databasePath = path
            do {
                server = try buildHallServer(configuration, onServerRunning: onServerRunning)
            } catch {
                FileHandle.standardError.write(Data("hallserver: cannot open the database '\(path)': \(error)\n".utf8))
                throw ExitCode(74)
            }
        case .postgres(let postgres):
            let store: PostgresHallStore
            do {
                store = try await PostgresHallStore.open(postgres, hallId: hall.id, logger: configuration.logger ?? Logger(label: "hallserver"))
            } catch {
                // The host, the reason and the fix (PostgresStartupError), or what else went wrong.
                FileHandle.standardError.write(Data("hallserver: refusing to start: \(error)\n".utf8))
                throw ExitCode(69)
            }
            do {
                // The hall's names for the city report (hallserver report --city, /city).
                try await store.recordDirectory(of: hall)
            } catch {
                FileHandle.standardError.write(Data("hallserver: warning: the hall's names were not written for the city report: \(error)\n".utf8))
            }
            do {
                server = try await buildHallServer(configuration, store: store, storeName: postgres.description, onServerRunning: onServerRunning)
            } catch {
                FileHandle.standardError.write(Data("hallserver: cannot start on \(postgres.description): \(error)\n".utf8))
                throw ExitCode(69)
            }
        }
        // SIGHUP re-reads the identity key file now (it is also re-read within a second of any change).
        signal(SIGHUP, SIG_IGN)
        let desk = server.desk
        let identityLog = Logger(label: "hallserver")
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        hangup.setEventHandler {
            let problem = desk.identity.reload()
            identityLog.notice("identity key file re-read on SIGHUP", metadata: ["identity.problem": "\(problem ?? "none")"])
        }
        hangup.resume()
        defer { hangup.cancel() }
        if let problem = desk.identity.problem {
            identityLog.warning("ID-card check-in and appointments are off", metadata: ["identity.problem": "\(problem)"])
        }
        try await server.application.runService()
    }
}

struct HashSecret: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash-secret",
        abstract: "Hash a staff PIN or admin PIN for the config (reads it from standard input, one line).")

    func run() async throws {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("type the PIN on standard input, e.g. `echo 123456 | hallserver hash-secret`")
        }
        print(try SecretHash.make(line).text)
    }
}

struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a hall config file and print a summary.")

    @Option(name: .long, help: "Hall config file (TOML).")
    var config: String

    func run() async throws {
        do {
            let (hallConfig, hall) = try HallConfig.load(from: config)
            let coverage = HallCoverage(hall)
            if let refusal = coverage.refusal {
                FileHandle.standardError.write(Data("\(config): \(refusal)\n".utf8))
                throw ExitCode(78)
            }
            print("\(config): OK — hall '\(hall.id)', \(hall.services.count) services, \(hall.windows.count) windows, "
                  + "\(hall.staff.count) staff, \(hall.devices.count) devices, time zone \(hall.timeZone.identifier)")
            for warning in coverage.warnings { print("warning: \(warning)") }
            if let advice = (hallConfig.backup ?? BackupSettings()).serviceWriteAccessAdvice { print("warning: \(advice)") }
            // ID-card check-in and appointments (issue 21) need the identity key file.
            let identity = IdentityKeys(path: hall.identityKeyFile)
            if let ring = identity.ringIfLoaded {
                print("identity: \(hall.identityKeyFile ?? "") — \(ring.keys.count) key(s), current \(ring.current.id)")
            } else {
                print("warning: ID-card check-in and appointments are off: \(identity.problem ?? "")")
            }
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode(78)
        }
    }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the SQLite database with SQLite's online backup (the server keeps running), check the copy, keep the newest N.",
        discussion: """
            The copy is named hallserver-YYYYMMDDTHHMMSSZ.sqlite (UTC) and checked with PRAGMA integrity_check.
            Folder and count come from --to/--keep, else from [backup] folder/keep in --config, else
            \(BackupSettings.defaultFolder) and \(BackupSettings.defaultKeep). Exit 0 on success, 1 when the backup failed.
            """)

    @Option(name: .long, help: "SQLite database file of the hall server.")
    var db: String

    @Option(name: .long, help: "Folder for the copies (overrides [backup] folder).")
    var to: String?

    @Option(name: .long, help: "How many copies to keep, newest first (overrides [backup] keep).")
    var keep: Int?

    @Option(name: .long, help: "Hall config file whose [backup] section gives folder and keep.")
    var config: String?

    func validate() throws {
        if let keep, keep < 1 { throw ValidationError("--keep \(keep): keep at least 1 copy") }
        if let to, to.isEmpty { throw ValidationError("--to needs a folder") }
    }

    func run() async throws {
        if case .postgres(let location)? = try? DatabaseLocation(db) {
            FileHandle.standardError.write(Data(("hallserver backup: \(location.description) is a PostgreSQL database; this command copies "
                + "SQLite files. Back it up with pg_dump (docs/postgresql.md, \"Backups\")\n").utf8))
            throw ExitCode(64)
        }
        var settings = BackupSettings()
        if let config {
            do {
                let (hallConfig, _) = try HallConfig.load(from: config)
                settings = hallConfig.backup ?? settings
            } catch let error as ConfigError {
                FileHandle.standardError.write(Data("hallserver backup: \(error.description)\n".utf8))
                throw ExitCode(78)
            }
        }
        if let to { settings.folder = to }
        if let keep { settings.keep = keep }
        let folder: String, count: Int
        do {
            (folder, count) = try settings.validated()
        } catch {
            FileHandle.standardError.write(Data("hallserver backup: \(error.description)\n".utf8))
            throw ExitCode(64)
        }
        do {
            let outcome = try HallBackup.run(databasePath: db, folder: folder, keep: count)
            print("backup written: \(outcome.path) (\(outcome.bytes / 1024) KiB, integrity ok, \(String(format: "%.2f", outcome.seconds)) s)")
            for path in outcome.removed { print("removed old backup: \(path)") }
            print("\(HallBackup.copies(in: folder).count) backup(s) in \(folder), keeping the newest \(count)")
        } catch {
            FileHandle.standardError.write(Data("hallserver backup: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
