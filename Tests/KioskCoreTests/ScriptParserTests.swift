import XCTest
@testable import KioskCore

final class ScriptParserTests: XCTestCase {
    func testEveryCommand() throws {
        let script = """
        # take a number for 户籍
        tap 540 960
        tap-text 户籍办理
        type http://127.0.0.1:8080/t/abc def
        key Return

        wait 500
        wait-text 请取走您的号票 3000
        wait-text 请取走您的号票
        wait-text Page 2
        expect-text 今日号源已满
        expect-no-text 暂时不能取号
        screenshot out/home page.png
        quit
        """
        let lines = try ScriptParser.parse(script)
        XCTAssertEqual(lines.map(\.command), [
            .tap(x: 540, y: 960),
            .tapText("户籍办理"),
            .type("http://127.0.0.1:8080/t/abc def"),
            .key("Return"),
            .wait(milliseconds: 500),
            .waitText("请取走您的号票", timeoutMilliseconds: 3000),
            .waitText("请取走您的号票", timeoutMilliseconds: 5000),
            .waitText("Page", timeoutMilliseconds: 2),
            .expectText("今日号源已满"),
            .expectNoText("暂时不能取号"),
            .screenshot(path: "out/home page.png"),
            .quit,
        ])
        XCTAssertEqual(lines.map(\.number), [2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14])
    }

    func testErrorsNameTheLine() {
        let bad: [(String, Int, String)] = [
            ("tap 1", 1, "two pixel coordinates"),
            ("\n\ntap x y", 3, "two pixel coordinates"),
            ("wait soon", 1, "milliseconds"),
            ("# ok\ntap-text", 2, "needs a text"),
            ("jump 3", 1, "unknown command 'jump'"),
            ("quit now", 1, "takes nothing"),
        ]
        for (script, line, message) in bad {
            XCTAssertThrowsError(try ScriptParser.parse(script), script) { error in
                guard let error = error as? ScriptError else { return XCTFail("wrong error type") }
                XCTAssertEqual(error.line, line, script)
                XCTAssertTrue(error.message.contains(message), error.message)
                XCTAssertTrue(error.description.hasPrefix("script line \(line):"))
            }
        }
    }

    func testWaitEventAndWaitStdin() throws {
        let lines = try ScriptParser.parse("""
            wait-event printer condition=ok 30000
            wait-event screen screen=home previous=ticket
            wait-event hallReachable
            wait-stdin server-stopped 15000
            wait-stdin go
            """)
        XCTAssertEqual(lines.map(\.command), [
            .waitEvent(EventPattern(event: "printer", fields: ["condition": "ok"]), timeoutMilliseconds: 30000),
            .waitEvent(EventPattern(event: "screen", fields: ["screen": "home", "previous": "ticket"]), timeoutMilliseconds: 5000),
            .waitEvent(EventPattern(event: "hallReachable"), timeoutMilliseconds: 5000),
            .waitStdin("server-stopped", timeoutMilliseconds: 15000),
            .waitStdin("go", timeoutMilliseconds: 5000),
        ])
        let pattern = EventPattern(event: "screen", fields: ["screen": "home", "previous": "ticket"])
        XCTAssertEqual(pattern.description, "screen previous=ticket screen=home")
        XCTAssertTrue(pattern.matches(name: "screen", fields: ["screen": "home", "previous": "ticket", "seq": "3"]))
        XCTAssertFalse(pattern.matches(name: "screen", fields: ["screen": "home", "previous": "starting"]))
        XCTAssertFalse(pattern.matches(name: "printer", fields: ["screen": "home", "previous": "ticket"]))

        let bad: [(String, String)] = [
            ("wait-event", "needs an event name first"),
            ("wait-event 3000", "needs an event name first"),
            ("wait-event condition=ok", "needs an event name first"),
            ("wait-event printer ok 3000", "'ok' is neither"),
            ("wait-event printer =ok", "'=ok' is neither"),
            ("wait-event printer a=1 a=2", "names the field 'a' twice"),
            ("wait-event printer -5", "0 or more"),
            ("wait-stdin", "needs a text"),
        ]
        for (script, message) in bad {
            XCTAssertThrowsError(try ScriptParser.parse(script), script) { error in
                XCTAssertTrue((error as? ScriptError)?.message.contains(message) == true, "\(script): \(error)")
            }
        }
    }

    func testTapTextAndExpectTextHelpers() throws {
        let kiosk = KioskHarness()
        let display = kiosk.display
        let point = try XCTUnwrap(display.tapPoint(forLabelContaining: "户籍办理"))
        XCTAssertEqual(display.hitRegion(at: point)?.action, .takeNumber(serviceId: "hukou"))
        XCTAssertNil(display.tapPoint(forLabelContaining: "不存在的按钮"))
        XCTAssertTrue(display.containsText("示范县政务服务中心"))
        XCTAssertTrue(display.containsText("等候 5 人"))
        XCTAssertFalse(display.containsText("暂时不能取号"))
    }

    /// `expect-text` finds a text wrapped over lines, but never a phrase made of words from different blocks.
    func testExpectTextJoinsTheLinesOfOneBlockOnly() {
        let kiosk = KioskHarness(size: Size(width: 1280, height: 800), language: .en)
        let display = kiosk.display
        let wrapped = display.textBlocks.first { $0.count > 1 }
        XCTAssertNotNil(wrapped, "some text wraps at 1280×800 in English")
        if let wrapped {
            XCTAssertTrue(display.containsText(wrapped.joined(separator: " ")), "a wrapped block reads as one text")
        }
        // The clock and the hall name are different blocks: a phrase across them is not on screen.
        XCTAssertTrue(display.containsText("Demo County Government Service Centre"))
        XCTAssertFalse(display.containsText("Centre Saturday"), "words of two blocks are not one text")
        XCTAssertFalse(display.containsText("Check progressRate a service"))
        XCTAssertFalse(display.containsText("Check progress Rate a service"))
    }
}
