import Foundation
import HallAPI
import HallTestSupport
import KioskHTTP
@testable import KioskOutbox
import XCTest

/// Nothing lost, nothing doubled: outages, restarts, abandoned senders and lost answers,
/// with the real hall server on loopback and real outbox files.
final class OutboxDurabilityTests: XCTestCase {
    func testHundredRatingsStoredDuringAnOutageArriveExactlyOnceAfterARestart() async throws {
        let server = try HallServerProcess()
        defer { server.stop() }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("outbox.sqlite").path
        let tickets = try await Demo.completedTickets(server, count: 100)

        // Given the hall server is down
        server.stop()
        // When 100 ratings are submitted at the device while its sender is running
        var outbox: RatingOutbox? = try RatingOutbox(path: path)
        var client: HallClient? = try Demo.ratingClient(server.baseURL, timeout: 2)
        var sender: OutboxSender? = OutboxSender(outbox: outbox!, poster: client!)
        let run = Task { [sender] in await sender!.run() }
        var ratings: [RatingSubmission] = []
        for (i, ticket) in tickets.enumerated() {
            let level = RatingLevel.allCases[i % 5]
            let r = Demo.rating(ticket, level, reasons: level.isBad ? [.efficiency] : [])
            XCTAssertFalse(try outbox!.store(r).wasAlreadyStored)
            ratings.append(r)
        }
        // Then all are stored locally and pending, and the sender says why
        let triedAndFailed = await eventually(10) { sender!.status.lastError != nil }
        XCTAssertTrue(triedAndFailed, "the sender never tried")
        XCTAssertEqual(try outbox!.counts().pending, 100)
        XCTAssertTrue(sender!.status.lastError?.contains("refused") == true, sender!.status.lastError ?? "-")

        // When the device restarts (sender stopped, database closed, everything reopened)
        run.cancel()
        await run.value
        await client!.shutdown()
        (sender, client, outbox) = (nil, nil, nil)
        let reopened = try RatingOutbox(path: path)
        XCTAssertEqual(try reopened.counts().pending, 100, "pending ratings survive the restart")
        // and the server comes back
        try server.restart()
        let client2 = try Demo.ratingClient(server.baseURL)
        let sender2 = OutboxSender(outbox: reopened, poster: client2)
        let run2 = Task { await sender2.run() }
        let drained = try await eventually(60) { try reopened.counts().pending == 0 }
        run2.cancel()
        await run2.value
        XCTAssertTrue(drained, "left: \(String(describing: try? reopened.counts()))")

        // Then the server holds exactly the 100 ratings, each once, as submitted
        XCTAssertEqual(try reopened.counts().delivered, 100)
        XCTAssertEqual(try Demo.serverRatingCount(server), 100)
        for r in ratings {
            let stored = try XCTUnwrap(Demo.serverRating(server, r.ratingId), r.ratingId)
            XCTAssertEqual(stored.level.rawValue, r.level)
            XCTAssertEqual(stored.ticketId, r.ticketId)
        }
        await client2.shutdown()
    }

    func testAnAbandonedSenderAndLostAnswersNeverDoubleARating() async throws {
        let server = try HallServerProcess()
        defer { server.stop() }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("outbox.sqlite").path
        let tickets = try await Demo.completedTickets(server, count: 60)
        let first = try RatingOutbox(path: path)
        let ratings = tickets.map { Demo.rating($0, .satisfied) }
        for r in ratings { try first.store(r) }

        // Given a sender whose every third answer is lost after the server stored the rating
        // (the link died between the server's commit and the device's)
        let proxy = try FaultProxy(upstreamPort: server.port)
        defer { proxy.stop() }
        let posts = Counter()
        proxy.setRule { line in
            guard line.method == "POST", line.path.hasPrefix("/api/v1/ratings") else { return .forward }
            return posts.next() % 3 == 0 ? .loseAnswer : .forward
        }
        let client = try Demo.ratingClient(proxy.baseURL)
        let abandoned = OutboxSender(outbox: first, poster: client, policy: BackoffPolicy(base: 0.05, cap: 0.2, minimum: 0.01))
        let run = Task { await abandoned.run() }
        let halfway = try await eventually(30) { try Demo.serverRatingCount(server) >= 30 }
        XCTAssertTrue(halfway)
        // When it is abandoned mid-drain (cancelled, not awaited) and the file is reopened by a new process
        run.cancel()
        let second = try RatingOutbox(path: path)
        let direct = try Demo.ratingClient(server.baseURL)
        let sender = OutboxSender(outbox: second, poster: direct)
        let run2 = Task { await sender.run() }
        let drained = try await eventually(60) { try second.counts().pending == 0 }
        run2.cancel()
        await run.value
        await run2.value
        XCTAssertTrue(drained, "left: \(String(describing: try? second.counts()))")

        // Then every rating is on the server exactly once, and lost answers were replays, not copies
        XCTAssertGreaterThanOrEqual(posts.current, 3, "at least one answer was lost (every third)")
        XCTAssertEqual(try second.counts().delivered, 60)
        XCTAssertEqual(try Demo.serverRatingCount(server), 60)
        for r in ratings { XCTAssertNotNil(try Demo.serverRating(server, r.ratingId)) }
        await client.shutdown()
        await direct.shutdown()
    }
}

/// A thread-safe counter for proxy rules.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { value += 1; return value } }
    var current: Int { lock.withLock { value } }
}
