import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HallAPI
import HallTestSupport
import KioskHTTP
@testable import KioskOutbox
import XCTest

/// The hall server misbehaving for a while (answers 500, garbage, loses answers, freezes, asks to wait):
/// every rating still arrives exactly once. Real server, real outbox file, a fault proxy in between.
final class OutboxFaultTests: XCTestCase {
    /// A quick schedule so a test sees many attempts.
    static let quick = BackoffPolicy(base: 0.05, cap: 0.3, minimum: 0.02)

    struct Rig {
        let server: HallServerProcess
        let proxy: FaultProxy
        let folder: URL
        let outbox: RatingOutbox
        let client: HallClient
        let ratings: [RatingSubmission]
    }

    func rig(count: Int, timeout: Double = 5) async throws -> Rig {
        let server = try HallServerProcess()
        let proxy = try FaultProxy(upstreamPort: server.port)
        let folder = try temporaryFolder()
        let tickets = try await Demo.completedTickets(server, count: count)
        let outbox = try RatingOutbox(path: folder.appendingPathComponent("outbox.sqlite").path)
        let ratings = tickets.map { Demo.rating($0, .satisfied) }
        let client = try Demo.ratingClient(proxy.baseURL, timeout: timeout)
        let pid = server.process.processIdentifier
        addTeardownBlock {
            await client.shutdown()
            proxy.stop()
            kill(pid, SIGCONT)  // a stopped server cannot take SIGTERM
            server.stop()
            try? FileManager.default.removeItem(at: folder)
        }
        return Rig(server: server, proxy: proxy, folder: folder, outbox: outbox, client: client, ratings: ratings)
    }

    /// Runs a sender while `fault` is on, checks that nothing was delivered, turns the fault off,
    /// and checks that every rating arrived exactly once.
    func survive(_ rig: Rig, during fault: () throws -> Void, expectError: String, repair: () throws -> Void) async throws {
        let sender = OutboxSender(outbox: rig.outbox, poster: rig.client, policy: Self.quick)
        try fault()
        let run = Task { await sender.run() }
        for r in rig.ratings { try rig.outbox.store(r) }
        let failing = await eventually(30) {
            (try? rig.outbox.entries(in: [.pending]).allSatisfy { $0.attempts >= 1 }) == true && sender.status.lastError != nil
        }
        XCTAssertTrue(failing, "status: \(sender.status)")
        let error = sender.status.lastError ?? ""
        XCTAssertTrue(error.contains(expectError), error)
        XCTAssertEqual(try rig.outbox.counts().pending, rig.ratings.count, "nothing counts as delivered while the server fails")
        try repair()
        sender.sendNow()
        let drained = try await eventually(60) { try rig.outbox.counts().pending == 0 }
        run.cancel()
        await run.value
        XCTAssertTrue(drained, "status: \(sender.status)")
        XCTAssertEqual(try rig.outbox.counts().delivered, rig.ratings.count)
        XCTAssertEqual(try Demo.serverRatingCount(rig.server), rig.ratings.count, "each rating once on the server")
        for r in rig.ratings { XCTAssertNotNil(try Demo.serverRating(rig.server, r.ratingId)) }
    }

    func testServerAnswering500ForAWhile() async throws {
        let rig = try await rig(count: 10)
        try await survive(rig, during: {
            rig.proxy.behaviour = .answer(status: 500, body: #"{"error":{"code":"internalError","message":"disk I/O error"}}"#,
                                          headers: ["Content-Type: application/json"])
        }, expectError: "500 internalError", repair: { rig.proxy.behaviour = .forward })
        XCTAssertGreaterThan(rig.proxy.requestCount(pathPrefix: "/api/v1/ratings"), 10, "retried")
    }

    func testGarbageAnswersForAWhile() async throws {
        let rig = try await rig(count: 10)
        try await survive(rig, during: { rig.proxy.behaviour = .garbage }, expectError: "Welcome to the hall Wi-Fi",
                          repair: { rig.proxy.behaviour = .forward })
    }

    func testAnswersLostAfterTheServerStoredTheRatings() async throws {
        let rig = try await rig(count: 10)
        // The server stores every rating but no answer comes back: the retries are replays.
        try await survive(rig, during: { rig.proxy.behaviour = .loseAnswer }, expectError: "unreachable",
                          repair: { rig.proxy.behaviour = .forward })
    }

    func testAFrozenServerTimesOutThenDrains() async throws {
        // SIGSTOP: the kernel still accepts connections, nothing answers; requests time out.
        let rig = try await rig(count: 10, timeout: 1)
        let pid = rig.server.process.processIdentifier
        try await survive(rig, during: { _ = kill(pid, SIGSTOP) }, expectError: "timed out", repair: { _ = kill(pid, SIGCONT) })
    }

    func testAHangingProxyTimesOutThenDrains() async throws {
        let rig = try await rig(count: 5, timeout: 1)
        try await survive(rig, during: { rig.proxy.behaviour = .hang }, expectError: "timed out",
                          repair: { rig.proxy.behaviour = .forward })
    }

    func testRetryAfterIsHonoured() async throws {
        let rig = try await rig(count: 1)
        let clock = FakeClock(Date())
        let outbox = try RatingOutbox(path: rig.folder.appendingPathComponent("fake-clock.sqlite").path, now: { clock.now() })
        try outbox.store(rig.ratings[0])
        rig.proxy.behaviour = .answer(status: 503, body: #"{"error":{"code":"rateLimited","message":"busy"}}"#,
                                      headers: ["Content-Type: application/json", "Retry-After: 120"])
        let sender = OutboxSender(outbox: outbox, poster: rig.client, policy: Self.quick, clock: clock, random: FixedRandom([0.5]))
        let firstWait = await sender.sendDue()
        let wait = try XCTUnwrap(firstWait)
        XCTAssertEqual(wait, 120, accuracy: 1e-6, "the server's Retry-After, not the 0.05 s backoff")
        let entry = try XCTUnwrap(outbox.entry(ratingId: rig.ratings[0].ratingId))
        XCTAssertEqual(try XCTUnwrap(entry.nextAttemptAt).timeIntervalSince(clock.now()), 120, accuracy: 1e-3)
        XCTAssertTrue(entry.lastError?.contains("503 rateLimited") == true, entry.lastError ?? "-")
        clock.advance(119)
        let before = rig.proxy.requestCount(pathPrefix: "/api/v1/ratings")
        _ = await sender.sendDue()
        XCTAssertEqual(rig.proxy.requestCount(pathPrefix: "/api/v1/ratings"), before, "nothing sent before Retry-After")
        rig.proxy.behaviour = .forward
        clock.advance(1)
        _ = await sender.sendDue()
        XCTAssertEqual(try outbox.counts().delivered, 1)
    }
}
