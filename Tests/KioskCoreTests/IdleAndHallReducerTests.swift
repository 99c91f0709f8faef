import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

final class IdleAndHallReducerTests: XCTestCase {
    func testIdleTimeoutReturnsHomeAndForgetsTheCitizen() {
        var kiosk = KioskHarness { $0.idleTimeoutSeconds = 60 }
        kiosk.tap("English")
        kiosk.tap("Large text")
        kiosk.tap("High contrast")
        kiosk.tap("Check progress")
        kiosk.tap("A")
        kiosk.tap("7")
        kiosk.send(.text("B"))
        guard case .lookup(let lookup) = kiosk.state.screen else { return XCTFail("expected lookup") }
        XCTAssertEqual(lookup.entry, "A7B")
        kiosk.advanceBySeconds(59)
        guard case .lookup = kiosk.state.screen else { return XCTFail("too early") }
        kiosk.advance(1)
        XCTAssertEqual(kiosk.state.screen, .home(HomePosition()))
        XCTAssertEqual(kiosk.state.language, .zh)
        XCTAssertFalse(kiosk.state.largeText)
        XCTAssertFalse(kiosk.state.highContrast)
        XCTAssertEqual(kiosk.state.scanBuffer, "")
        XCTAssertNil(kiosk.state.idleDeadline)
        kiosk.tap("进度查询")
        guard case .lookup(let fresh) = kiosk.state.screen else { return XCTFail("expected lookup") }
        XCTAssertEqual(fresh.entry, "", "the typed number is gone")
    }

    func testEveryTouchPushesTheIdleDeadlineBack() {
        var kiosk = KioskHarness { $0.idleTimeoutSeconds = 60 }
        kiosk.tap("English")
        kiosk.advanceBySeconds(50)
        kiosk.send(.touchDown(x: 1, y: 1900))
        kiosk.send(.touchUp(x: 1, y: 1900))
        kiosk.advanceBySeconds(50)
        XCTAssertEqual(kiosk.state.language, .en)
        kiosk.advanceBySeconds(10)
        XCTAssertEqual(kiosk.state.language, .zh)
    }

    func testHallClosesAndReopensByItself() {
        var kiosk = KioskHarness()
        kiosk.send(.hallStatusArrived(DemoHall.status(open: false, hours: DemoHall.officeHours), at: DemoHall.morning))
        XCTAssertEqual(kiosk.state.screen, .closed(todayHours: DemoHall.officeHours))
        XCTAssertTrue(kiosk.display.containsText("现在不是办公时间"))
        XCTAssertTrue(kiosk.display.containsText("08:30–12:00"))
        XCTAssertTrue(kiosk.display.containsText("请到咨询台咨询"))
        kiosk.send(.hallStatusArrived(DemoHall.status(open: true), at: DemoHall.morning))
        XCTAssertEqual(kiosk.state.screen, .home(HomePosition()))
    }

    func testClosedHallStillOffersProgressLookup() {
        var kiosk = KioskHarness()
        kiosk.send(.hallStatusArrived(DemoHall.status(open: false, hours: []), at: DemoHall.morning))
        XCTAssertTrue(kiosk.display.containsText("今天不办公"))
        kiosk.tap("进度查询")
        guard case .lookup = kiosk.state.screen else { return XCTFail("expected lookup") }
        kiosk.tap("返回首页")
        guard case .closed = kiosk.state.screen else { return XCTFail("back home means the closed screen") }
    }

    func testServerUnreachableBeyondGraceShowsOfflineAndRecovers() {
        var kiosk = KioskHarness { $0.offlineGraceSeconds = 30 }
        let start = kiosk.state.uptime
        kiosk.send(.hallUnreachable(error: "connection refused", at: kiosk.state.now))
        guard case .home = kiosk.state.screen else { return XCTFail("a short outage is not shown") }
        kiosk.advanceBySeconds(29)
        guard case .home = kiosk.state.screen else { return XCTFail("still within grace") }
        kiosk.advance(1)
        XCTAssertEqual(kiosk.state.screen, .offline(since: start))
        XCTAssertTrue(kiosk.display.containsText("暂时不能取号"))
        XCTAssertTrue(kiosk.display.containsText("请到咨询台咨询"))
        XCTAssertNil(kiosk.region(.takeNumber(serviceId: "hukou")))
        kiosk.send(.hallUnreachable(error: "timeout", at: kiosk.state.now))
        XCTAssertEqual(kiosk.state.screen, .offline(since: start), "since stays the first failure")
        kiosk.send(.hallStatusArrived(DemoHall.status(), at: kiosk.state.now))
        XCTAssertEqual(kiosk.state.screen, .home(HomePosition()))
        XCTAssertNil(kiosk.state.unreachableSince)
    }

    func testOfflineRecoveryLandsOnClosedWhenTheHallIsClosed() {
        var kiosk = KioskHarness { $0.offlineGraceSeconds = 5 }
        kiosk.send(.hallUnreachable(error: "down", at: kiosk.state.now))
        kiosk.advance(5)
        guard case .offline = kiosk.state.screen else { return XCTFail("expected offline") }
        kiosk.send(.hallStatusArrived(DemoHall.status(open: false), at: kiosk.state.now))
        guard case .closed = kiosk.state.screen else { return XCTFail("expected closed") }
    }

