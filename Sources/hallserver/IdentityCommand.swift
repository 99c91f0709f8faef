import ArgumentParser
import Foundation
import HallSecrets
import HallServer
import Logging

/// `hallserver identity new-key|rotate|retire|status`: the identity key file that turns ID numbers into person keys.
struct Identity: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity",
        abstract: "The identity key file ([identity] keyFile): ID numbers are stored only as keyed HMACs made with it.",
        discussion: """
            Keep the file outside the database and its backups, readable by the server's user only (mode 600). A running \
            server re-reads it within a second of a change: `rotate` adds a new current key (lookups still try the old ones), \
            `retire` drops an old key once no stored row needs it. Key bytes are never printed.
            """,
        subcommands: [NewKey.self, Rotate.self, Retire.self, Status.self])

    struct NewKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "new-key", abstract: "Create the key file with a first key (refuses to overwrite one).")
        @Option(name: .long, help: "The key file to create.") var file: String

        func run() async throws {
            guard !FileManager.default.fileExists(atPath: file) else {
                fail("\(file) exists already; use `hallserver identity rotate --file \(file)` to add a key", code: 73)
            }
            let ring = PersonKeyring.fresh(at: Date())
            try ring.write(to: file)
            print("created \(file) (mode 600) with key \(ring.current.id); set [identity] keyFile = \"\(file)\" in hall.toml")
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a new current key; older keys stay for lookups.")
        @Option(name: .long, help: "The key file.") var file: String

        func run() async throws {
            let rotated = load(file).rotated(at: Date())
            try rotated.write(to: file)
            print("\(file): \(rotated.current.id) is the current key now (\(rotated.keys.count) keys); a running server takes it within a second")
        }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Drop an old key once no stored ticket or appointment needs it.")
        @Argument(help: "The key id, e.g. k1.") var keyId: String
        @Option(name: .long, help: "The key file.") var file: String
        @Option(name: .long, help: "Hall config file (TOML): where the stored rows are.") var config: String
        @Option(name: .long, help: ArgumentHelp("The server's database (default: [database] url in the config, else hallserver.sqlite).",
                                                valueName: "PATH|URL"))
        var db: String?

        func run() async throws {
            let ring = load(file)
            guard ring.keys.contains(where: { $0.id == keyId }) else {
                fail("\(file) has no key \(keyId) (keys: \(ring.keys.map(\.id).joined(separator: ", ")))", code: 65)
            }
            guard let retired = ring.retiring(keyId) else {
                fail("\(keyId) is the current key of \(file); run `hallserver identity rotate --file \(file)` first", code: 65)
            }
            let (hallConfig, hall): (HallConfig, Hall)
            do { (hallConfig, hall) = try HallConfig.load(from: config) } catch let error as ConfigError { fail(error.description, code: 78) }
            var logger = Logger(label: "hallserver")
            logger.logLevel = .warning
            let location = try db.map { try DatabaseLocation($0) } ?? hallConfig.database?.location() ?? .sqlite(path: "hallserver.sqlite")
            let store: any HallStore
            switch location {
            case .sqlite(let path):
                guard FileManager.default.fileExists(atPath: path) else { fail("no database at '\(path)'; give the server's --db", code: 66) }
                store = try SQLiteHallStore(path: path, logger: logger)
            case .postgres(let postgres):
                store = try await PostgresHallStore.open(postgres, hallId: hall.id, logger: logger)
            }
            if let refusal = try await IdentityKeyRetirement.refusal(keyId: keyId, store: store, hall: hall, now: Date()) {
                fail("\(file): \(refusal)", code: 75)
            }
            try retired.write(to: file)
            print("\(file): retired \(keyId); keys now \(retired.keys.map(\.id).joined(separator: ", "))")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the key ids and their dates (never the key bytes).")
        @Option(name: .long, help: "The key file.") var file: String

        func run() async throws {
            let ring = load(file)
            let formatter = ISO8601DateFormatter()
            for key in ring.keys {
                print("\(key.id)  created \(formatter.string(from: key.created))\(key == ring.current ? "  (current)" : "")")
            }
        }
    }
}

/// The key file, or the exit with its problem (which names the file and the fix).
private func load(_ file: String) -> PersonKeyring {
    do { return try PersonKeyring.load(path: file) } catch {
        fail("\(error)", code: 66)
    }
}

private func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data("hallserver identity: \(message)\n".utf8))
    Foundation.exit(code)
}
