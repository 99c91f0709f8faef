import Foundation
import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

/// The hidden admin screen: a long press in the corner, a PIN checked by the adapter, a lockout after
/// repeated wrong PINs, back to the citizen screens when idle.
final class AdminReducerTests: XCTestCase {
    func kiosk(pin: Bool = true) -> KioskHarness {
        KioskHarness { $0.adminPinConfigured = pin; $0.adminLongPressSeconds = 3; $0.adminMaxFailures = 3; $0.adminLockoutSeconds = 300 }
    }

    func holdCorner(_ kiosk: inout KioskHarness, seconds: Int = 3) {
        kiosk.send(.touchDown(x: 10, y: 10))
        kiosk.advanceBySeconds(seconds)
    }

    func typePin(_ kiosk: inout KioskHarness, _ pin: String) -> [KioskEffect] {
        for digit in pin { kiosk.tap(at: kiosk.region(.keypad(.character(digit)))!.frame.center) }
        return kiosk.tap(at: kiosk.region(.keypad(.submit))!.frame.center)
    }

    func testALongPressInTheCornerOpensThePinEntryAndAShortOneDoesNot() {
        var k = kiosk()
        k.send(.touchDown(x: 10, y: 10))
        k.advanceBySeconds(2)
        k.send(.touchUp(x: 10, y: 10))
        k.advanceBySeconds(2)
        guard case .home = k.state.screen else { return XCTFail("a short press does nothing") }
        holdCorner(&k)
        guard case .adminPin = k.state.screen else { return XCTFail("expected the PIN entry, got \(k.state.screen.name)") }
        XCTAssertTrue(k.display.containsText("管理员登录"))
    }

    func testAHeldFingerElsewhereDoesNothing() {
        var k = kiosk()
        k.send(.touchDown(x: 540, y: 1000))
        k.advanceBySeconds(5)
        guard case .home = k.state.screen else { return XCTFail("only the corner opens the admin entry") }
    }

    func testTheRightPinOpensTheAdminScreenAndNeverShowsTheDigits() {
        var k = kiosk()
        holdCorner(&k)
        let effects = typePin(&k, "2580")
        XCTAssertEqual(effects, [.admin(.checkPin("2580"))])
        XCTAssertFalse(k.display.containsText("2580"))
        XCTAssertEqual(k.send(.adminPinChecked(accepted: true)), [.admin(.fetchInfo)])
        guard case .admin = k.state.screen else { return XCTFail("admin screen") }
        XCTAssertTrue(k.display.containsText("设备管理"))
    }

    func testWrongPinsLockTheEntryForAWhile() {
        var k = kiosk()
        holdCorner(&k)
        for remaining in [2, 1] {
            _ = typePin(&k, "0000")
            k.send(.adminPinChecked(accepted: false))
            XCTAssertTrue(k.display.containsText("还可尝试 \(remaining) 次"), "\(remaining)")
        }
        _ = typePin(&k, "0000")
        k.send(.adminPinChecked(accepted: false))
        XCTAssertTrue(k.display.containsText("错误次数过多"))
        XCTAssertEqual(typePin(&k, "2580"), [], "no tries while locked")
        // Leaving and coming back does not lift the lockout.
        k.tap("退出")
        holdCorner(&k)
        XCTAssertTrue(k.display.containsText("错误次数过多"))
        k.advanceBySeconds(300)
        holdCorner(&k)
        XCTAssertEqual(typePin(&k, "2580"), [.admin(.checkPin("2580"))])
    }

    func testWithoutAConfiguredPinTheEntrySaysSo() {
        var k = kiosk(pin: false)
        holdCorner(&k)
        XCTAssertTrue(k.display.containsText("未设置管理员密码"))
        XCTAssertEqual(typePin(&k, "2580"), [])
    }

    func testPausingIssuingDisablesEveryServiceUntilResumed() {
        var k = kiosk()
        holdCorner(&k)
        _ = typePin(&k, "2580")
        k.send(.adminPinChecked(accepted: true))
        XCTAssertEqual(k.tap("暂停本机取号"), [.admin(.rememberIssuingPaused(true))], "the pause outlives a restart")
        XCTAssertTrue(k.state.issuingPaused)
        k.tap("退出")
        XCTAssertTrue(k.display.containsText("本机暂停取号"))
        XCTAssertEqual(k.region(.takeNumber(serviceId: "hukou"))?.enabled, false)
        XCTAssertEqual(k.send(.touchDown(x: 300, y: 300)) + k.send(.touchUp(x: 300, y: 300)), [])
        XCTAssertTrue(k.issueEffects.isEmpty)
    }

    func testAKioskStartedPausedStaysPausedUntilResumed() {
        var k = kiosk()
        k.state = KioskState(now: k.state.now, uptime: k.state.uptime, intentKeySeed: "restart", issuingPaused: true)
        k.send(.hallStatusArrived(DemoHall.status(), at: k.state.now))
        XCTAssertTrue(k.display.containsText("本机暂停取号"))
        XCTAssertEqual(k.region(.takeNumber(serviceId: "hukou"))?.enabled, false)
        holdCorner(&k)
        _ = typePin(&k, "2580")
        k.send(.adminPinChecked(accepted: true))
        XCTAssertEqual(k.tap("恢复本机取号"), [.admin(.rememberIssuingPaused(false))])
        XCTAssertFalse(k.state.issuingPaused)
    }

    func testCommandsGoToTheAdapterAndTheAdminScreenClosesWhenIdle() {
        var k = kiosk()
        holdCorner(&k)
        _ = typePin(&k, "2580")
        k.send(.adminPinChecked(accepted: true))
        XCTAssertEqual(k.tap("测试打印"), [.admin(.command(.testPrint))])
        k.send(.adminCommandFinished(.testPrint, message: "测试号票已打印"))
        XCTAssertTrue(k.display.containsText("测试号票已打印"))
        k.advanceBySeconds(61)
        guard case .home = k.state.screen else { return XCTFail("idle returns to the citizen screens") }
    }
}
