import Foundation
@testable import HallServer
import XCTest

/// Given a hall config, When `check-config` judges whether its services can be served, Then a service no window serves
/// is refused with the fix, and services nobody can staff are warned about.
final class HallCoverageTests: XCTestCase {
    private func hall(_ text: String) throws -> Hall {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("coverage-\(UUID().uuidString).toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try HallConfig.load(from: path).1
    }

    private static let lonely = """
        [[services]]
        id = "lonely"
        name = { zh = "无人窗口业务", en = "Service without a window" }
        prefix = "L"
        """

    func testEveryServiceWithAWindowAndStaffPasses() throws {
        let coverage = HallCoverage(try hall(TestHallConfig.toml()))
        XCTAssertEqual(coverage.unservedServices, [])
        XCTAssertEqual(coverage.unstaffedServices, [])
        XCTAssertNil(coverage.refusal)
        XCTAssertEqual(coverage.warnings, [])
    }

    func testAServiceNoWindowServesIsRefusedNamingItAndTheFix() throws {
        let coverage = HallCoverage(try hall(TestHallConfig.toml(extraServices: Self.lonely)))
        XCTAssertEqual(coverage.unservedServices, ["lonely"])
        let refusal = try XCTUnwrap(coverage.refusal)
        XCTAssertTrue(refusal.contains("no window serves 'lonely'"), refusal)
        XCTAssertTrue(refusal.contains("add it to a window's `services`, or remove the service"), refusal)
        let onlyHukou = TestHallConfig.toml()
            .replacingOccurrences(of: "services = [\"hukou\", \"social\"]", with: "services = [\"hukou\"]")
            .replacingOccurrences(of: "services = [\"social\"]", with: "services = [\"hukou\"]")
            .replacingOccurrences(of: "services = [\"bulk\"]", with: "services = [\"hukou\"]")
        let two = try XCTUnwrap(HallCoverage(try hall(onlyHukou)).refusal)
        XCTAssertTrue(two.contains("no window serves 'social', 'bulk'"), two)
        XCTAssertTrue(two.contains("add them to a window's `services`"), two)
    }

    func testServicesNobodyCanStaffAreWarnedNotRefused() throws {
        var text = TestHallConfig.toml()
        let staff = try XCTUnwrap(text.range(of: "[[staff]]"))
        let devices = try XCTUnwrap(text.range(of: "[[devices]]"))
        text.removeSubrange(staff.lowerBound..<devices.lowerBound)
        text = "staff = []\n" + text
        let coverage = HallCoverage(try hall(text))
        XCTAssertNil(coverage.refusal)
        XCTAssertEqual(coverage.unstaffedServices, ["hukou", "social", "bulk"])
        XCTAssertEqual(coverage.warnings.count, 1)
        XCTAssertTrue(coverage.warnings[0].contains("no staff member can serve 'hukou', 'social', 'bulk'"), coverage.warnings[0])
        XCTAssertTrue(coverage.warnings[0].contains("hallserver hash-secret"), coverage.warnings[0])
    }

    func testAHallWhoseStaffAreAllDisabledIsWarnedThatNobodyCanServe() throws {
        let text = TestHallConfig.toml().replacingOccurrences(of: "employeeNo = \"1001\"", with: "employeeNo = \"1001\"\ndisabled = true")
        XCTAssertEqual(HallCoverage(try hall(text)).warnings, [], "one staff member is enough")
        let none = HallCoverage(try hall(text.replacingOccurrences(of: "employeeNo = \"1002\"", with: "employeeNo = \"1002\"\ndisabled = true")))
        XCTAssertNil(none.refusal)
        XCTAssertEqual(none.unstaffedServices, ["hukou", "social", "bulk"])
        XCTAssertTrue(none.warnings[0].contains("no staff member can serve 'hukou', 'social', 'bulk' (every staff member is disabled)"), none.warnings[0])
        XCTAssertTrue(none.warningTexts[0].zh.contains("所有工作人员都已停用"), none.warningTexts[0].zh)
    }

    /// The halls the repository ships pass (the appliance's has no staff yet: warned).
    func testShippedHallsPass() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let demo = HallCoverage(try HallConfig.load(from: root.appendingPathComponent("kiosk/demo/hall.toml").path).1)
        XCTAssertNil(demo.refusal)
        XCTAssertEqual(demo.warnings, [])
        // The installer fills in the URL, the admin token's and the kiosk token's digests.
        let template = try String(contentsOfFile: root.appendingPathComponent("kiosk/install.d/hall.toml").path, encoding: .utf8)
        let appliance = HallCoverage(try hall(template
            .replacingOccurrences(of: "@PUBLIC_BASE_URL@", with: "https://hall.example.gov.cn")
            .replacingOccurrences(of: "@ADMIN_TOKEN_SHA256@", with: String(repeating: "a", count: 64))
            .replacingOccurrences(of: "@DEVICE_ID@", with: "kiosk-1")
            .replacingOccurrences(of: "@DEVICE_TOKEN_SHA256@", with: String(repeating: "b", count: 64))))
        XCTAssertNil(appliance.refusal)
        XCTAssertEqual(appliance.warnings.count, 1, "no staff yet: warned")
    }
}
