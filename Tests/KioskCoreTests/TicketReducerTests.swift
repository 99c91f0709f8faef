import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

final class TicketReducerTests: XCTestCase {
    func kioskShowingTicket(configure: (inout KioskContext) -> Void = { _ in }) -> KioskHarness {
        var kiosk = KioskHarness(configure: configure)
        kiosk.tap("户籍办理")
        kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        return kiosk
    }

    func testTicketScreenReturnsHomeAfterItsTime() {
        var kiosk = kioskShowingTicket { $0.ticketScreenSeconds = 20 }
        kiosk.send(.printFinished(ticketId: "t-A023", outcome: .printed))
        XCTAssertTrue(kiosk.display.containsText("号票已打印"))
        kiosk.advanceBySeconds(19)
        guard case .ticket = kiosk.state.screen else { return XCTFail("left the ticket too early") }
        kiosk.advance(1)
        guard case .home = kiosk.state.screen else { return XCTFail("expected home after 20 s") }
    }

    func testTheSecondTapOfADoubleTapDoesNotCloseTheTicket() {
        var kiosk = KioskHarness()
        let service = kiosk.region(.takeNumber(serviceId: "hukou"))?.frame.center ?? Point(x: 0, y: 0)
        kiosk.tap(at: service)
        kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        kiosk.tap(at: service)
        kiosk.tap("完成")
        guard case .ticket = kiosk.state.screen else { return XCTFail("the ticket must stay after a double tap") }
        XCTAssertEqual(kiosk.issueEffects.count, 1)
        kiosk.advance(2)
        kiosk.tap("完成")
        guard case .home = kiosk.state.screen else { return XCTFail("完成 works after a moment") }
    }

    func testTouchAnywhereOrDoneReturnsHome() {
        var kiosk = kioskShowingTicket()
        kiosk.advance(2)
        kiosk.tap(at: Point(x: 5, y: 1000))
        guard case .home = kiosk.state.screen else { return XCTFail("a touch outside the buttons returns home") }
        var other = kioskShowingTicket()
        other.advance(2)
        other.tap("完成")
        guard case .home = other.state.screen else { return XCTFail("完成 returns home") }
    }

    func testPrinterFailureKeepsTheQRLongerAndSaysSo() {
        var kiosk = kioskShowingTicket { $0.ticketScreenSeconds = 20; $0.ticketScreenSecondsWithoutPaper = 60 }
        XCTAssertEqual(kiosk.send(.printFinished(ticketId: "t-A023", outcome: .failed(reason: "media-empty"))),
                       [.sound(.error)])
        XCTAssertTrue(kiosk.display.containsText("打印机没能打印号票"))
        XCTAssertTrue(kiosk.display.containsText("请用手机拍下二维码"))
        XCTAssertTrue(kiosk.display.items.contains(.qr(payload: DemoHall.ticket().lookupUrl,
                                                       frame: qrFrame(kiosk.display) ?? Rect(x: 0, y: 0, width: 0, height: 0))))
        kiosk.tap(at: Point(x: 5, y: 1000))
        guard case .ticket = kiosk.state.screen else { return XCTFail("a stray touch must not hide the QR code") }
        kiosk.advanceBySeconds(30)
        guard case .ticket = kiosk.state.screen else { return XCTFail("stays longer without paper") }
        kiosk.advanceBySeconds(30)
        guard case .home = kiosk.state.screen else { return XCTFail("returns home after 60 s") }
    }

    func testNoPrinterIsSaidHonestly() {
        var kiosk = kioskShowingTicket()
        kiosk.send(.printFinished(ticketId: "t-A023", outcome: .notConfigured))
        XCTAssertTrue(kiosk.display.containsText("本机不打印号票"))
    }

    func testAnOutcomeForAnotherTicketIsIgnored() {
        var kiosk = kioskShowingTicket()
        XCTAssertEqual(kiosk.send(.printFinished(ticketId: "t-A022", outcome: .failed(reason: "x"))), [])
        guard case .ticket(let screen) = kiosk.state.screen else { return XCTFail("expected ticket") }
        XCTAssertEqual(screen.printStatus, .printing)
    }

    func testIdleDoesNotCutTheTicketShort() {
        var kiosk = kioskShowingTicket {
            $0.idleTimeoutSeconds = 10
            $0.ticketScreenSecondsWithoutPaper = 60
        }
        kiosk.send(.printFinished(ticketId: "t-A023", outcome: .failed(reason: "offline")))
        kiosk.advanceBySeconds(30)
        guard case .ticket = kiosk.state.screen else { return XCTFail("idle must not end the ticket screen") }
    }

    private func qrFrame(_ display: DisplayList) -> Rect? {
        for item in display.items { if case .qr(_, let frame) = item { return frame } }
        return nil
    }
}

final class ETicketTests: XCTestCase {
    func testKnownPaperOutIssuesAnETicketWithoutAPrintJob() {
        var kiosk = KioskHarness { $0.ticketScreenSecondsWithoutPaper = 60 }
        kiosk.send(.printerChanged(PrinterHealth(condition: .paperOut, reasons: ["media-empty"])))
        kiosk.tap("户籍办理")
        let effects = kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        XCTAssertEqual(effects, [.sound(.ticketIssued), .hall(.fetchHallStatus)], "no print job for an empty printer")
        XCTAssertTrue(kiosk.display.containsText("打印机缺纸"))
        XCTAssertTrue(kiosk.display.containsText("请用手机拍下二维码"))
        kiosk.advanceBySeconds(59)
        guard case .ticket = kiosk.state.screen else { return XCTFail("the QR code stays a minute") }
    }

    func testPaperLowStillPrintsAndETicketsCanBeTurnedOff() {
        var low = KioskHarness()
        low.send(.printerChanged(PrinterHealth(condition: .paperLow)))
        low.tap("户籍办理")
        XCTAssertTrue(low.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket())).contains(.printer(.printTicket(DemoHall.ticket()))))
        var off = KioskHarness { $0.eTicketWhenPrinterDown = false }
        off.send(.printerChanged(PrinterHealth(condition: .offline)))
        off.tap("户籍办理")
        XCTAssertTrue(off.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket())).contains(.printer(.printTicket(DemoHall.ticket()))))
    }
}
