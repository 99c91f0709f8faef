import Foundation
import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

/// Issue 20, items 9–13: what confused citizens at the kiosk, each as the reducer and the view see it.
final class CitizenFrustrationTests: XCTestCase {
    // MARK: 9 — the next person starts from the hall's defaults; the phone page speaks the ticket's language

    func testDoneAfterATicketReturnsToTheHallsLanguageAndTextSize() throws {
        var kiosk = KioskHarness()
        kiosk.tap("English")
        kiosk.tap("Large text")
        XCTAssertEqual(kiosk.state.language, .en)
        XCTAssertTrue(kiosk.state.largeText)
        kiosk.tap("Household registration")
        kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        kiosk.advance(2)
        kiosk.tap("Done")
        XCTAssertEqual(kiosk.state.screen, .home(HomePosition()))
        XCTAssertEqual(kiosk.state.language, .zh, "the next citizen finds the hall's default language")
        XCTAssertFalse(kiosk.state.largeText, "and normal text")
    }

    func testTheTicketScreenTimingOutAlsoForgetsTheCitizensChoices() {
        var kiosk = KioskHarness()
        kiosk.tap("English")
        kiosk.tap("Household registration")
        kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        kiosk.send(.printFinished(ticketId: "t-A023", outcome: .printed))
        kiosk.advance(kiosk.context.ticketScreenSeconds + 1)
        XCTAssertEqual(kiosk.state.screen, .home(HomePosition()))
        XCTAssertEqual(kiosk.state.language, .zh)
    }

    func testReturningHomeFromTheKeypadKeepsTheCitizensLanguage() {
        var kiosk = KioskHarness()
        kiosk.tap("English")
        kiosk.tap("Check progress")
        kiosk.tap("Back to start")
        XCTAssertEqual(kiosk.state.language, .en, "the same citizen is still there: only a finished visit resets")
    }

    func testATicketTakenInEnglishLinksToTheEnglishPhonePage() throws {
        var kiosk = KioskHarness()
        kiosk.tap("English")
        kiosk.tap("Household registration")
        let effects = kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        let expected = DemoHall.lookupUrl + "?lang=en"
        guard case .ticket(let screen) = kiosk.state.screen else { return XCTFail("expected the ticket") }
        XCTAssertEqual(screen.ticket.lookupUrl, expected, "only the language is added: the token stays the only key")
        XCTAssertTrue(effects.contains { if case .printer(.printTicket(let t)) = $0 { t.lookupUrl == expected } else { false } },
                      "the printed QR code carries the language too")
        XCTAssertTrue(kiosk.display.items.contains { if case .qr(let payload, _) = $0 { payload == expected } else { false } })
    }

    func testATicketTakenInChineseKeepsThePlainLink() {
        var kiosk = KioskHarness()
        kiosk.tap("户籍办理")
        kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        guard case .ticket(let screen) = kiosk.state.screen else { return XCTFail("expected the ticket") }
        XCTAssertEqual(screen.ticket.lookupUrl, DemoHall.lookupUrl)
    }

    // MARK: 10 — what to do, the printer before choosing, honest waits

    func testHomeSaysWhatToDoInEitherLanguage() {
        var kiosk = KioskHarness()
        XCTAssertTrue(kiosk.display.containsText("请选择要办理的业务"))
        kiosk.tap("English")
        XCTAssertTrue(kiosk.display.containsText("Choose a service"))
    }

    func testAPrinterThatCannotPrintIsSaidOnHomeBeforeTheCitizenChooses() {
        var kiosk = KioskHarness()
        XCTAssertFalse(kiosk.display.containsText("打印机暂时不能出票"))
        kiosk.send(.printerChanged(PrinterHealth(condition: .paperOut, reasons: ["media-empty"])))
        XCTAssertTrue(kiosk.display.containsText("打印机暂时不能出票"), "the banner shows on home")
        XCTAssertNotNil(kiosk.region(.takeNumber(serviceId: "hukou")), "numbers are still taken (as e-tickets)")
        kiosk.tap("English")
        XCTAssertTrue(kiosk.display.containsText("The printer cannot print now"))
        kiosk.send(.printerChanged(PrinterHealth(condition: .ok, reasons: [])))
        XCTAssertFalse(kiosk.display.containsText("The printer cannot print now"), "gone once it prints again")
    }

