import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// `check-config`'s coverage rule holds for browser edits too: a service is added with the windows that serve it, a
/// change that would leave a service without a window is refused naming it and the fix, and disabling the last staff
/// member able to serve gives check-config's warning — in both languages.
extension HallSettingsPagesTests {
    func testAServiceIsAddedWithTheWindowsThatServeItAndNeverWithoutOne() async throws {
        let hall = try await start()
        let admin = try AdminBrowser.signIn(hall)
        let service: [(String, String)] = [("id", "passport"), ("nameZh", "出入境"), ("nameEn", "Exit and entry"), ("prefix", "P")]

        // No window ticked: refused with check-config's words, nothing stored.
        let lonely = try admin.post("service", service)
        XCTAssertEqual(lonely.status, 422, lonely.body)
        XCTAssertTrue(lonely.body.contains(HTML.escape(HallCoverage.refusal(["passport"])!.en)), lonely.body)
        XCTAssertTrue(lonely.body.contains("事项 &#39;passport&#39; 没有窗口办理") || lonely.body.contains("事项 'passport' 没有窗口办理"), "in Chinese too")
        XCTAssertEqual(hall.desk.settings.now.version, 0)

        // Ticked at w2: the kiosk sees it served there.
        let added = try admin.post("service", service + [("windows", "w2")])
        XCTAssertEqual(added.status, 200, added.body)
        let awaited = try await hall.hall()
        XCTAssertEqual(awaited.windows.first { $0.id == "w2" }?.serviceIds, ["social", "passport"])
        XCTAssertEqual(awaited.services.last?.id, "passport")
        let audit = try await hall.desk.store.settingsAudit(limit: 1).first
        XCTAssertEqual(audit?.summary, "added service passport (windows: w2)")

        // Its form shows the windows that serve it, ticked.
        let form = try admin.get("/admin/settings?service=passport").body
        XCTAssertTrue(form.contains("name=\"windows\" value=\"w2\" checked"), "w2 ticked")
        XCTAssertTrue(form.contains("name=\"windows\" value=\"w1\">"), "w1 not ticked")

        // Moved from w2 to w1 and w3 in one change.
        XCTAssertEqual(try admin.post("service", service + [("windows", "w1"), ("windows", "w3")]).status, 200)
        let moved = try await hall.hall().windows.map { ($0.id, $0.serviceIds.contains("passport")) }
        XCTAssertEqual(moved.map(\.1), [true, false, true])
        // An unknown window is named.
        let unknown = try admin.post("service", service + [("windows", "w77")])
        XCTAssertEqual(unknown.status, 422)
        XCTAssertTrue(unknown.body.contains("no window has id &#39;w77&#39;") || unknown.body.contains("no window has id 'w77'"), unknown.body)
    }

    func testAWindowChangeThatWouldLeaveAServiceWithoutAWindowIsRefusedNamingItAndTheFix() async throws {
        let hall = try await start()
        let admin = try AdminBrowser.signIn(hall)
        let expected = try XCTUnwrap(HallCoverage.refusal(["bulk"]))
        // w3 is bulk's only window: changing it to serve hukou only, or removing it, would strand bulk.
        for (action, fields) in [("window", [("id", "w3"), ("nameZh", "3号窗口"), ("services", "hukou")]), ("removeWindow", [("id", "w3")])] {
            let reply = try admin.post(action, fields)
            XCTAssertEqual(reply.status, 422, "\(action): \(reply.body)")
            XCTAssertTrue(reply.body.contains(HTML.escape(expected.en)), "\(action) names bulk and the fix: \(reply.body)")
            XCTAssertTrue(reply.body.contains(HTML.escape(expected.zh)), "\(action) says it in Chinese")
        }
        // Taking social off w1 is fine: w2 still serves it.
        XCTAssertEqual(try admin.post("window", [("id", "w1"), ("nameZh", "1号窗口"), ("services", "hukou")]).status, 200)
        // … but then taking it off w2 too is not.
        let last = try admin.post("window", [("id", "w2"), ("nameZh", "2号窗口"), ("services", "hukou")])
        XCTAssertEqual(last.status, 422)
        XCTAssertTrue(last.body.contains(HTML.escape(HallCoverage.refusal(["social"])!.en)), last.body)
        XCTAssertEqual(hall.desk.settings.now.version, 1, "only the allowed change was stored")
        let awaited = try await hall.hall().windows.map(\.id)
        XCTAssertEqual(awaited, ["w1", "w2", "w3"])
    }

    func testDisablingTheLastStaffMemberWarnsAsCheckConfigDoes() async throws {
        let hall = try await start()
        let admin = try AdminBrowser.signIn(hall)
        let one = try admin.post("disableStaff", [("id", "s1")])
        XCTAssertEqual(one.status, 200)
        XCTAssertFalse(one.body.contains("notice warn"), "s2 can still serve everything")
        let last = try admin.post("disableStaff", [("id", "s2")])
        XCTAssertEqual(last.status, 200, "a warning, not a refusal")
        let warning = try XCTUnwrap(HallCoverage(hall.desk.hall).warningTexts.first)
        XCTAssertTrue(warning.en.contains("no staff member can serve 'hukou', 'social', 'bulk' (every staff member is disabled)"), warning.en)
        XCTAssertTrue(last.body.contains(HTML.escape(warning.en)) && last.body.contains(HTML.escape(warning.zh)), last.body)
        XCTAssertEqual(HallCoverage(hall.desk.hall).warnings, [warning.en], "the same words check-config prints")
        let enabled = try admin.post("enableStaff", [("id", "s2")])
        XCTAssertFalse(enabled.body.contains("notice warn"), "one enabled again: no warning")
    }
}
