import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

final class HomeReducerTests: XCTestCase {
    func testTouchDownMarksTheButtonPressedForTheNextFrame() throws {
        var kiosk = KioskHarness()
        let region = try XCTUnwrap(kiosk.region(.takeNumber(serviceId: "hukou")))
        let normal = kiosk.display
        kiosk.send(.touchDown(x: region.frame.midX, y: region.frame.midY))
        XCTAssertEqual(kiosk.state.pressed, .takeNumber(serviceId: "hukou"))
        XCTAssertNotEqual(kiosk.display.items, normal.items, "the pressed button must look different")
        XCTAssertEqual(kiosk.effects, [], "nothing happens before the finger lifts")
    }

    func testDoneShowsNoPressInTheTicketsFirstMomentAndWorksAfter() throws {
        var kiosk = KioskHarness { $0.ticketTouchGraceSeconds = 1.5 }
        kiosk.tap("户籍办理")
        kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        let done = try XCTUnwrap(kiosk.region(.backHome)).frame.center
        kiosk.send(.touchDown(x: done.x, y: done.y))
        XCTAssertNil(kiosk.state.pressed, "a touch that does nothing must not look pressed")
        kiosk.send(.touchUp(x: done.x, y: done.y))
        guard case .ticket = kiosk.state.screen else { return XCTFail("the double tap's second half must not close the ticket") }
        kiosk.advance(2)
        kiosk.send(.touchDown(x: done.x, y: done.y))
        XCTAssertEqual(kiosk.state.pressed, .backHome)
        kiosk.send(.touchUp(x: done.x, y: done.y))
        XCTAssertEqual(kiosk.state.screen, .home(HomePosition()))
    }

    func testTapOnAServiceStartsOneIntent() {
        var kiosk = KioskHarness()
        let effects = kiosk.tap("户籍办理")
        XCTAssertEqual(effects, [.hall(.issueTicket(serviceId: "hukou", intentKey: "boot-1"))])
        guard case .issuing(let intent) = kiosk.state.screen else { return XCTFail("expected issuing") }
        XCTAssertEqual(intent.serviceId, "hukou")
        XCTAssertEqual(intent.intentKey, "boot-1")
        XCTAssertNil(kiosk.state.pressed)
    }

    func testDoubleTapGivesOneIssueEffectWithOneKey() {
        var kiosk = KioskHarness()
        kiosk.tap("户籍办理")
        let region = kiosk.region(.takeNumber(serviceId: "hukou"))
        XCTAssertNil(region, "the issuing screen has no service buttons to tap again")
        // The second tap lands where the button was.
        let home = KioskHarness().region(.takeNumber(serviceId: "hukou"))
        if let frame = home?.frame { kiosk.tap(at: frame.center) }
        XCTAssertEqual(kiosk.issueEffects, [.hall(.issueTicket(serviceId: "hukou", intentKey: "boot-1"))])
    }

    func testSecondTapWhileIssuingOnAnotherServiceIsIgnored() {
        var kiosk = KioskHarness()
        kiosk.tap("户籍办理")
        let other = KioskHarness().region(.takeNumber(serviceId: "idcard"))
        if let frame = other?.frame { kiosk.tap(at: frame.center) }
        XCTAssertEqual(kiosk.issueEffects.count, 1)
        XCTAssertEqual(kiosk.state.intentKeys.issued, 1)
    }

    func testDisabledServicesProduceNoEffectButShowWhy() throws {
        // A service paused by staff ("employment") answers a touch instead: `testAPausedServiceAnswersWhyAndSendsNothing`.
        for (id, reason) in [("real-estate", "今日号源已满"), ("business-startup", "13:30 开始取号")] {
            var kiosk = KioskHarness(size: Size(width: 1920, height: 1080))
            if kiosk.region(.takeNumber(serviceId: id)) == nil {
                let index = try XCTUnwrap(ServiceGroup.grouping(DemoHall.services).firstIndex {
                    $0.services.contains { $0.id == id }
                })
                kiosk.tap(at: try XCTUnwrap(kiosk.region(.selectGroup(index))).frame.center)
            }
            let region = try XCTUnwrap(kiosk.region(.takeNumber(serviceId: id)), id)
            XCTAssertFalse(region.enabled, id)
            XCTAssertTrue(region.label.contains(reason), "\(id): \(region.label)")
            XCTAssertTrue(kiosk.display.containsText(reason), id)
            kiosk.send(.touchDown(x: region.frame.midX, y: region.frame.midY))
            XCTAssertNil(kiosk.state.pressed, "a disabled button is never drawn pressed")
            XCTAssertEqual(kiosk.send(.touchUp(x: region.frame.midX, y: region.frame.midY)), [], id)
            guard case .home = kiosk.state.screen else { return XCTFail("\(id) left home") }
        }
    }

