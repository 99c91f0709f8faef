import Foundation
import HallAPI
import XCTest
@testable import KioskCore

/// A hall server that answers but says it is degraded (its clock or its database) is not shown as 正常 on the
/// admin screen; the reason stands under 最近的问题.
final class AdminServerDegradedTests: XCTestCase {
    func info(degraded: Bool) -> AdminInfo {
        AdminInfo(deviceId: "kiosk-01", version: "1.0", addresses: [], serverURL: "http://hall:8080", serverLatencyMilliseconds: 3,
                  outboxPending: 0, outboxHeld: 0,
                  recentErrors: degraded ? ["服务器时钟异常，已停止取号 / hall server clock: the clock jumped"] : [], uptimeSeconds: 60,
                  serverDegraded: degraded)
    }

    func testADegradedServerIsFlaggedWithItsReason() {
        for degraded in [false, true] {
            var k = KioskHarness { $0.adminPinConfigured = true }
            k.state.screen = .admin(AdminScreen())
            k.send(.adminInfoArrived(info(degraded: degraded)))
            XCTAssertEqual(k.display.containsText("服务器 http://hall:8080：正常（3 毫秒）"), !degraded)
            XCTAssertEqual(k.display.containsText("服务器 http://hall:8080：有问题（3 毫秒）"), degraded)
            XCTAssertEqual(k.display.containsText("服务器时钟异常"), degraded)
        }
    }
}