    func testNoWindowOpenIsSaidInsteadOfNoWait() throws {
        var services = DemoHall.services
        services[1].openWindows = 0  // idcard: nobody waiting, nobody serving
        services[0].openWindows = 0  // hukou: 5 waiting, nobody serving
        services[3].openWindows = 2
        var kiosk = KioskHarness(status: DemoHall.status(services: services))
        let idcard = try XCTUnwrap(kiosk.region(.takeNumber(serviceId: "idcard")))
        XCTAssertTrue(idcard.label.contains("暂无窗口办理"), idcard.label)
        XCTAssertFalse(idcard.label.contains("现在无需等候"), idcard.label)
        XCTAssertTrue(try XCTUnwrap(kiosk.region(.takeNumber(serviceId: "hukou"))).label.contains("等候 5 人 · 暂无窗口办理"))
        XCTAssertTrue(try XCTUnwrap(kiosk.region(.takeNumber(serviceId: "social-insurance"))).label.contains("约 28 分钟"),
                      "an open window keeps the estimate")
        kiosk.tap("English")
        XCTAssertTrue(try XCTUnwrap(kiosk.region(.takeNumber(serviceId: "idcard"))).label.contains("No window open yet"))
    }

    // MARK: 11 — 绿色通道

    func testAPriorityLaneIsChosenBeforeTheServiceAndSentWithIt() throws {
        var status = DemoHall.status()
        status.kioskPriorityLanes = [.elderly, .disabled]
        var kiosk = KioskHarness(status: status)
        kiosk.tap("绿色通道·老年人")
        XCTAssertEqual(kiosk.state.priorityLane, .elderly)
        XCTAssertTrue(kiosk.display.containsText("绿色通道·老年人：请选择要办理的业务"))
        let effects = kiosk.tap("户籍办理")
        XCTAssertEqual(effects, [.hall(.issueTicket(serviceId: "hukou", intentKey: "boot-1", priority: .elderly))])
        var ticket = DemoHall.ticket()
        ticket.priority = .elderly
        kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: ticket))
        XCTAssertTrue(kiosk.display.containsText("绿色通道·老年人"), "the ticket screen shows the lane")
        kiosk.advance(2)
        kiosk.tap("完成")
        XCTAssertNil(kiosk.state.priorityLane, "the next citizen starts without a lane")
    }

    func testTheSameLaneAgainDropsItAndARetryKeepsIt() throws {
        var status = DemoHall.status()
        status.kioskPriorityLanes = [.disabled]
        var kiosk = KioskHarness(status: status)
        kiosk.tap("绿色通道·残障人士")
        kiosk.tap("绿色通道·残障人士")
        XCTAssertNil(kiosk.state.priorityLane)
        kiosk.tap("绿色通道·残障人士")
        kiosk.tap("户籍办理")
        kiosk.send(.ticketFailed(intentKey: "boot-1", failure: IssueFailure(kind: .network, message: "down")))
        XCTAssertEqual(kiosk.effects.last, .hall(.issueTicket(serviceId: "hukou", intentKey: "boot-1", priority: .disabled)),
                       "the automatic retry asks for the same lane under the same key")
    }

    func testNoLaneButtonWhenTheHallOffersNone() {
        let kiosk = KioskHarness()
        XCTAssertFalse(kiosk.display.hitRegions.contains { if case .choosePriority = $0.action { true } else { false } })
        var offered = DemoHall.status()
        offered.kioskPriorityLanes = [.elderly]
        let withLane = KioskHarness(status: offered)
        XCTAssertNotNil(withLane.region(.choosePriority(.elderly)))
        XCTAssertNil(withLane.region(.choosePriority(.disabled)), "only the lanes the hall configures")
    }

    // MARK: 12 — lookup input, the rating entry's words, 过号

    func testFullWidthAndLowerCaseLettersAreTypedAsTheNumber() {
        var kiosk = KioskHarness()
        kiosk.tap("进度查询")
        kiosk.send(.text("ａ３"))
        guard case .lookup(let lookup) = kiosk.state.screen else { return XCTFail("expected the keypad") }
        XCTAssertEqual(lookup.entry, "A3", "the server then reads A3 as A003")
        XCTAssertEqual(ScanText.ticketNumber(in: "ｂ０１２"), "B012")
        XCTAssertEqual(ScanText.ticketNumber(in: "c7"), "C7")
    }

    func testTheRatingEntrySaysNextNotLookUp() throws {
        var kiosk = KioskHarness()
        kiosk.tap("评价")
        XCTAssertTrue(try XCTUnwrap(kiosk.region(.keypad(.submit))).label.contains("下一步"))
        kiosk.send(.text("A023"))
        kiosk.tap("下一步")
        guard case .lookup(let lookup) = kiosk.state.screen, lookup.step == .code else { return XCTFail("expected the code step") }
        let label = try XCTUnwrap(kiosk.region(.keypad(.submit))).label
        XCTAssertTrue(label.contains("下一步"), label)
        XCTAssertFalse(label.contains("查询"), label)
        var english = KioskHarness(language: .en)
        english.tap(english.state.language == .en ? "Rate" : "评价")
        XCTAssertTrue(try XCTUnwrap(english.region(.keypad(.submit))).label.contains("Next"))
    }

    func testAMissedTicketIsNotPromisedARatingAfterCompletion() {
        for status in [TicketStatus.noShow, .expired] {
            var kiosk = KioskHarness()
            kiosk.state.screen = .lookupResult(LookupResultScreen(purpose: .rating,
                                                                  progress: DemoHall.progress(status: status, ahead: nil)))
            XCTAssertFalse(kiosk.display.containsText("办结后才能评价"), "\(status)")
            XCTAssertTrue(kiosk.display.containsText("此号没有办理业务，无法评价"), "\(status)")
            kiosk.state.language = .en
            XCTAssertTrue(kiosk.display.containsText("nothing to rate"), "\(status)")
        }
        var waiting = KioskHarness()
        waiting.state.screen = .lookupResult(LookupResultScreen(purpose: .rating, progress: DemoHall.progress()))
        XCTAssertTrue(waiting.display.containsText("办结后才能评价"), "a waiting ticket still will be")
    }

    // MARK: 13 — next openings, large text, the ticket headline

    func testClosedAndStoppedServicesSayWhenTheyNextOpen() throws {
        var services = Array(DemoHall.services.prefix(4))
        services[0].state = .closed; services[0].reason = .afterClosing
        services[0].nextOpening = NextOpening(day: "2026-11-23", weekday: 2, inDays: 1, start: "08:30")
        services[0].openWeekdays = [2, 3, 4, 5, 6]
        services[1].state = .closed; services[1].reason = .noSessionToday
        services[1].nextOpening = NextOpening(day: "2026-11-28", weekday: 7, inDays: 6, start: "09:00")
        services[1].openWeekdays = [7]
        services[2].state = .closed; services[2].reason = .issuingStopped; services[2].opensAt = "13:30"
        services[3].state = .closed; services[3].reason = .closedDate
        services[3].nextOpening = NextOpening(day: "2026-11-25", weekday: 4, inDays: 3, start: "08:30")
        services[3].openWeekdays = [2, 3, 4, 5, 6]
        var kiosk = KioskHarness(status: DemoHall.status(services: services))
        func label(_ id: String) -> String { kiosk.region(.takeNumber(serviceId: id))?.label ?? "(no button for \(id))" }
        XCTAssertTrue(label("hukou").contains("明天 08:30 开始取号"), label("hukou"))
        XCTAssertTrue(label("idcard").contains("每周六办理"), label("idcard"))
        XCTAssertTrue(label("exit-entry").contains("13:30 开始取号"), label("exit-entry"))
        XCTAssertTrue(label("social-insurance").contains("星期三 08:30 开始取号"), label("social-insurance"))
        kiosk.tap("English")
        XCTAssertTrue(label("hukou").contains("Numbers from 08:30 tomorrow"), label("hukou"))
        XCTAssertTrue(label("idcard").contains("Only on Saturdays"), label("idcard"))
        XCTAssertTrue(label("social-insurance").contains("Numbers from 08:30 on Wednesday"), label("social-insurance"))
    }

    func testLargeTextKeepsEveryLabelLarge() {
        for size in [Size(width: 1080, height: 1920), Size(width: 1920, height: 1080), Size(width: 1280, height: 800)] {
            for language in [Language.zh, .en] {
                var kiosk = KioskHarness(size: size, language: language)
                kiosk.send(.printerChanged(PrinterHealth(condition: .paperOut, reasons: [])))
                kiosk.tap(language == .zh ? "大字" : "Large text")
                XCTAssertTrue(kiosk.state.largeText)
                let floor = Metrics(size: size, largeText: true).largeTextFloor
                var screens: [(String, DisplayList)] = [("home", kiosk.display)]
                kiosk.tap(language == .zh ? "户籍办理" : "Household registration")
                kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
                screens.append(("ticket", kiosk.display))
                kiosk.state.screen = .lookup(LookupScreen(purpose: .progress))
                screens.append(("lookup", kiosk.display))
                for (name, list) in screens {
                    let small = list.texts.filter { $0.pointSize < floor }
                    XCTAssertTrue(small.isEmpty, "\(size) \(language) \(name): \(small.map { "\($0.string) \($0.pointSize)" })")
                }
            }
        }
    }

    func testTheTicketHeadlineFollowsThePrinter() {
        var kiosk = KioskHarness()
        kiosk.tap("户籍办理")
        kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        XCTAssertTrue(kiosk.display.containsText("正在出票，请稍候"), "no 'take your ticket' before it is printed")
        XCTAssertFalse(kiosk.display.containsText("请取走您的号票"))
        kiosk.send(.printFinished(ticketId: "t-A023", outcome: .printed))
        XCTAssertTrue(kiosk.display.containsText("请取走您的号票"))
        var failed = KioskHarness()
        failed.tap("户籍办理")
        failed.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        failed.send(.printFinished(ticketId: "t-A023", outcome: .failed(reason: "media-empty")))
        XCTAssertTrue(failed.display.containsText("请用手机拍下二维码"))
        XCTAssertFalse(failed.display.containsText("请取走您的号票"))
    }
}