    func testAPausedServiceAnswersWhyAndSendsNothing() throws {
        var kiosk = KioskHarness(size: Size(width: 1920, height: 1080))
        let id = "employment"
        if kiosk.region(.takeNumber(serviceId: id)) == nil {
            let index = try XCTUnwrap(ServiceGroup.grouping(DemoHall.services).firstIndex { $0.services.contains { $0.id == id } })
            kiosk.tap(at: try XCTUnwrap(kiosk.region(.selectGroup(index))).frame.center)
        }
        let region = try XCTUnwrap(kiosk.region(.takeNumber(serviceId: id)), id)
        XCTAssertTrue(region.label.contains("暂停取号"), region.label)
        XCTAssertTrue(kiosk.display.containsText("暂停取号"))
        kiosk.send(.touchDown(x: region.frame.midX, y: region.frame.midY))
        XCTAssertEqual(kiosk.send(.touchUp(x: region.frame.midX, y: region.frame.midY)), [], "nothing is sent for a paused service")
        guard case .issuing(let intent) = kiosk.state.screen else { return XCTFail("a touch on a paused service answers") }
        XCTAssertEqual(intent.failure?.kind, .paused)
        XCTAssertTrue(kiosk.display.containsText("暂停取号"), "the answer says why")
        kiosk.tap(at: try XCTUnwrap(kiosk.region(.backHome)).frame.center)
        guard case .home = kiosk.state.screen else { return XCTFail("back home") }
    }

    func testLiftingTheFingerOutsideThePressedButtonCancels() throws {
        var kiosk = KioskHarness()
        let hukou = try XCTUnwrap(kiosk.region(.takeNumber(serviceId: "hukou")))
        let idcard = try XCTUnwrap(kiosk.region(.takeNumber(serviceId: "idcard")))
        kiosk.send(.touchDown(x: hukou.frame.midX, y: hukou.frame.midY))
        XCTAssertEqual(kiosk.send(.touchUp(x: idcard.frame.midX, y: idcard.frame.midY)), [])
        XCTAssertNil(kiosk.state.pressed)
        kiosk.send(.touchDown(x: hukou.frame.midX, y: hukou.frame.midY))
        kiosk.send(.touchCancel)
        XCTAssertEqual(kiosk.send(.touchUp(x: hukou.frame.midX, y: hukou.frame.midY)), [])
        guard case .home = kiosk.state.screen else { return XCTFail("expected home") }
    }

    func testTogglesSwitchLanguageLargeTextAndContrast() {
        var kiosk = KioskHarness()
        kiosk.tap("English")
        XCTAssertEqual(kiosk.state.language, .en)
        XCTAssertTrue(kiosk.display.containsText("Household registration"))
        kiosk.tap("Large text")
        XCTAssertTrue(kiosk.state.largeText)
        kiosk.tap("High contrast")
        XCTAssertTrue(kiosk.state.highContrast)
        XCTAssertEqual(kiosk.display.background, Color(hex: 0x000000))
        kiosk.tap("中文")
        XCTAssertEqual(kiosk.state.language, .zh)
    }

