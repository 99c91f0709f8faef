import Foundation
import HallAPI
import XCTest
@testable import KioskCore

final class ViewAndScriptTests: XCTestCase {
    func testViewIsPureAndStable() {
        let kiosk = KioskHarness()
        XCTAssertEqual(kiosk.display, kiosk.display)
        XCTAssertEqual(view(kiosk.state, in: kiosk.context.display),
                       view(kiosk.state, size: kiosk.context.display.size, strings: KioskHarness.strings))
    }

    func testClockChangesOnlyTheClockText() {
        var kiosk = KioskHarness()
        let before = kiosk.display
        kiosk.advance(1)
        XCTAssertEqual(kiosk.display, before, "a tick within the same minute changes nothing on screen")
        kiosk.advance(60)
        let changed = zip(before.items, kiosk.display.items).filter { $0 != $1 }
        XCTAssertEqual(changed.count, 1, "only the clock")
        XCTAssertTrue(kiosk.display.containsText("09:31"))
    }

    func testScriptCommandsBecomeInputEvents() throws {
        var kiosk = KioskHarness()
        let lines = try ScriptParser.parse("""
        tap-text 户籍办理
        expect-text 正在为您取号
        """)
        for event in try lines[0].command.events(on: kiosk.display, line: lines[0].number) { kiosk.send(event) }
        XCTAssertEqual(kiosk.issueEffects.count, 1)
        XCTAssertEqual(lines[1].command.isSatisfied(by: kiosk.display), true)
        XCTAssertEqual(ScriptCommand.expectNoText("正在为您取号").isSatisfied(by: kiosk.display), false)
        XCTAssertNil(ScriptCommand.quit.isSatisfied(by: kiosk.display))
        XCTAssertEqual(try ScriptCommand.type("A023").events(on: kiosk.display, line: 1), [.text("A023")])
        XCTAssertEqual(try ScriptCommand.tap(x: 3, y: 4).events(on: kiosk.display, line: 1),
                       [.touchDown(x: 3, y: 4), .touchUp(x: 3, y: 4)])
        XCTAssertThrowsError(try ScriptCommand.tapText("没有这个").events(on: kiosk.display, line: 7)) { error in
            XCTAssertEqual((error as? ScriptError)?.line, 7)
        }
    }

    func testEndToEndScriptedSessionTakesANumber() throws {
        var kiosk = KioskHarness(size: Size(width: 1280, height: 800), language: .zh)
        let script = try ScriptParser.parse("""
        tap-text English
        tap-text Public Security
        tap-text Passports
        expect-text Taking your number
        """)
        for line in script {
            for event in try line.command.events(on: kiosk.display, line: line.number) { kiosk.send(event) }
            if let satisfied = line.command.isSatisfied(by: kiosk.display) {
                XCTAssertTrue(satisfied, "line \(line.number)")
            }
        }
        XCTAssertEqual(kiosk.issueEffects, [.hall(.issueTicket(serviceId: "exit-entry", intentKey: "boot-1"))])
    }

    func testHomeViewIsFast() {
        let kiosk = KioskHarness()
        let measurer = CachingTextMeasurer(EstimatingTextMeasurer())
        let start = Date()
        for _ in 0..<50 {
            _ = view(kiosk.state, size: kiosk.context.display.size, strings: KioskHarness.strings, measurer: measurer)
        }
        let perFrame = Date().timeIntervalSince(start) / 50
        XCTAssertLessThan(perFrame, 0.05, "home view took \(perFrame * 1000) ms (debug build)")
    }

    /// One home layout measures far fewer strings than the caching measurer keeps (half its limit, one
    /// generation), so a warm frame never measures with the font again.
    func testHomeLayoutFitsInTheMeasurementCache() {
        let kiosk = KioskHarness()
        let counting = CountingTextMeasurer()
        let measurer = CachingTextMeasurer(counting)
        _ = view(kiosk.state, size: kiosk.context.display.size, strings: KioskHarness.strings, measurer: measurer)
        let cold = counting.calls
        XCTAssertLessThan(measurer.count, 1024, "distinct measurements of one home layout")
        _ = view(kiosk.state, size: kiosk.context.display.size, strings: KioskHarness.strings, measurer: measurer)
        XCTAssertEqual(counting.calls, cold, "a warm layout measures nothing")
        print("home layout: \(measurer.count) distinct measurements")
    }
}


final class KioskEngineTests: XCTestCase {
    func testEngineRedrawsOnlyWhenTheFrameChanges() throws {
        let harness = KioskHarness()
        var engine = KioskEngine(state: harness.state, context: harness.context)
        XCTAssertFalse(engine.handle(.tick(now: harness.state.now.addingTimeInterval(1), uptime: harness.state.uptime + 1)).frameChanged)
        XCTAssertTrue(engine.handle(.tick(now: harness.state.now.addingTimeInterval(61), uptime: harness.state.uptime + 61)).frameChanged,
                      "the clock")
        let region = try XCTUnwrap(engine.display.hitRegions.first { $0.action == .takeNumber(serviceId: "hukou") })
        XCTAssertTrue(engine.handle(.touchDown(x: region.frame.midX, y: region.frame.midY)).frameChanged, "pressed look")
        let up = engine.handle(.touchUp(x: region.frame.midX, y: region.frame.midY))
        XCTAssertEqual(up.effects, [.hall(.issueTicket(serviceId: "hukou", intentKey: "boot-1"))])
        XCTAssertTrue(up.frameChanged)
        engine.resize(to: Size(width: 1920, height: 1080))
        XCTAssertEqual(engine.display.size, Size(width: 1920, height: 1080))
    }
}

final class DegenerateSizeTests: XCTestCase {
    func testTinyZeroAndBrokenSizesDoNotCrash() {
        for size in [Size(width: 0, height: 0), Size(width: 1, height: 1), Size(width: 120, height: 90),
                     Size(width: .nan, height: .infinity), Size(width: 4000, height: 300)] {
            for scenario in Scenario.allCases {
                _ = scenario.harness(size: size, language: .zh).display
                _ = scenario.harness(size: size, language: .en, largeText: true).display
            }
        }
    }
}
