import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// A hall-server box whose clock jumps must not issue numbers on the wrong hall day, and must say why on
/// `/healthz` and the device page; a kiosk whose clock is off is flagged there too (issue 16, item 11 h).
final class ClockGuardTests: XCTestCase {
    func testAClockThatJumpsADayWhileRunningStopsIssuingAndSaysSo() async throws {
        let live = try await LiveHall.start()
        defer { Task { await live.stop() } }
        assertEq(try await live.issue("hukou").status, 201)
        assertEq(try await live.send(.GET, "/healthz").status, 200)

        live.clock.jumpWallClock(by: 86400)  // Tuesday 09:00 by the wall clock, minutes later in real time
        let refused = try await live.issue("hukou")
        XCTAssertEqual(refused.status, 503, refused.text)
        XCTAssertEqual(refused.errorCode, APIErrorCode.implausibleClock)
        XCTAssertNotNil(refused.headers.first(name: "Retry-After"))
        XCTAssertTrue(refused.text.contains("jumped ahead"), refused.text)
        let health = try await live.send(.GET, "/healthz")
        XCTAssertEqual(health.status, 503)
        let status = try health.decode(HealthStatus.self)
        XCTAssertEqual(status.status, "degraded")
        XCTAssertTrue(status.clock?.contains("restart hallserver") ?? false, health.text)
        let page = try await live.send(.GET, "/admin/devices", token: TestHallConfig.adminToken)
        XCTAssertTrue(page.text.contains("服务器时钟异常"), "the device page says so")

        live.clock.jumpWallClock(by: -86400)  // NTP puts it right again
        assertEq(try await live.issue("hukou").status, 201)
        let healed = try await live.send(.GET, "/healthz")
        XCTAssertNil(try healed.decode(HealthStatus.self).clock)
    }

    func testANTPCorrectionOfMinutesOnTheSameHallDayKeepsIssuing() async throws {
        let live = try await LiveHall.start()
        defer { Task { await live.stop() } }
        assertEq(try await live.issue("hukou").status, 201)
        // The box booted with its clock 12 minutes slow; NTP steps it right at 09:00 (a correction, not a jump).
        live.clock.jumpWallClock(by: 12 * 60)
        assertEq(try await live.issue("hukou").status, 201, "a correction on the same hall day must not stop the hall")
        let health = try await live.send(.GET, "/healthz")
        XCTAssertNil(try health.decode(HealthStatus.self).clock, health.text)
        // Two hours off is no correction.
        live.clock.jumpWallClock(by: 2 * 3600)
        assertEq(try await live.issue("hukou").status, 503)
    }

    func testAClockBehindStoredDataAtStartRefusesNumbers() async throws {
        let first = try await LiveHall.start()
        assertEq(try await first.issue("hukou").status, 201)
        let folder = first.folder
        await first.stop()
        // The box restarts with a dead RTC battery: Friday before the stored Monday ticket.
        let restarted = try await LiveHall.start(now: TestHallConfig.monday(9).addingTimeInterval(-3 * 86400), folder: folder)
        defer { Task { await restarted.stop() } }
        let refused = try await restarted.issue("hukou")
        XCTAssertEqual(refused.status, 503, refused.text)
        XCTAssertEqual(refused.errorCode, APIErrorCode.implausibleClock)
        XCTAssertTrue(refused.text.contains("earlier than data already stored"), refused.text)
        assertEq(try await restarted.send(.GET, "/healthz").status, 503)
    }

    func testAHallClosedOverAWeekendOpensOnMonday() async throws {
        let friday = try await LiveHall.start(now: TestHallConfig.monday(16).addingTimeInterval(-3 * 86400))
        assertEq(try await friday.issue("hukou").status, 201)
        let folder = friday.folder
        await friday.stop()
        let monday = try await LiveHall.start(now: TestHallConfig.monday(8, 31), folder: folder)
        defer { Task { await monday.stop() } }
        let issued = try await monday.issue("hukou")
        XCTAssertEqual(issued.status, 201, issued.text)
        assertEq(try await monday.send(.GET, "/healthz").status, 200)
    }

    func testTheRealClocksAgreeWithEachOther() throws {
        let start = Date()
        let guardian = ClockGuard(monotonic: SystemMonotonic(), now: start, newestStored: start.addingTimeInterval(-60))
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertNil(guardian.problem(now: Date()), "the wall clock and CLOCK_BOOTTIME move together")
        XCTAssertNotNil(guardian.problem(now: Date().addingTimeInterval(3600)), "an hour's jump is seen with the real monotonic clock")
    }

    func testADeviceWhoseClockIsOffIsFlaggedOnTheDevicePage() async throws {
        let live = try await LiveHall.start()
        defer { Task { await live.stop() } }
        func beat(_ offset: TimeInterval) async throws {
            let b = DeviceHeartbeat(version: "1.0", uptimeSeconds: 5, printer: nil, outboxDepth: 0, outboxRejected: 0, lastError: nil,
                                    screen: "home", deviceTime: live.clock.now().addingTimeInterval(offset))
            assertEq(try await live.send(.POST, "/api/v1/devices/kiosk-1/heartbeat", token: TestHallConfig.kioskToken, json: b).status, 200)
        }
        func alerts() async throws -> [String] {
            let devices = try await live.send(.GET, "/api/v1/devices", token: TestHallConfig.adminToken).decode([DeviceStatusEntry].self)
            return try XCTUnwrap(devices.first { $0.id == "kiosk-1" }).alerts
        }
        try await beat(20)
        let fine = try await alerts()
        XCTAssertFalse(fine.contains { $0.contains("device clock") }, "\(fine)")
        try await beat(-2 * 3600)
        let flagged = try await alerts()
        XCTAssertTrue(flagged.contains { $0.contains("device clock 120 min behind the server's") }, "\(flagged)")
        let page = try await live.send(.GET, "/admin/devices", token: TestHallConfig.adminToken)
        XCTAssertTrue(page.text.contains("设备时钟比服务器慢 120 分钟"), "the device page shows it")
    }
}
