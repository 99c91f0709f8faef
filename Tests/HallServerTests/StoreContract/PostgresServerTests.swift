import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import HallServer
import HallTestSupport
import XCTest

/// The `hallserver` program on PostgreSQL: `--db postgres://…`, `[database] url`, refusals at start, an outage.
final class PostgresServerTests: XCTestCase {
    static let kioskToken = "demo-kiosk-01-token-change-me"

    /// The demo hall on its own PostgreSQL: tickets are issued; with the database gone the answer is 503
    /// `databaseUnavailable` with `Retry-After`; once it is back, tickets are issued again without a restart.
    func testTheDemoHallRunsOnPostgreSQLAndRidesOutAnOutage() throws {
        let postgres = try PrivatePostgres.start()
        defer { postgres.stop() }
        let url = try postgres.createDatabase("demo_hall")
        let server = try HallServerProcess(database: url)
        defer { server.stop() }
        let first = try Self.issue(server)
        XCTAssertEqual(first.status, 201, first.body)
        XCTAssertTrue(first.body.contains("\"number\":\"A001\""), first.body)
        XCTAssertEqual(try Self.issue(server).status, 201)

        try postgres.stopServer()
        let down = try Self.issue(server)
        XCTAssertEqual(down.status, 503, down.body)
        XCTAssertTrue(down.body.contains("databaseUnavailable"), down.body)
        XCTAssertTrue(down.body.contains("127.0.0.1:\(postgres.port)"), "the answer names the database: \(down.body)")
        XCTAssertNotNil(down.retryAfter.flatMap(Int.init), "503 without Retry-After: \(down.headers)")

        try postgres.startServer()
        var again = (status: 0, body: "", retryAfter: String?.none, headers: [AnyHashable: Any]())
        for _ in 0..<60 where again.status != 201 {
            Thread.sleep(forTimeInterval: 0.25)
            again = try Self.issue(server)
        }
        XCTAssertEqual(again.status, 201, "no ticket after the database came back: \(again.body)")
        XCTAssertTrue(again.body.contains("\"number\":\"A003\""), "numbering goes on: \(again.body)")
        XCTAssertTrue(server.process.isRunning, "the server rode out the outage without a restart")
    }

    /// A database that cannot be reached stops the program before it listens, naming the host, the reason and the fix.
    func testAnUnreachableDatabaseStopsTheStartWithHostReasonAndFix() throws {
        let binary = try BuiltProducts.executable("hallserver")
        let config = BuiltProducts.repository.appendingPathComponent("kiosk/demo/hall.toml").path
        let closed = try PrivatePostgres.freePort()
        let run = try runProgram(binary.path, ["--config", config, "--port", "0", "--db", "postgres://hall:secret@127.0.0.1:\(closed)/hallkiosk"])
        XCTAssertEqual(run.code, 69, run.err)
        XCTAssertTrue(run.err.contains("refusing to start: PostgreSQL at 127.0.0.1:\(closed)"), run.err)
        XCTAssertTrue(run.err.contains("connection refused"), run.err)
        XCTAssertTrue(run.err.contains("start PostgreSQL"), run.err)
        XCTAssertFalse(run.err.contains("secret"), "the password must not be printed: \(run.err)")
        let bad = try runProgram(binary.path, ["--config", config, "--port", "0", "--db", "mysql://hall@db/hallkiosk"])
        XCTAssertEqual(bad.code, 64, bad.err)
        XCTAssertTrue(bad.err.contains("neither a postgres:// URL nor a file path"), bad.err)
    }

    /// `hallserver backup` copies SQLite files; given a PostgreSQL URL it says to use pg_dump instead.
    func testBackupOfAPostgreSQLDatabasePointsToPgDump() throws {
        let binary = try BuiltProducts.executable("hallserver")
        let run = try runProgram(binary.path, ["backup", "--db", "postgres://hall:secret@db.city.example/halls"])
        XCTAssertEqual(run.code, 64, run.err)
        XCTAssertTrue(run.err.contains("pg_dump"), run.err)
        XCTAssertFalse(run.err.contains("secret"), run.err)
    }

    /// `[database] url` in hall.toml: a postgres:// URL chooses PostgreSQL, a path or sqlite:PATH SQLite; a bad one is
    /// refused with the key.
    func testDatabaseURLInTheConfig() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("db-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func load(_ database: String) throws -> DatabaseLocation? {
            let path = folder.appendingPathComponent("hall.toml").path
            try (TestHallConfig.toml() + "\n[database]\n" + database + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return try HallConfig.load(from: path).0.database?.location()
        }
        XCTAssertEqual(try load(#"url = "postgres://hall@db.city.example:6432/halls?sslmode=require""#),
                       .postgres(PostgresLocation(host: "db.city.example", port: 6432, user: "hall", database: "halls", tlsMode: .require)))
        XCTAssertEqual(try load(#"url = "sqlite:/var/lib/hallserver/hall.sqlite""#), .sqlite(path: "/var/lib/hallserver/hall.sqlite"))
        XCTAssertEqual(try load(#"url = "/srv/hall.sqlite""#), .sqlite(path: "/srv/hall.sqlite"))
        XCTAssertThrowsError(try load(#"url = "postgres://hall@db.city.example/""#)) { error in
            XCTAssertTrue("\(error)".contains("[database] url"), "\(error)")
            XCTAssertTrue("\(error)".contains("names no database"), "\(error)")
        }
        XCTAssertThrowsError(try load(#"uri = "postgres://hall@db/halls""#)) { error in
            XCTAssertTrue("\(error)".contains("uri"), "a misspelt key is refused by name: \(error)")
        }
    }

    private static func issue(_ server: HallServerProcess) throws -> (status: Int, body: String, retryAfter: String?, headers: [AnyHashable: Any]) {
        var request = URLRequest(url: URL(string: "\(server.baseURL)/api/v1/tickets")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(kioskToken)", forHTTPHeaderField: "Authorization")
        request.setValue(UUID().uuidString, forHTTPHeaderField: "Idempotency-Key")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"serviceId":"hukou","kioskId":"kiosk-01"}"#.utf8)
        request.timeoutInterval = 30
        let done = DispatchSemaphore(value: 0)
        let box = ReplyBox()
        URLSession.shared.dataTask(with: request) { data, response, _ in
            let http = response as? HTTPURLResponse
            box.set(http?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self), http?.value(forHTTPHeaderField: "Retry-After"),
                    http?.allHeaderFields ?? [:])
            done.signal()
        }.resume()
        done.wait()
        return box.get()
    }
}

private final class ReplyBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Int, String, String?, [AnyHashable: Any]) = (0, "", nil, [:])
    func set(_ status: Int, _ body: String, _ retryAfter: String?, _ headers: [AnyHashable: Any]) {
        lock.withLock { value = (status, body, retryAfter, headers) }
    }
    func get() -> (status: Int, body: String, retryAfter: String?, headers: [AnyHashable: Any]) { lock.withLock { value } }
}
