import Foundation
import HallAPI
import HallTestSupport
import KioskHTTP
@testable import KioskOutbox
import XCTest

/// The device's wall clock set back or forward an hour (NTP, hall IT) while a rating backs off: the retry times
/// stored in the outbox move with the clock, so the rating is sent after the wait the backoff chose — not an hour
/// later, and not before the server's wait is over. Real server and outbox file; the clock is the only fake.
extension OutboxFaultTests {
    /// One rating backing off 5 s (u = 0.5 of a 10 s ceiling) after a 503 from the hall server.
    func backingOff(_ rig: Rig, ratings: Int = 1) async throws -> (FakeClock, RatingOutbox, OutboxSender) {
        let clock = FakeClock(Date())
        let outbox = try RatingOutbox(path: rig.folder.appendingPathComponent("clock-\(UUID().uuidString).sqlite").path,
                                      now: { clock.now() })
        for r in rig.ratings.prefix(ratings) { try outbox.store(r) }
        rig.proxy.behaviour = .answer(status: 503, body: #"{"error":{"code":"unavailable","message":"restarting"}}"#,
                                      headers: ["Content-Type: application/json"])
        let sender = OutboxSender(outbox: outbox, poster: rig.client, policy: BackoffPolicy(base: 10, cap: 10, minimum: 0.25),
                                  clock: clock, random: FixedRandom([0.5]))
        let first = await sender.sendDue()
        XCTAssertEqual(try XCTUnwrap(first), 5, accuracy: 1e-6, "backing off 5 s")
        return (clock, outbox, sender)
    }

    func testABackingOffRatingIsSentOnTimeWhenTheClockIsSetBackAnHour() async throws {
        let rig = try await rig(count: 1)
        let (clock, outbox, sender) = try await backingOff(rig)
        clock.advance(4)
        clock.setWallClock(by: -3600)
        let posts = rig.proxy.requestCount(pathPrefix: "/api/v1/ratings")
        let wait = await sender.sendDue()
        XCTAssertEqual(try XCTUnwrap(wait), 1, accuracy: 1e-6, "1 s of the 5 s left, not an hour and a second")
        XCTAssertEqual(try XCTUnwrap(sender.status.nextAttemptAt).timeIntervalSince(clock.now()), 1, accuracy: 1e-3,
                       "the live schedule moved too")
        let stored = try XCTUnwrap(outbox.entry(ratingId: rig.ratings[0].ratingId)?.nextAttemptAt)
        XCTAssertEqual(stored.timeIntervalSince(clock.now()), 1, accuracy: 1e-3, "the stored retry time moved with the clock")
        XCTAssertEqual(rig.proxy.requestCount(pathPrefix: "/api/v1/ratings"), posts, "nothing sent before the wait is over")
        rig.proxy.behaviour = .forward
        clock.advance(1)
        _ = await sender.sendDue()
        XCTAssertEqual(try outbox.counts().delivered, 1, "sent 5 s after the failure")
        XCTAssertNotNil(try Demo.serverRating(rig.server, rig.ratings[0].ratingId))
    }

    func testABackingOffRatingKeepsItsWaitWhenTheClockIsSetForwardAnHour() async throws {
        let rig = try await rig(count: 2)
        let (clock, outbox, sender) = try await backingOff(rig)
        clock.advance(1)
        clock.setWallClock(by: 3600)
        rig.proxy.behaviour = .forward
        // Stored after the clock was set, before the sender looked: already on the new clock, not pushed an hour on.
        try outbox.store(rig.ratings[1])
        let posts = rig.proxy.requestCount(pathPrefix: "/api/v1/ratings")
        let wait = await sender.sendDue()
        XCTAssertEqual(try XCTUnwrap(wait), 4, accuracy: 1e-6, "the backoff's 5 s, not due at once")
        XCTAssertEqual(rig.proxy.requestCount(pathPrefix: "/api/v1/ratings"), posts, "nothing sent while backing off")
        let newOne = try XCTUnwrap(outbox.entry(ratingId: rig.ratings[1].ratingId)?.nextAttemptAt)
        XCTAssertLessThanOrEqual(newOne.timeIntervalSince(clock.now()), 1e-3, "the new rating is due now")
        clock.advance(4)
        _ = await sender.sendDue()
        XCTAssertEqual(try outbox.counts().delivered, 2)
        for r in rig.ratings { XCTAssertNotNil(try Demo.serverRating(rig.server, r.ratingId)) }
    }

    func testTheSenderLoopNoticesTheClockSetWhileItWaits() async throws {
        let rig = try await rig(count: 1)
        let (clock, outbox, sender) = try await backingOff(rig)
        rig.proxy.behaviour = .forward
        let run = Task { await sender.run() }
        defer { run.cancel() }
        clock.setWallClock(by: -3600)
        try await Task.sleep(for: .milliseconds(300))
        XCTAssertEqual(try outbox.counts().delivered, 0, "no time passed: still backing off")
        clock.advance(5)
        let sent = try await eventually(10) { try outbox.counts().delivered == 1 }
        XCTAssertTrue(sent, "sent after 5 s of monotonic time: \(sender.status)")
        run.cancel()
        await run.value
    }

    func testClockJumpsInBothDirectionsBackToBack() async throws {
        let rig = try await rig(count: 1)
        let (clock, outbox, sender) = try await backingOff(rig)
        clock.setWallClock(by: -3600)
        _ = await sender.sendDue()
        clock.advance(2)
        clock.setWallClock(by: 7200)
        let wait = await sender.sendDue()
        XCTAssertEqual(try XCTUnwrap(wait), 3, accuracy: 1e-6, "5 s minus the 2 s that passed")
        rig.proxy.behaviour = .forward
        clock.advance(3)
        _ = await sender.sendDue()
        XCTAssertEqual(try outbox.counts().delivered, 1)
    }
}

final class OutboxClockJumpTests: XCTestCase {
    /// A clock set back a day while the device was off leaves retry times a day ahead; at start they are brought
    /// back within the longest wait the backoff chooses.
    func testRetryTimesFromAClockThatWasAheadAreBroughtBackAtStart() async throws {
        let clock = FakeClock()
        let (outbox, client) = try refusedOutbox(self, clock: clock)
        let rating = Demo.rating("t-1")
        try outbox.store(rating)
        try outbox.record([AttemptOutcome(ratingId: rating.ratingId, delivery: .retryLater(after: nil, reason: "503"),
                                          nextAttemptAt: clock.now().addingTimeInterval(86_400))], at: clock.now())
        let policy = BackoffPolicy(base: 1, cap: 8, minimum: 0.25, maxRetryAfter: 60)
        XCTAssertEqual(policy.longestDelay, 60)
        let sender = OutboxSender(outbox: outbox, poster: client, policy: policy, clock: clock, random: FixedRandom([0.5]))
        let run = Task { await sender.run() }
        let limited = try await eventually(10) {
            try XCTUnwrap(outbox.entry(ratingId: rating.ratingId)?.nextAttemptAt).timeIntervalSince(clock.now()) <= 60.001
        }
        run.cancel()
        await run.value
        XCTAssertTrue(limited, "a retry time a day ahead is brought back within 60 s")
    }
}
