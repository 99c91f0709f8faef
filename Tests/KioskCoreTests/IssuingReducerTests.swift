import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

final class IssuingReducerTests: XCTestCase {
    func testIssuedTicketIsShownPrintedAndCountsRefreshed() {
        var kiosk = KioskHarness()
        kiosk.tap("户籍办理")
        let ticket = DemoHall.ticket()
        let effects = kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: ticket))
        XCTAssertEqual(effects, [.printer(.printTicket(ticket)), .sound(.ticketIssued), .hall(.fetchHallStatus)])
        guard case .ticket(let screen) = kiosk.state.screen else { return XCTFail("expected ticket") }
        XCTAssertEqual(screen.ticket, ticket)
        XCTAssertEqual(screen.printStatus, .printing)
        XCTAssertTrue(kiosk.display.containsText("A023"))
        XCTAssertTrue(kiosk.display.containsText("正在出票，请稍候"), "the headline follows the printer (issue 20)")
        kiosk.send(.printFinished(ticketId: ticket.id, outcome: .printed))
        XCTAssertTrue(kiosk.display.containsText("请取走您的号票"))
    }

    func testATicketForAnotherKeyIsNeverShown() {
        var kiosk = KioskHarness()
        kiosk.tap("户籍办理")
        XCTAssertEqual(kiosk.send(.ticketIssued(intentKey: "someone-else", ticket: DemoHall.ticket())), [])
        guard case .issuing = kiosk.state.screen else { return XCTFail("expected issuing") }
    }

    func testNetworkFailuresAreRetriedWithTheSameKey() {
        var kiosk = KioskHarness()
        kiosk.tap("户籍办理")
        let network = IssueFailure(kind: .network, message: "connection refused")
        XCTAssertEqual(kiosk.send(.ticketFailed(intentKey: "boot-1", failure: network)),
                       [.hall(.issueTicket(serviceId: "hukou", intentKey: "boot-1"))])
        XCTAssertEqual(kiosk.send(.ticketFailed(intentKey: "boot-1", failure: network)),
                       [.hall(.issueTicket(serviceId: "hukou", intentKey: "boot-1"))])
        // After the automatic retries the citizen is asked.
        XCTAssertEqual(kiosk.send(.ticketFailed(intentKey: "boot-1", failure: network)), [.sound(.error)])
        XCTAssertTrue(kiosk.display.containsText("网络不通"))
        let retry = kiosk.tap("再试一次")
        XCTAssertEqual(retry, [.hall(.issueTicket(serviceId: "hukou", intentKey: "boot-1"))])
        XCTAssertEqual(Set(kiosk.issueEffects), [.hall(.issueTicket(serviceId: "hukou", intentKey: "boot-1"))])
        kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        guard case .ticket = kiosk.state.screen else { return XCTFail("expected ticket") }
    }

    func testGivingUpAndTryingAgainLaterIsANewIntent() {
        var kiosk = KioskHarness()
        kiosk.tap("户籍办理")
        kiosk.advance(25)
        XCTAssertTrue(kiosk.display.containsText("网络不通"), "no answer within the issuing timeout")
        kiosk.tap("返回首页")
        guard case .home = kiosk.state.screen else { return XCTFail("expected home") }
        XCTAssertEqual(kiosk.tap("户籍办理"), [.hall(.issueTicket(serviceId: "hukou", intentKey: "boot-2"))])
    }

    func testRefusalsSayWhyAndRefreshTheHall() {
        for (kind, words) in [(IssueFailureKind.quotaReached, "号源已满"), (.paused, "暂停取号"),
                              (.serviceClosed, "现在不能取号"), (.other, "暂时没有取到号")] {
            var kiosk = KioskHarness()
            kiosk.tap("户籍办理")
            let effects = kiosk.send(.ticketFailed(intentKey: "boot-1", failure: IssueFailure(kind: kind, message: "")))
            XCTAssertEqual(effects, [.sound(.error), .hall(.fetchHallStatus)], "\(kind)")
            XCTAssertTrue(kiosk.display.containsText(words), "\(kind)")
            XCTAssertNil(kiosk.region(.retryIssue), "no retry for \(kind)")
            kiosk.tap("返回首页")
            guard case .home = kiosk.state.screen else { return XCTFail("expected home") }
        }
    }
}

final class APIErrorMappingTests: XCTestCase {
    func testIssueFailuresByServerCode() {
        XCTAssertEqual(IssueFailureKind(apiErrorCode: nil), .network)
        XCTAssertEqual(IssueFailureKind(apiErrorCode: APIErrorCode.internalError), .network)
        XCTAssertEqual(IssueFailureKind(apiErrorCode: APIErrorCode.serviceClosed), .serviceClosed)
        XCTAssertEqual(IssueFailureKind(apiErrorCode: APIErrorCode.servicePaused), .paused)
        XCTAssertEqual(IssueFailureKind(apiErrorCode: APIErrorCode.quotaReached), .quotaReached)
        XCTAssertEqual(IssueFailureKind(apiErrorCode: APIErrorCode.numbersExhausted), .quotaReached)
        XCTAssertEqual(IssueFailureKind(apiErrorCode: APIErrorCode.idempotencyKeyReused), .other)
    }

    func testLookupFailuresByServerCode() {
        XCTAssertEqual(LookupFailureKind(apiErrorCode: nil), .network)
        XCTAssertEqual(LookupFailureKind(apiErrorCode: APIErrorCode.unknownTicket), .notFound)
        XCTAssertEqual(LookupFailureKind(apiErrorCode: APIErrorCode.unauthorized), .other)
    }
}
