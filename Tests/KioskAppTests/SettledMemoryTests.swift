import Foundation
import HallAPI
import HallTestSupport
import KioskCore
import KioskEventStream
@testable import KioskApp
import KioskSDL
import Logging
import XCTest

/// When a kiosk done with a citizen gives memory back: after resting `quietSeconds` at a resting screen, once per
/// citizen, never in the middle of one.
final class SettledMemoryTests: XCTestCase {
    func testAKioskNobodyTouchedKeepsItsStartUpReleaseAndDoesNothingMore() {
        let policy = SettledMemory(startedAt: 100)
        XCTAssertNil(policy.due(on: .home), "start-up pages went back with the first frame")
        XCTAssertFalse(policy.isDue(on: .home, at: 10_000), "an idle kiosk spends no CPU on releases")
    }

    func testACitizenIsFollowedByOneReleaseOnceTheKioskHasRested() {
        var policy = SettledMemory(startedAt: 100)
        policy.noteActivity(at: 200)
        XCTAssertEqual(policy.due(on: .home), 200 + SettledMemory.quietSeconds)
        XCTAssertFalse(policy.isDue(on: .home, at: 200 + SettledMemory.quietSeconds - 0.01))
        XCTAssertTrue(policy.isDue(on: .home, at: 200 + SettledMemory.quietSeconds))
        policy.released()
        XCTAssertNil(policy.due(on: .home), "nothing ran since: no second release")
        XCTAssertFalse(policy.isDue(on: .home, at: 10_000), "a quiet kiosk gives memory back once, not every minute")
    }

    func testEachCitizenIsFollowedByOneReleaseCountedFromTheLastTouch() {
        var policy = SettledMemory(startedAt: 0)
        policy.released()
        policy.noteActivity(at: 50)  // the touch on a service
        policy.noteActivity(at: 52)  // back home
        XCTAssertEqual(policy.due(on: .home), 52 + SettledMemory.quietSeconds, "the rest counts from the last activity")
        XCTAssertFalse(policy.isDue(on: .home, at: 61.9))
        XCTAssertTrue(policy.isDue(on: .home, at: 62))
        policy.released()
        XCTAssertFalse(policy.isDue(on: .home, at: 500))
    }

    func testACitizenBusyAtTheKioskIsNeverInterrupted() {
        var policy = SettledMemory(startedAt: 0)
        policy.noteActivity(at: 0)
        for screen in [DeviceScreen.issuing, .ticket, .lookup, .lookupResult, .rating, .adminPin, .admin, .checkin, .starting] {
            XCTAssertNil(policy.due(on: screen), "\(screen) is a citizen's (or hall IT's) screen")
            XCTAssertFalse(policy.isDue(on: screen, at: 1_000), "\(screen)")
        }
        for screen in [DeviceScreen.home, .ratingIdle, .closed, .offline] {
            XCTAssertTrue(policy.isDue(on: screen, at: 1_000), "\(screen) is where a kiosk waits")
        }
    }

    /// The run loop on a hand-moved clock: the kiosk gives memory back (`memoryReturned`) once it has rested, and only
    /// again after a touch.
    func testTheRunLoopGivesMemoryBackAfterARestAndAgainOnlyAfterATouch() async throws {
        // Nothing listens on port 1: the kiosk rests on its offline screen (a resting screen) or home.
        let k = try HandClockKiosk(name: "kiosk-settle")
        let (clock, window, runner, log) = (k.clock, k.window, k.runner, k.log)
        func turn(until condition: () -> Bool, seconds: Double) { k.turn(until: condition, seconds: seconds) }
        turn(until: { !log.matching("hallUnreachable").isEmpty }, seconds: 10)
        clock.advance(3)
        turn(until: { runner.screenName == .offline }, seconds: 5)
        XCTAssertEqual(runner.screenName, .offline, log.tail())
        turn(until: { false }, seconds: 0.3)
        XCTAssertEqual(runner.memoryReturns, 0, "not before the kiosk has rested: \(log.tail())")
        clock.advance(KioskRunner.restSecondsBeforeMemoryReturn + 1)
        turn(until: { runner.memoryReturns > 0 }, seconds: 5)
        XCTAssertEqual(runner.memoryReturns, 1, "given back after the rest: \(log.tail())")
        turn(until: { !log.matching("memoryReturned").isEmpty }, seconds: 2)
        XCTAssertEqual(log.matching("memoryReturned").count, 1, log.tail())
        clock.advance(120)
        turn(until: { false }, seconds: 0.3)
        XCTAssertEqual(runner.memoryReturns, 1, "a resting kiosk with nothing new gives back once")
        window.inject(.touchDown(Point(x: 270, y: 900)))
        window.inject(.touchUp(Point(x: 270, y: 900)))
        turn(until: { false }, seconds: 0.3)
        clock.advance(KioskRunner.restSecondsBeforeMemoryReturn + 1)
        turn(until: { runner.memoryReturns > 1 }, seconds: 5)
        XCTAssertEqual(runner.memoryReturns, 2, "a touch is activity: given back again after the next rest (screen \(runner.screenName))")
        await k.close()
    }
}
