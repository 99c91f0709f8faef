import AsyncHTTPClient
import Foundation
import GRDB
import HallAPI
import class HallTestSupport.PrivatePostgres
import struct HallTestSupport.TestSetupFailure
@testable import HallServer
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Logging
import PostgresNIO
import XCTest

/// A real hall server on a loopback port with a real SQLite file, a manual clock and an HTTP client.
final class LiveHall: @unchecked Sendable {
    let folder: URL
    let databasePath: String
    let clock: ManualNow
    let app: HallServerApp
    private(set) var port = 0
    private var task: Task<Void, Error>?
    private var group: ServiceGroup?
    let client = HTTPClient(eventLoopGroupProvider: .singleton,
                            configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(30))))

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var desk: HallDesk { app.desk }

    /// Starts a server; pass `folder` to reuse a database after a restart.
    /// Upkeep for tests: a small disk reserve; sweeps only when a test asks for them (or sets its own).
    static let testMaintenance = Maintenance(reserveBytes: 256 << 10, sweepSeconds: 3600, diskCheckSeconds: 0.2)

    static func start(now: Date = TestHallConfig.monday(9), folder: URL? = nil, toml: String = TestHallConfig.toml(),
                      sseHeartbeat: Double = 15, maintenance: Maintenance = LiveHall.testMaintenance,
                      logger: Logger? = nil, logLevel: Logger.Level = .warning) async throws -> LiveHall {
        let dir = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("hallserver-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let configPath = dir.appendingPathComponent("hall.toml").path
        try toml.write(toFile: configPath, atomically: true, encoding: .utf8)
        let (hallConfig, hall) = try HallConfig.load(from: configPath)
        let clock = ManualNow(now)
        let configuration = HallServerConfiguration(
            hall: hall, databasePath: dir.appendingPathComponent("hall.sqlite").path, host: "127.0.0.1", port: 0,
            sseHeartbeatSeconds: sseHeartbeat, now: clock, logLevel: logLevel, limits: try RequestLimits(hallConfig.limits),
            maintenance: maintenance, logger: logger, settingsSeed: SettingsSeed(config: hallConfig, configFolder: dir.path))
        let hallServer: HallServerApp
        var postgres: PostgresHallStore? = nil
        if usesPostgres {
            let store = try await openPostgresStore(folder: dir, hallId: hall.id, logger: configuration.serverLogger)
            postgres = store
            hallServer = try await buildHallServer(configuration, store: store, storeName: store.location.description,
                                                   onServerRunning: { port in LiveHall.portBox.set(port) })
        } else {
            hallServer = try buildHallServer(configuration, onServerRunning: { port in LiveHall.portBox.set(port) })
        }
        let live = LiveHall(folder: dir, clock: clock, app: hallServer)
        live.postgres = postgres
        try await live.run()
        return live
    }

    /// `HALL_TEST_STORE=postgres`: every live hall keeps its data in a fresh database on the private PostgreSQL
    /// (`PrivatePostgres`) instead of an SQLite file; a restart on the same folder reopens the same database.
    static var usesPostgres: Bool { ProcessInfo.processInfo.environment["HALL_TEST_STORE"] == "postgres" }

    private var postgres: PostgresHallStore?

    private static func openPostgresStore(folder: URL, hallId: String, logger: Logger) async throws -> PostgresHallStore {
        let urlFile = folder.appendingPathComponent("postgres-url")
        let url: String
        if let saved = try? String(contentsOf: urlFile, encoding: .utf8) {
            url = saved
        } else {
            url = try PrivatePostgres.shared().freshDatabase()
            try url.write(to: urlFile, atomically: true, encoding: .utf8)
        }
        return try await PostgresHallStore.open(try PostgresLocation(url: url), hallId: hallId, logger: logger)
    }

    private init(folder: URL, clock: ManualNow, app: HallServerApp) {
        self.folder = folder
        self.databasePath = folder.appendingPathComponent("hall.sqlite").path
        self.clock = clock
        self.app = app
    }

    private static let portBox = PortBox()

    private func run() async throws {
        Self.portBox.set(0)
        var logger = Logger(label: "test-service-group")
        logger.logLevel = .warning
        let group = ServiceGroup(configuration: .init(services: [app.application], logger: logger))
        self.group = group
        task = Task { try await group.run() }
        for _ in 0..<500 {
            let p = Self.portBox.get()
            if p != 0 { port = p; return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestSetupFailure("hall server did not start listening within 5 s")
    }

    /// Stops the server the way SIGTERM does (graceful shutdown).
    func stop() async {
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
        try? await client.shutdown()
        postgres?.close()
    }

    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }

        func decode<T: Decodable>(_ type: T.Type, file: StaticString = #filePath, line: UInt = #line) throws -> T {
            do {
                return try HallJSON.decoder().decode(T.self, from: body)
            } catch {
                XCTFail("cannot decode \(T.self) from \(status) \(text): \(error)", file: file, line: line)
                throw error
            }
        }

        var errorCode: String? { (try? HallJSON.decoder().decode(APIErrorBody.self, from: body))?.error.code }
    }

    func send(_ method: HTTPMethod, _ path: String, token: String? = nil, headers: [(String, String)] = [],
              body: Data? = nil, contentType: String? = "application/json") async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let body {
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Data(buffer.readableBytesView))
    }

    func send<T: Encodable>(_ method: HTTPMethod, _ path: String, token: String? = nil, headers: [(String, String)] = [],
                            json: T) async throws -> Reply {
        try await send(method, path, token: token, headers: headers, body: try HallJSON.encoder().encode(json))
    }

    // MARK: Shortcuts

    func issue(_ serviceId: String, key: String = UUID().uuidString, token: String = TestHallConfig.kioskToken,
               kioskId: String = "kiosk-1", priority: PriorityKind? = nil) async throws -> Reply {
        try await send(.POST, "/api/v1/tickets", token: token, headers: [("Idempotency-Key", key)],
                       json: IssueTicketRequest(serviceId: serviceId, kioskId: kioskId, priority: priority))
    }

    func issueTicket(_ serviceId: String, priority: PriorityKind? = nil, file: StaticString = #filePath, line: UInt = #line) async throws -> IssuedTicket {
        let r = try await issue(serviceId, priority: priority)
        XCTAssertEqual(r.status, 201, r.text, file: file, line: line)
        return try r.decode(IssuedTicket.self)
    }

    /// Logs in at `windowId`; `takeover` signs out another clerk signed in there (else that answers 409, a failure here).
    func login(_ windowId: String, employeeNo: String = "1001", pin: String = TestHallConfig.pin, takeover: Bool = false,
               file: StaticString = #filePath, line: UInt = #line) async throws -> String {
        let r = try await send(.POST, "/api/v1/windows/\(windowId)/login",
                               json: StaffLoginRequest(employeeNo: employeeNo, pin: pin, takeover: takeover ? true : nil))
        XCTAssertEqual(r.status, 200, r.text, file: file, line: line)
        return try r.decode(StaffLoginResponse.self).staffToken
    }

    func act(_ windowId: String, _ action: String, staffToken: String, transferTo: String? = nil) async throws -> Reply {
        if let transferTo {
            return try await send(.POST, "/api/v1/windows/\(windowId)/\(action)", token: staffToken, json: TransferRequest(serviceId: transferTo))
        }
        return try await send(.POST, "/api/v1/windows/\(windowId)/\(action)", token: staffToken)
    }

    /// Issues, calls and completes a ticket at `windowId`; returns it.
    func completedTicket(service: String = "hukou", window: String = "w1", staffToken: String) async throws -> IssuedTicket {
        let t = try await issueTicket(service)
        let called = try await act(window, "call-next", staffToken: staffToken)
        XCTAssertEqual(try called.decode(WindowActionResult.self).ticket?.id, t.id)
        let done = try await act(window, "complete", staffToken: staffToken)
        XCTAssertEqual(done.status, 200, done.text)
        return t
    }

    /// The maintained waiting counts equal a recount of the ticket table.
    func assertQueueCountsMatchTickets(file: StaticString = #filePath, line: UInt = #line) async throws {
        if let postgres {
            let hallId = postgres.hallId
            let (kept, counted) = try await postgres.database.transaction("compare waiting counts") { tx in
                (try await tx.rows("""
                    SELECT hall_day, service_id, rank, waiting FROM queue_count WHERE hall_id = \(hallId) AND waiting <> 0 ORDER BY 1, 2, 3
                    """).map { row in
                    let (day, service, rank, waiting) = try row.decode((String, String, Int, Int).self)
                    return "\(day) \(service) \(rank) \(waiting)"
                 },
                 try await tx.rows("""
                    SELECT hall_day, service_id, rank, COUNT(*) FROM ticket WHERE hall_id = \(hallId) AND status = 'waiting'
                    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                    """).map { row in
                    let (day, service, rank, waiting) = try row.decode((String, String, Int, Int).self)
                    return "\(day) \(service) \(rank) \(waiting)"
                 })
            }
            XCTAssertEqual(kept, counted, "queue_count drifted from the tickets", file: file, line: line)
            return
        }
        let (kept, counted) = try await desk.database.read { db in
            (try Row.fetchAll(db, sql: "SELECT hallDay, serviceId, rank, waiting FROM queueCount WHERE waiting != 0 ORDER BY 1, 2, 3")
                .map { "\($0[0] as String) \($0[1] as String) \($0[2] as Int) \($0[3] as Int)" },
             try Row.fetchAll(db, sql: """
                SELECT hallDay, serviceId, rank, COUNT(*) FROM ticket WHERE status = 'waiting' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                """).map { "\($0[0] as String) \($0[1] as String) \($0[2] as Int) \($0[3] as Int)" })
        }
        XCTAssertEqual(kept, counted, "queueCount drifted from the tickets", file: file, line: line)
    }

    func hall() async throws -> HallStatus {
        try await send(.GET, "/api/v1/hall", token: TestHallConfig.kioskToken).decode(HallStatus.self)
    }
}

final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var port = 0
    func set(_ p: Int) { lock.withLock { port = p } }
    func get() -> Int { lock.withLock { port } }
}
