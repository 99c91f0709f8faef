import AsyncHTTPClient
import Foundation
import HallAPI
import struct HallTestSupport.TestSetupFailure
@testable import HallServer
import NIOCore
import XCTest

/// Kill -9 the real `hallserver` binary during a burst of tickets; after a restart every ticket a
/// client was shown exists, and no number repeats or is skipped.
final class CrashSafetyTests: XCTestCase {
    static var binary: URL {
        // The test bundle sits next to (or is) the folder of built products.
        let bundle = Bundle(for: CrashSafetyTests.self).bundleURL
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("hallserver") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    func startServer(config: String, db: String, folder: URL) async throws -> (Process, Int) {
        let portFile = folder.appendingPathComponent("port-\(UUID().uuidString)").path
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["--config", config, "--db", db, "--port", "0", "--port-file", portFile, "--log-level", "warning"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<500 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return (process, port)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        process.terminate()
        throw TestSetupFailure("hallserver did not start: no port file within 5 s")
    }

    func testTicketsSurviveSIGKILL() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            return XCTFail("no hallserver binary at \(Self.binary.path); `swift build --build-tests` builds it")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("hall.toml").path
        try TestHallConfig.toml().write(toFile: config, atomically: true, encoding: .utf8)
        let db = folder.appendingPathComponent("hall.sqlite").path
        let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: .init(timeout: .init(connect: .seconds(2), read: .seconds(5))))
        do {
            try await burstKillAndRestart(client: client, config: config, db: db, folder: folder)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    func burstKillAndRestart(client: HTTPClient, config: String, db: String, folder: URL) async throws {

        func issue(port: Int, key: String) async throws -> IssuedTicket? {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/tickets")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(TestHallConfig.kioskToken)")
            request.headers.add(name: "Idempotency-Key", value: key)
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(IssueTicketRequest(serviceId: "bulk", kioskId: "kiosk-1"))))
            let response = try await client.execute(request, timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status.code == 201 || response.status.code == 200 else { return nil }
            return try HallJSON.decoder().decode(IssuedTicket.self, from: Data(body.readableBytesView))
        }

        let (server, port) = try await startServer(config: config, db: db, folder: folder)
        let shown = TicketLog()
        let killer = Task {
            try await Task.sleep(for: .milliseconds(700))
            kill(server.processIdentifier, SIGKILL)
        }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    while true {
                        let key = UUID().uuidString
                        shown.attempted(key)
                        guard let ticket = try? await issue(port: port, key: key) else { return }
                        shown.received(key, ticket)
                    }
                }
            }
        }
        _ = try await killer.value
        server.waitUntilExit()
        XCTAssertEqual(server.terminationReason, .uncaughtSignal)
        XCTAssertGreaterThan(shown.tickets.count, 20, "the burst issued tickets before the kill")

        let (restarted, port2) = try await startServer(config: config, db: db, folder: folder)
        defer { restarted.terminate(); restarted.waitUntilExit() }
        // Every ticket a client received is still there, unchanged.
        for (key, ticket) in shown.tickets {
            let again = try await issue(port: port2, key: key)
            XCTAssertEqual(again, ticket, "ticket \(ticket.number) shown before the crash must exist after it")
        }
        // Requests whose answer was lost are retried with their key: each yields exactly one ticket.
        for key in shown.unanswered { _ = try await issue(port: port2, key: key) }
        for _ in 0..<5 { _ = try await issue(port: port2, key: UUID().uuidString) }
        restarted.terminate()
        restarted.waitUntilExit()
        let database = try HallDatabase(path: db)
        let numbers = try await database.read { db in try String.fetchAll(db, sql: "SELECT number FROM ticket ORDER BY seq") }
        XCTAssertEqual(numbers.count, shown.attemptedCount + 5, "one ticket per idempotency key, none lost, none doubled")
        XCTAssertEqual(numbers, (1...numbers.count).map { String(format: "X%05d", $0) }, "gap-free, no repeats across the crash")
    }
}

/// What the clients saw.
final class TicketLog: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: [String] = []
    private var answered: [String: IssuedTicket] = [:]

    func attempted(_ key: String) { lock.withLock { keys.append(key) } }
    func received(_ key: String, _ t: IssuedTicket) { lock.withLock { answered[key] = t } }
    var tickets: [(String, IssuedTicket)] { lock.withLock { answered.map { ($0.key, $0.value) } } }
    var unanswered: [String] { lock.withLock { keys.filter { answered[$0] == nil } } }
    var attemptedCount: Int { lock.withLock { keys.count } }
}
