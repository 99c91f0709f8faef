import Foundation
import HallAPI
import HallTestSupport
import KioskHTTP
@testable import KioskOutbox
import XCTest

/// The retry schedule, with a fake clock and fixed random numbers (the only fakes).
final class OutboxBackoffTests: XCTestCase {
    func testPolicyDoublesTheCeilingUpToTheCapWithFullJitter() {
        let p = BackoffPolicy(base: 1, cap: 300, minimum: 0.25, maxRetryAfter: 3600)
        XCTAssertEqual((1...11).map { p.ceiling(failures: $0) }, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300])
        XCTAssertEqual(p.ceiling(failures: 10_000), 300, "no overflow after months offline")
        XCTAssertEqual(p.ceiling(failures: 0), 1)
        // Full jitter: uniform over [0, ceiling), never below the minimum.
        XCTAssertEqual(p.delay(failures: 4, unit: 0.5), 4)
        XCTAssertEqual(p.delay(failures: 4, unit: 0.999), 7.992, accuracy: 1e-9)
        XCTAssertEqual(p.delay(failures: 4, unit: 0), 0.25)
        XCTAssertEqual(p.delay(failures: 20, unit: 0.5), 150)
        // Retry-After is a floor, clamped to maxRetryAfter; garbage values are ignored.
        XCTAssertEqual(p.delay(failures: 1, retryAfter: 30, unit: 0.5), 30)
        XCTAssertEqual(p.delay(failures: 20, retryAfter: 30, unit: 0.5), 150)
        XCTAssertEqual(p.delay(failures: 1, retryAfter: 86_400 * 30, unit: 0.5), 3600)
        XCTAssertEqual(p.delay(failures: 1, retryAfter: -5, unit: 0.5), 0.5)
        XCTAssertEqual(p.delay(failures: 1, retryAfter: .infinity, unit: 0.5), 0.5)
    }

    func testRetryAfterHeaderForms() {
        let now = Date(timeIntervalSince1970: 1_784_000_000)  // 2026-07-14T03:33:20Z
        XCTAssertEqual(RetryAfter.seconds("120", now: now), 120)
        XCTAssertEqual(RetryAfter.seconds(" 0 ", now: now), 0)
        XCTAssertEqual(RetryAfter.seconds("Tue, 14 Jul 2026 03:35:20 GMT", now: now), 120)
        XCTAssertEqual(RetryAfter.seconds("Tue, 14 Jul 2026 03:00:00 GMT", now: now), 0, "a past date means now")
        XCTAssertNil(RetryAfter.seconds("soon", now: now))
    }

    func testAnHTTPDateIsMeasuredAgainstTheServersClock() {
        let server = "Tue, 14 Jul 2026 03:33:20 GMT"
        let kioskAnHourAhead = Date(timeIntervalSince1970: 1_784_000_000 + 3600)
        let kioskAnHourBehind = Date(timeIntervalSince1970: 1_784_000_000 - 3600)
        for now in [kioskAnHourAhead, kioskAnHourBehind] {
            XCTAssertEqual(RetryAfter.seconds("Tue, 14 Jul 2026 03:35:20 GMT", serverDate: server, now: now), 120)
            XCTAssertEqual(RetryAfter.seconds("90", serverDate: server, now: now), 90)
        }
        // Without a usable Date header the kiosk's own clock is all there is.
        XCTAssertEqual(RetryAfter.seconds("Tue, 14 Jul 2026 04:35:20 GMT", serverDate: nil, now: kioskAnHourAhead), 120)
        XCTAssertEqual(RetryAfter.seconds("Tue, 14 Jul 2026 04:35:20 GMT", serverDate: "yesterday", now: kioskAnHourAhead), 120)
    }

    func testSenderSpacesAttemptsWhileTheServerIsDownAndSendNowEndsTheWait() async throws {
        let clock = FakeClock()
        let (outbox, client) = try refusedOutbox(self, clock: clock)
        let rating = Demo.rating("t-1")
        try outbox.store(rating)
        let sender = OutboxSender(outbox: outbox, poster: client, policy: BackoffPolicy(base: 1, cap: 8, minimum: 0.25),
                                  clock: clock, random: FixedRandom([0.5]))

        // Each failure doubles the wait (half the ceiling with u = 0.5) up to the cap.
        var waits: [Double] = []
        for _ in 0..<6 {
            let answer = await sender.sendDue()
            let wait = try XCTUnwrap(answer)
            waits.append(wait)
            // Asking again before the wait is over sends nothing.
            let again = await sender.sendDue()
            XCTAssertEqual(try XCTUnwrap(again), wait, accuracy: 1e-6)
            clock.advance(wait)
        }
        XCTAssertEqual(waits, [0.5, 1, 2, 4, 4, 4])
        let entry = try XCTUnwrap(outbox.entry(ratingId: rating.ratingId))
        XCTAssertEqual(entry.attempts, 6)
        XCTAssertEqual(entry.state, .pending)
        XCTAssertTrue(entry.lastError?.contains("refused") == true, entry.lastError ?? "-")
        XCTAssertEqual(entry.lastAttemptAt, clock.now().addingTimeInterval(-4))
        let status = sender.status
        XCTAssertEqual(status.pending, 1)
        XCTAssertEqual(status.nextAttemptAt, clock.now())
        XCTAssertNotNil(status.lastError)

        // "Send now" ends the backoff: the next pass tries at once.
        clock.advance(-2)
        let waiting = await sender.sendDue()
        XCTAssertEqual(try XCTUnwrap(waiting), 2, accuracy: 1e-6, "still waiting")
        sender.sendNow()
        let retried = await sender.sendDue()
        XCTAssertEqual(try XCTUnwrap(retried), 0.5, accuracy: 1e-6, "tried again, first failure since send now")
        XCTAssertEqual(try outbox.entry(ratingId: rating.ratingId)?.attempts, 7)
    }

    func testJitterSpreadsRetriesAndOneFailingRatingDoesNotHoldUpNewOnes() async throws {
        let clock = FakeClock()
        let (outbox, client) = try refusedOutbox(self, clock: clock)
        // Random numbers alternate between the rating's own delay and the sender's pause.
        let sender = OutboxSender(outbox: outbox, poster: client, policy: BackoffPolicy(base: 10, cap: 100, minimum: 0.25),
                                  concurrency: 1, clock: clock, random: FixedRandom([0.9, 0.1]))
        let old = Demo.rating("t-old")
        try outbox.store(old)
        let firstPass = await sender.sendDue()
        let pause = try XCTUnwrap(firstPass)
        XCTAssertEqual(pause, 1, accuracy: 1e-6, "the sender pauses u=0.1 × 10 s")
        let oldNext = try XCTUnwrap(outbox.entry(ratingId: old.ratingId)?.nextAttemptAt)
        XCTAssertEqual(oldNext.timeIntervalSince(clock.now()), 9, accuracy: 1e-6, "the rating itself waits u=0.9 × 10 s")

        // A rating stored after the pause is over goes first; the old one keeps its own wait.
        clock.advance(1)
        let new = Demo.rating("t-new")
        try outbox.store(new)
        _ = await sender.sendDue()
        XCTAssertEqual(try outbox.entry(ratingId: new.ratingId)?.attempts, 1)
        XCTAssertEqual(try outbox.entry(ratingId: old.ratingId)?.attempts, 1)
    }
}