    func testOutageDoesNotInterruptATicketButShowsAfterIt() {
        var kiosk = KioskHarness { $0.offlineGraceSeconds = 5; $0.ticketScreenSeconds = 20 }
        kiosk.tap("户籍办理")
        kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        kiosk.send(.hallUnreachable(error: "down", at: kiosk.state.now))
        kiosk.advanceBySeconds(10)
        guard case .ticket = kiosk.state.screen else { return XCTFail("the ticket stays") }
        kiosk.advanceBySeconds(10)
        guard case .offline = kiosk.state.screen else { return XCTFail("offline after the ticket") }
    }

    func testAFailedTicketRequestNobodyAnswersReturnsHomeForTheNextCitizen() {
        for failure in [IssueFailure(kind: .network, message: "refused"), IssueFailure(kind: .quotaReached, message: "")] {
            var kiosk = KioskHarness { $0.idleTimeoutSeconds = 60; $0.issueAutoRetries = 0 }
            kiosk.tap("English")
            kiosk.tap("Large text")
            kiosk.advanceBySeconds(30)
            kiosk.tap("Household")
            kiosk.advanceBySeconds(15)
            kiosk.send(.ticketFailed(intentKey: "boot-1", failure: failure))
            guard case .issuing(let intent) = kiosk.state.screen, intent.failure != nil else {
                return XCTFail("the failure is shown (\(failure.kind))")
            }
            kiosk.advanceBySeconds(59)
            guard case .issuing = kiosk.state.screen else { return XCTFail("the citizen has the whole idle timeout to read it") }
            kiosk.advance(1)
            XCTAssertEqual(kiosk.state.screen, .home(HomePosition()), "\(failure.kind)")
            XCTAssertEqual(kiosk.state.language, .zh)
            XCTAssertFalse(kiosk.state.largeText)
        }
    }

    func testAnIssuingTimeoutNobodyAnswersReturnsHome() {
        var kiosk = KioskHarness { $0.idleTimeoutSeconds = 60; $0.issueTimeoutSeconds = 20; $0.offlineGraceSeconds = 1_000 }
        kiosk.tap("English")
        kiosk.tap("Household")
        kiosk.advanceBySeconds(20)
        XCTAssertTrue(kiosk.display.containsText("Try again"), "no answer: the citizen may retry")
        kiosk.advanceBySeconds(59)
        guard case .issuing = kiosk.state.screen else { return XCTFail("too early") }
        kiosk.advance(1)
        XCTAssertEqual(kiosk.state.screen, .home(HomePosition()))
        XCTAssertEqual(kiosk.state.language, .zh)
    }

    func testAFailedTicketRequestGivesWayToOfflineAndClosed() {
        var kiosk = KioskHarness { $0.offlineGraceSeconds = 30; $0.issueAutoRetries = 0; $0.idleTimeoutSeconds = 600 }
        kiosk.tap("户籍办理")
        kiosk.send(.hallUnreachable(error: "refused", at: kiosk.state.now))
        kiosk.send(.ticketFailed(intentKey: "boot-1", failure: IssueFailure(kind: .network, message: "refused")))
        XCTAssertTrue(kiosk.display.containsText("网络不通"))
        kiosk.advanceBySeconds(30)
        guard case .offline = kiosk.state.screen else { return XCTFail("the outage replaces the failed request") }
        kiosk.send(.hallStatusArrived(DemoHall.status(), at: kiosk.state.now))
        guard case .home = kiosk.state.screen else { return XCTFail("and recovers to home") }

        var closing = KioskHarness { $0.issueAutoRetries = 0; $0.idleTimeoutSeconds = 600 }
        closing.tap("户籍办理")
        closing.send(.ticketFailed(intentKey: "boot-1", failure: IssueFailure(kind: .serviceClosed, message: "")))
        closing.send(.hallStatusArrived(DemoHall.status(open: false, hours: DemoHall.officeHours), at: closing.state.now))
        XCTAssertEqual(closing.state.screen, .closed(todayHours: DemoHall.officeHours))
    }

    func testARequestStillInFlightIsNotCutShortByTheIdleTimeout() {
        var kiosk = KioskHarness { $0.idleTimeoutSeconds = 10; $0.issueTimeoutSeconds = 20 }
        kiosk.tap("户籍办理")
        kiosk.advanceBySeconds(15)
        guard case .issuing(let intent) = kiosk.state.screen, intent.failure == nil else { return XCTFail("still asking") }
        kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        guard case .ticket = kiosk.state.screen else { return XCTFail("a late answer is still shown") }
    }

    func testNoStatusYetSaysConnectingThenOffline() {
        var kiosk = KioskHarness(status: nil) { $0.offlineGraceSeconds = 30 }
        XCTAssertTrue(kiosk.display.containsText("正在连接服务器"))
        kiosk.send(.hallUnreachable(error: "refused", at: kiosk.state.now))
        kiosk.advance(30)
        guard case .offline = kiosk.state.screen else { return XCTFail("expected offline") }
    }

    func testHallStatusIsAskedForPeriodically() {
        var kiosk = KioskHarness { $0.statusRefreshSeconds = 10 }
        var fetches = 0
        for _ in 0..<30 {
            fetches += kiosk.advance(1).filter { $0 == .hall(.fetchHallStatus) }.count
        }
        XCTAssertEqual(fetches, 3)
    }

    func testNextDeadlineIsTheEarliestTimer() {
        var kiosk = KioskHarness { $0.idleTimeoutSeconds = 60; $0.ticketScreenSeconds = 20 }
        kiosk.tap("户籍办理")
        kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        XCTAssertEqual(kiosk.state.nextDeadline, kiosk.state.uptime + 20)
    }
}
