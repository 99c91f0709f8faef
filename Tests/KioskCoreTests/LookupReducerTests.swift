import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

final class LookupReducerTests: XCTestCase {
    func testKeypadTypesANumberAndLooksItUp() {
        var kiosk = KioskHarness()
        kiosk.tap("进度查询")
        XCTAssertFalse(kiosk.region(.keypad(.submit))?.enabled ?? true, "查询 waits for a number")
        for key in ["A", "0", "9", "删除", "2", "3"] { kiosk.tap(key) }
        guard case .lookup(let lookup) = kiosk.state.screen else { return XCTFail("expected lookup") }
        XCTAssertEqual(lookup.entry, "A023")
        XCTAssertTrue(kiosk.display.containsText("A023"))
        XCTAssertEqual(kiosk.tap("查询"), [.hall(.lookupTicket(.number("A023")))])
        XCTAssertTrue(kiosk.display.containsText("正在查询"))
        XCTAssertEqual(kiosk.tap("5"), [], "keys wait while looking up")
        kiosk.send(.lookupResult(DemoHall.progress(), query: .number("A023")))
        guard case .lookupResult = kiosk.state.screen else { return XCTFail("expected result") }
        XCTAssertTrue(kiosk.display.containsText("等候中"))
        XCTAssertTrue(kiosk.display.containsText("前面还有 3 人"))
        XCTAssertTrue(kiosk.display.containsText("预计等候约 9 分钟"))
    }

    func testClearEmptiesTheEntry() {
        var kiosk = KioskHarness()
        kiosk.tap("进度查询")
        kiosk.tap("B")
        kiosk.tap("1")
        kiosk.tap("清空")
        XCTAssertEqual(kiosk.state.screen, .lookup(LookupScreen(purpose: .progress, entry: "", phase: .editing)))
    }

    func testKeypadOffersTheHallsPrefixes() {
        var kiosk = KioskHarness()
        kiosk.tap("进度查询")
        let letters = kiosk.display.hitRegions.compactMap { region -> Character? in
            if case .keypad(.character(let character)) = region.action, character.isLetter { return character }
            return nil
        }
        XCTAssertEqual(String(letters), "ABCDEFGHJKZ")
    }

    func testNotFoundSaysSoAndAllowsAnotherTry() {
        var kiosk = KioskHarness()
        kiosk.tap("进度查询")
        kiosk.tap("A")
        kiosk.tap("9")
        kiosk.tap("查询")
        kiosk.send(.lookupFailed(.notFound, query: .number("A9")))
        XCTAssertTrue(kiosk.display.containsText("今天没有这个号码"))
        kiosk.tap("删除")
        kiosk.tap("8")
        XCTAssertEqual(kiosk.tap("查询"), [.hall(.lookupTicket(.number("A8")))])
    }

    func testScannedTicketURLLooksUpTheToken() {
        var kiosk = KioskHarness()
        kiosk.send(.text("http://127.0.0.1:8080/t/tok3nAbC_-x9\n"))
        XCTAssertEqual(kiosk.effects, [.hall(.lookupTicket(.token("tok3nAbC_-x9")))])
        XCTAssertEqual(kiosk.state.screen,
                       .lookup(LookupScreen(purpose: .progress, entry: "", phase: .pending(.token("tok3nAbC_-x9")))))
    }

    func testScannerTypingACharacterAtATimeThenEnter() {
        var kiosk = KioskHarness()
        kiosk.tap("进度查询")
        for character in "https://hall.example/t/XyZ123?src=qr" { kiosk.send(.text(String(character))) }
        XCTAssertEqual(kiosk.effects, [])
        kiosk.send(.key("Return"))
        XCTAssertEqual(kiosk.effects, [.hall(.lookupTicket(.token("XyZ123")))])
    }

    func testScannedOrTypedNumber() {
        var kiosk = KioskHarness()
        kiosk.send(.text("a023"))
        kiosk.send(.key("Return"))
        XCTAssertEqual(kiosk.effects, [.hall(.lookupTicket(.number("A023")))])
        guard case .lookup(let lookup) = kiosk.state.screen else { return XCTFail("expected lookup") }
        XCTAssertEqual(lookup.entry, "A023")
    }

    func testKeyboardOnTheLookupScreenFillsTheEntry() {
        var kiosk = KioskHarness()
        kiosk.tap("进度查询")
        kiosk.send(.text("c1"))
        kiosk.send(.text("2"))
        kiosk.send(.key("Backspace"))
        guard case .lookup(let lookup) = kiosk.state.screen else { return XCTFail("expected lookup") }
        XCTAssertEqual(lookup.entry, "C1")
        kiosk.send(.key("Return"))
        XCTAssertEqual(kiosk.effects, [.hall(.lookupTicket(.number("C1")))])
    }

