import Foundation
import HallAPI
import HallTestSupport
@testable import KioskCore
import XCTest

/// The engine tells the adapter to redraw only when the frame changes; clock ticks within a minute do not.
final class EngineRedrawTests: XCTestCase {
    func testTicksWithinAMinuteDoNotRedrawButTheNextMinuteDoes() throws {
        let start = try XCTUnwrap(RFC3339.parse("2026-11-23T09:30:00+08:00"))
        let context = KioskContext(display: DisplayEnvironment(size: Size(width: 1080, height: 1920), strings: try Strings.bundled()))
        var engine = KioskEngine(state: KioskState(now: start, intentKeySeed: "redraw"), context: context)
        _ = engine.handle(.hallStatusArrived(DemoHall.status(), at: start))
        var redraws = 0
        for second in 1...59 where engine.handle(.tick(now: start.addingTimeInterval(Double(second)))).frameChanged {
            redraws += 1
        }
        XCTAssertEqual(redraws, 0, "no redraw while only the seconds change")
        XCTAssertTrue(engine.handle(.tick(now: start.addingTimeInterval(60))).frameChanged, "the clock shows the new minute")
        let before = engine.display
        XCTAssertFalse(engine.handle(.tick(now: start.addingTimeInterval(61))).frameChanged)
        XCTAssertEqual(engine.display, before)
        XCTAssertTrue(engine.display.containsText("09:31"))
    }
}
