import Foundation
@testable import HallServer
import XCTest

/// `[maintenance]` in `hall.toml`: defaults, values, and refusals that name the key.
final class MaintenanceConfigTests: XCTestCase {
    private func loaded(_ extra: String) throws -> HallConfig {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString).toml").path
        try (TestHallConfig.toml() + "\n" + extra).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try HallConfig.load(from: path).0
    }

    func testDefaultsAndValues() throws {
        XCTAssertEqual(try Maintenance(try loaded("").maintenance), Maintenance())
        XCTAssertEqual(Maintenance().windowEventDays, 30)
        XCTAssertEqual(Maintenance().reserveBytes, 16 << 20)
        let set = try Maintenance(try loaded("[maintenance]\nwindowEventDays = 7\ndiskReserveMiB = 0\n").maintenance)
        XCTAssertEqual(set.windowEventDays, 7)
        XCTAssertEqual(set.reserveBytes, 0)
    }

    func testRefusalsNameTheKey() {
        let cases = [
            ("[maintenance]\nwindowEventDays = 0\n", "maintenance.windowEventDays: 0 must be 1 … 3650 (days)"),
            ("[maintenance]\ndiskReserveMiB = 4096\n", "maintenance.diskReserveMiB: 4096 must be 0 (none) … 1024 (MiB)"),
            ("[maintenance]\nwindowEventDay = 7\n", "maintenance.windowEventDay: unknown key; did you mean 'windowEventDays'?"),
        ]
        for (extra, expected) in cases {
            XCTAssertThrowsError(try loaded(extra)) { error in
                XCTAssertTrue("\(error)".contains(expected), "expected '\(expected)' in: \(error)")
            }
        }
    }
}