    func testScannerIsIgnoredWhileATicketIsShown() {
        var kiosk = KioskHarness()
        kiosk.tap("户籍办理")
        kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        kiosk.send(.text("http://x/t/abc\n"))
        XCTAssertFalse(kiosk.effects.contains(.hall(.lookupTicket(.token("abc")))))
    }

    func testAnAnswerToAnOlderQueryIsDropped() {
        var kiosk = KioskHarness()
        kiosk.send(.text("A1\n"))
        kiosk.send(.lookupResult(DemoHall.progress(number: "A2"), query: .number("A2")))
        guard case .lookup = kiosk.state.screen else { return XCTFail("must not show another ticket") }
    }

    func testResultWordingForEachStatus() {
        let cases: [(TicketProgress, String)] = [
            (DemoHall.progress(status: .called, window: "2号窗口"), "已叫号，请到 2号窗口 办理"),
            (DemoHall.progress(status: .serving, window: "2号窗口"), "正在 2号窗口 办理"),
            (DemoHall.progress(status: .completed), "已办结"),
            (DemoHall.progress(status: .noShow), "已过号，请到窗口说明，可重新排队"),
            (DemoHall.progress(ahead: 0), "前面没有人"),
        ]
        for (progress, words) in cases {
            var kiosk = KioskHarness()
            kiosk.send(.text("A023\n"))
            kiosk.send(.lookupResult(progress, query: .number("A023")))
            XCTAssertTrue(kiosk.display.containsText(words), words)
        }
    }

    func testAnExpiredTicketSaysItWasNotServedInBothLanguages() {
        var kiosk = KioskHarness()
        kiosk.send(.text("A023\n"))
        kiosk.send(.lookupResult(DemoHall.progress(status: .expired), query: .number("A023")))
        XCTAssertTrue(kiosk.display.containsText("未办理：当日办理时间已结束，请重新取号"))
        var english = KioskHarness()
        english.tap("English")
        english.send(.text("A023\n"))
        english.send(.lookupResult(DemoHall.progress(status: .expired), query: .number("A023")))
        XCTAssertTrue(english.display.containsText("Not served — the hall day ended before this number was called; please take a new number"))
    }

    func testATransferredTicketSaysWhereItWentInBothLanguages() {
        var progress = DemoHall.progress()
        progress.transferredFrom = progress.service
        progress.service = ServiceRef(id: "idcard", name: LocalizedText(zh: "身份证办理", en: "ID card"), prefix: "B")
        var kiosk = KioskHarness()
        kiosk.send(.text("A023\n"))
        kiosk.send(.lookupResult(progress, query: .number("A023")))
        XCTAssertTrue(kiosk.display.containsText("已转至身份证办理"))
        var english = KioskHarness()
        english.tap("English")
        english.send(.text("A023\n"))
        english.send(.lookupResult(progress, query: .number("A023")))
        XCTAssertTrue(english.display.containsText("Transferred to ID card"))
    }

    func testRatingEntryFindsTheTicketAndSaysWhenItWasRatedAlready() {
        var kiosk = KioskHarness()
        kiosk.tap("评价")
        XCTAssertTrue(kiosk.display.containsText("评价服务"))
        kiosk.send(.text("A023\n"))
        XCTAssertEqual(kiosk.send(.text("0427\n")), [.hall(.lookupTicket(.numberWithCode("A023", code: "0427")))])
        kiosk.send(.lookupResult(DemoHall.progress(status: .completed, canRate: false, rated: true),
                                 query: .numberWithCode("A023", code: "0427")))
        XCTAssertTrue(kiosk.display.containsText("已经评价过"))
        kiosk.tap("再查一个")
        XCTAssertEqual(kiosk.state.screen, .lookup(LookupScreen(purpose: .rating)))
    }

    func testScanTextHelpers() {
        XCTAssertEqual(ScanText.token(in: "https://h/t/abc/def"), "abc")
        XCTAssertEqual(ScanText.token(in: "https://h/t/abc#x"), "abc")
        XCTAssertNil(ScanText.token(in: "https://h/t/"))
        XCTAssertNil(ScanText.token(in: "A023"))
        XCTAssertEqual(ScanText.ticketNumber(in: " a-023 "), "A023")
        XCTAssertNil(ScanText.ticketNumber(in: "号码"))
        XCTAssertNil(ScanText.ticketNumber(in: "ABCDEFGHIJ"))
    }
}