    func testGroupTabsAndPagingStayInRange() throws {
        // Large text on 1280×800 has no room for all eleven: departments become tabs.
        var kiosk = KioskHarness(size: Size(width: 1280, height: 800))
        kiosk.state.largeText = true
        XCTAssertNotNil(kiosk.region(.selectGroup(0)))
        kiosk.tap("人力社保")
        XCTAssertEqual(kiosk.state.screen, .home(HomePosition(group: 1, page: 0)))
        XCTAssertNotNil(kiosk.region(.takeNumber(serviceId: "social-insurance")))
        XCTAssertNil(kiosk.region(.takeNumber(serviceId: "hukou")))
        // Without departments: two pages have ‹ ›, which never leave the range.
        var paged = KioskHarness(size: Size(width: 1280, height: 800), status: DemoHall.status(services: plainServices(twoPages)))
        let next = try XCTUnwrap(paged.region(.nextPage))
        XCTAssertTrue(next.enabled)
        XCTAssertFalse(try XCTUnwrap(paged.region(.previousPage)).enabled)
        for _ in 0..<10 { paged.tap(at: next.frame.center) }
        XCTAssertEqual(paged.state.screen, .home(HomePosition(group: 0, page: 1)))
        XCTAssertTrue(paged.display.containsText("第 2/2 页"))
        XCTAssertFalse(try XCTUnwrap(paged.region(.nextPage)).enabled)
        XCTAssertNotNil(paged.region(.takeNumber(serviceId: "plain-\(twoPages - 1)")), "the last service is on the last page")
        paged.tap("上一页")
        XCTAssertEqual(paged.state.screen, .home(HomePosition(group: 0, page: 0)))
    }

    /// Services without departments that fill exactly two pages at 1280×800 (with ‹ ›).
    private var twoPages: Int {
        (12...80).last { count in
            KioskHarness(size: Size(width: 1280, height: 800), status: DemoHall.status(services: plainServices(count))).region(.nextPage) != nil
        } ?? 0
    }

    private func plainServices(_ count: Int) -> [ServiceStatus] {
        (0..<count).map { index in
            var copy = DemoHall.services[index % DemoHall.services.count]
            copy.id = "plain-\(index)"
            copy.group = nil
            return copy
        }
    }

    func testMoreThanTwoPagesBecomePageTabsAndABigDepartmentSeveralTabs() throws {
        // One more service than two pages hold: numbered page tabs, any page one touch away, no ‹ ›.
        let count = twoPages + 1
        var paged = KioskHarness(size: Size(width: 1280, height: 800), status: DemoHall.status(services: plainServices(count)))
        XCTAssertNil(paged.region(.nextPage))
        XCTAssertTrue(paged.display.containsText("第 1/3 页"))
        paged.tap("第 3/3 页")
        XCTAssertEqual(paged.state.screen, .home(HomePosition(group: 2, page: 0)))
        XCTAssertNotNil(paged.region(.takeNumber(serviceId: "plain-\(count - 1)")))

        // A department too big for one screen: "1/2 不动产", "2/2 不动产" beside the other departments.
        let land = plainServices(30).map { service -> ServiceStatus in
            var copy = service
            copy.group = LocalizedText(zh: "不动产", en: "Real estate")
            return copy
        }
        var kiosk = KioskHarness(size: Size(width: 1280, height: 800), status: DemoHall.status(services: DemoHall.services + land))
        let parts = kiosk.display.hitRegions.filter { $0.label.hasSuffix(" 不动产 Real estate") }
        XCTAssertGreaterThanOrEqual(parts.count, 2, kiosk.display.hitRegions.map(\.label).joined(separator: " | "))
        XCTAssertEqual(parts.last?.label, "\(parts.count)/\(parts.count) 不动产 Real estate", "both languages on the tab")
        kiosk.tap(at: try XCTUnwrap(parts.last).frame.center)
        XCTAssertNotNil(kiosk.region(.takeNumber(serviceId: "plain-29")), "the department's last service is on its last tab")
        XCTAssertNil(kiosk.region(.nextPage))
    }

    func testLargeTextStartsAgainAtTheFirstPage() {
        let many = (DemoHall.services + DemoHall.services).enumerated().map { index, service -> ServiceStatus in
            var copy = service
            copy.id += "-\(index)"
            copy.group = nil
            return copy
        }
        var kiosk = KioskHarness(size: Size(width: 1280, height: 800), status: DemoHall.status(services: many))
        kiosk.tap("第 2/")
        XCTAssertEqual(kiosk.state.screen, .home(HomePosition(group: 1, page: 0)))
        kiosk.tap("大字")
        XCTAssertEqual(kiosk.state.screen, .home(HomePosition(group: 0, page: 0)))
    }
}
