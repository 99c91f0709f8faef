import Foundation
import HallAPI
import HallTestSupport
@testable import KioskHTTP
@testable import KioskOutbox
import XCTest

/// The sender against the real hall server on loopback: delivered, rejected, conflicting, replayed.
final class OutboxDeliveryTests: XCTestCase {
    func testSubmitRatingAnswersForEveryCase() async throws {
        let server = try HallServerProcess()
        defer { server.stop() }
        let client = try Demo.ratingClient(server.baseURL)
        let tickets = try await Demo.completedTickets(server, count: 3)

        // New → delivered with the server's record.
        let first = Demo.rating(tickets[0], .veryDissatisfied, reasons: [.attitude, .efficiency])
        guard case .delivered(let record) = await client.submitRating(first) else { return XCTFail("not delivered") }
        XCTAssertEqual(record.ratingId, first.ratingId)
        XCTAssertEqual(record.reasons, [.attitude, .efficiency])
        XCTAssertEqual(record.deviceId, "rating-w01")
        // The same again (a lost answer retried) → delivered, the same record.
        let again = await client.submitRating(first)
        XCTAssertEqual(again, .delivered(record))
        // The same content under a new ratingId (409 with this rating) → delivered.
        let sameContent = Demo.rating(tickets[0], .veryDissatisfied, reasons: [.efficiency, .attitude])
        let sameAnswer = await client.submitRating(sameContent)
        XCTAssertEqual(sameAnswer, .delivered(record))
        // A different rating for the rated ticket → conflict with the stored one.
        let different = Demo.rating(tickets[0], .satisfied)
        guard case .conflict(let existing, let message) = await client.submitRating(different) else { return XCTFail("no conflict") }
        XCTAssertEqual(existing, record)
        XCTAssertTrue(message.contains("already"), message)
        // An unknown ticket → rejected for good with the server's words.
        guard case .rejected(let status, let code, _) = await client.submitRating(Demo.rating("no-such-ticket")) else {
            return XCTFail("unknown ticket not rejected")
        }
        XCTAssertEqual(status, 404)
        XCTAssertEqual(code, APIErrorCode.unknownTicket)
        // A 差评 without reason slipped past the UI → 422 rejected.
        guard case .rejected(422, APIErrorCode.reasonRequired, _) = await client.submitRating(Demo.rating(tickets[1], .dissatisfied)) else {
            return XCTFail("no 422")
        }
        // A token problem is hall IT's to fix: retry later, never dropped.
        let wrong = try HallClient(configuration: HallClientConfiguration(baseURL: server.baseURL, deviceId: "rating-w01",
                                                                          deviceToken: "not-a-token-of-this-hall"))
        guard case .retryLater(_, let reason) = await wrong.submitRating(Demo.rating(tickets[2])) else { return XCTFail("401 final") }
        XCTAssertTrue(reason.contains("401"), reason)
        // No server → retry later.
        server.stop()
        guard case .retryLater(nil, let down) = await client.submitRating(Demo.rating(tickets[2])) else { return XCTFail("down final") }
        XCTAssertTrue(down.contains("refused") || down.contains("unreachable"), down)
        await client.shutdown()
        await wrong.shutdown()
    }

