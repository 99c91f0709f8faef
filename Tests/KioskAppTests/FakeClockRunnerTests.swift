import Foundation
import HallTestSupport
import KioskEventStream
@testable import KioskApp
import KioskCore
import KioskSDL
import Logging
import XCTest

/// The run loop on a hand-moved clock: its screen timers follow the injected clock, not the machine's.
final class FakeClockRunnerTests: XCTestCase {
    func testTheOfflineGraceRunsOnTheInjectedClock() async throws {
        let k = try HandClockKiosk(name: "kiosk-clock")
        let (clock, runner, log) = (k.clock, k.runner, k.log)
        func turn(until condition: () -> Bool, seconds: Double) { k.turn(until: condition, seconds: seconds) }
        turn(until: { !log.matching("hallUnreachable").isEmpty }, seconds: 10)
        XCTAssertFalse(log.matching("hallUnreachable").isEmpty, "the first status request failed: \(log.tail())")
        // Real time passes, the kiosk's clock does not: the grace period does not run out.
        turn(until: { false }, seconds: 2.5)
        XCTAssertNotEqual(runner.screenName, .offline, "2.5 s of real time are not 2 s on the kiosk's clock")
        clock.advance(3)
        turn(until: { runner.screenName == .offline }, seconds: 5)
        XCTAssertEqual(runner.screenName, .offline, "3 s on the kiosk's clock end the 2 s grace")
        XCTAssertEqual(log.matching("screen", ["screen": "offline", "previous": "home"]).count, 1, log.tail())
        await k.close()
    }
}
