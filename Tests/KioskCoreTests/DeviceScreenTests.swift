import Foundation
import HallAPI
import XCTest
@testable import KioskCore

/// The screen names travel in the heartbeat (and the event stream) as strings the hall server already stores and shows:
/// the enum must write exactly the names the kiosk sent before it existed.
final class DeviceScreenTests: XCTestCase {
    func testTheWireNamesAreUnchanged() throws {
        let names: [DeviceScreen: String] = [
            .starting: "starting", .home: "home", .issuing: "issuing", .ticket: "ticket", .lookup: "lookup",
            .lookupResult: "lookupResult", .closed: "closed", .offline: "offline", .ratingIdle: "ratingIdle",
            .rating: "rating", .adminPin: "adminPin", .admin: "admin", .noDisplay: "no-display", .checkin: "checkin",
        ]
        XCTAssertEqual(Set(names.keys), Set(DeviceScreen.allCases))
        for (screen, name) in names {
            XCTAssertEqual(String(decoding: try JSONEncoder().encode(screen), as: UTF8.self), "\"\(name)\"")
            XCTAssertEqual(try JSONDecoder().decode(DeviceScreen.self, from: Data("\"\(name)\"".utf8)), screen)
        }
        XCTAssertEqual(DeviceHeartbeat.noDisplayScreen, "no-display")
        var beat = DeviceHeartbeat(version: "1", uptimeSeconds: 1, printer: nil, outboxDepth: 0, outboxRejected: 0,
                                   lastError: nil, screen: nil)
        beat.deviceScreen = .lookupResult
        XCTAssertEqual(beat.screen, "lookupResult")
        XCTAssertTrue(String(decoding: try JSONEncoder().encode(beat), as: UTF8.self).contains("\"screen\":\"lookupResult\""))
    }

    func testEveryKioskScreenHasItsName() {
        XCTAssertEqual(KioskScreen.home(HomePosition()).name, .home)
        XCTAssertEqual(KioskScreen.offline(since: Uptime(seconds: 1)).name.rawValue, "offline")
        XCTAssertEqual(KioskScreen.ratingIdle.name.rawValue, "ratingIdle")
        XCTAssertTrue(DeviceScreen.noDisplay.isOutOfService && DeviceScreen.offline.isOutOfService && DeviceScreen.closed.isOutOfService)
        XCTAssertFalse(DeviceScreen.home.isOutOfService || DeviceScreen.admin.isOutOfService)
    }
}