    func testSenderDeliversKeepsRejectedAndConflictsForTheAdmin() async throws {
        let server = try HallServerProcess()
        defer { server.stop() }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let issued = try await Demo.completedIssuedTickets(server, count: 4)
        let tickets = issued.map(\.id)
        // Ticket 3 is rated at the kiosk first (another channel).
        let kiosk = try HallClient(configuration: HallClientConfiguration(baseURL: server.baseURL, deviceId: "kiosk-01",
                                                                          deviceToken: Demo.kioskToken))
        let atKiosk = RatingSubmission(ratingId: UUID().uuidString, ticketId: tickets[2], ratingCode: issued[2].ratingCode,
                                       channel: .kiosk, deviceId: "kiosk-01",
                                       level: .basicallySatisfied)
        guard case .delivered = await kiosk.submitRating(atKiosk) else { return XCTFail("kiosk rating not stored") }
        await kiosk.shutdown()

        let outbox = try RatingOutbox(path: folder.appendingPathComponent("outbox.sqlite").path)
        let good = Demo.rating(tickets[0], .verySatisfied)
        let bad = Demo.rating(tickets[1], .veryDissatisfied, reasons: [.attitude, .other])
        let conflicting = Demo.rating(tickets[2], .satisfied)
        var expired = Demo.rating(tickets[3], .satisfied)
        expired.assessNumber = 2  // a follow-up without a 差评 first: the server refuses it (422)
        for r in [good, bad, conflicting, expired] { try outbox.store(r) }

        let client = try Demo.ratingClient(server.baseURL)
        let sender = OutboxSender(outbox: outbox, poster: client)
        let run = Task { await sender.run() }
        let settled = try await eventually(20) { try outbox.counts().pending == 0 }
        run.cancel()
        await run.value
        XCTAssertTrue(settled, "still pending: \(String(describing: try? outbox.entries(in: [.pending])))")

        let counts = try outbox.counts()
        XCTAssertEqual(counts.delivered, 2)
        XCTAssertEqual(counts.rejected, 1)
        XCTAssertEqual(counts.conflicts, 1)
        XCTAssertEqual(sender.status.heldForAdmin, 2, "the heartbeat's outboxRejected")
        let rejected = try XCTUnwrap(outbox.entry(ratingId: expired.ratingId))
        XCTAssertEqual(rejected.state, .rejected)
        XCTAssertTrue(rejected.lastError?.hasPrefix("422 followUpNotAllowed") == true, rejected.lastError ?? "-")
        XCTAssertEqual(rejected.attempts, 1, "a 422 is not retried")
        let conflict = try XCTUnwrap(outbox.entry(ratingId: conflicting.ratingId))
        XCTAssertEqual(conflict.state, .conflict)
        XCTAssertEqual(conflict.serverRecord?.ratingId, atKiosk.ratingId, "the admin sees which rating the server kept")
        XCTAssertEqual(try outbox.entries(in: [.rejected, .conflict]).count, 2)

        // Then the server holds exactly the delivered ones, as sent.
        let stored = try XCTUnwrap(Demo.serverRating(server, bad.ratingId))
        XCTAssertEqual(stored.level, .veryDissatisfied)
        XCTAssertEqual(stored.reasons, [.attitude, .other])
        XCTAssertEqual(stored.channel, .windowDevice)
        XCTAssertEqual(stored.deviceId, "rating-w01")
        XCTAssertEqual(stored.windowId, "w01")
        XCTAssertEqual(stored.staffId, "s01")
        XCTAssertNotNil(try Demo.serverRating(server, good.ratingId))
        XCTAssertNil(try Demo.serverRating(server, conflicting.ratingId))
        XCTAssertNil(try Demo.serverRating(server, expired.ratingId))

        // The admin dismisses the held-back ones; delivered ones cannot be dismissed.
        XCTAssertTrue(try outbox.dismiss(ratingId: expired.ratingId))
        XCTAssertFalse(try outbox.dismiss(ratingId: good.ratingId))
        XCTAssertEqual(try outbox.counts().rejected, 0)
        await client.shutdown()
    }

    func testStatusUpdatesFollowAnOutageAndSendNow() async throws {
        let server = try HallServerProcess()
        defer { server.stop() }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tickets = try await Demo.completedTickets(server, count: 2)
        server.stop()
        let outbox = try RatingOutbox(path: folder.appendingPathComponent("outbox.sqlite").path)
        let client = try Demo.ratingClient(server.baseURL, timeout: 1)
        // A long backoff: only "send now" brings the delivery forward within the test's time.
        let sender = OutboxSender(outbox: outbox, poster: client, policy: BackoffPolicy(base: 600, cap: 600, minimum: 300))
        let seen = StatusLog()
        let watcher = Task {
            for await s in sender.statusUpdates() { seen.append(s) }
        }
        let run = Task { await sender.run() }
        try outbox.store(Demo.rating(tickets[0]))
        try outbox.store(Demo.rating(tickets[1], .basicallySatisfied))
        let waiting = await eventually(20) { seen.last?.pending == 2 && seen.last?.lastError != nil }
        XCTAssertTrue(waiting, "updates: \(seen.all)")
        let next = try XCTUnwrap(seen.last?.nextAttemptAt)
        XCTAssertGreaterThan(next.timeIntervalSinceNow, 200, "backing off")

        try server.restart()
        sender.sendNow()
        let done = await eventually(20) { seen.last?.delivered == 2 && seen.last?.pending == 0 }
        XCTAssertTrue(done, "updates: \(seen.all)")
        XCTAssertNil(seen.last?.lastError)
        XCTAssertNotNil(seen.last?.lastDeliveredAt)
        run.cancel()
        watcher.cancel()
        await run.value
        await client.shutdown()
    }
}

final class StatusLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [OutboxStatus] = []
    func append(_ s: OutboxStatus) { lock.withLock { items.append(s) } }
    var all: [OutboxStatus] { lock.withLock { items } }
    var last: OutboxStatus? { all.last }
}
