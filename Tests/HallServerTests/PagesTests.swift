import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// The phone page, the staff console and the admin pages, over real HTTP.
final class PagesTests: XCTestCase {
    var live: LiveHall!

    override func tearDown() async throws {
        await live?.stop()
    }

    func testPhonePageShowsProgressAndEscapesWhatItShows() async throws {
        live = try await LiveHall.start(toml: TestHallConfig.toml(staffName: "<script>alert(1)</script>"))
        let ahead = try await live.issueTicket("hukou")
        let t = try await live.issueTicket("hukou")
        let page = try await live.send(.GET, "/t/\(t.token)")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.headers.first(name: "Content-Type")?.hasPrefix("text/html") ?? false)
        XCTAssertTrue(page.text.contains("A002"))
        XCTAssertTrue(page.text.contains("户籍办理"))
        XCTAssertTrue(page.text.contains("http-equiv=\"refresh\""), "refreshes itself while waiting")
        // One script only: the page's own live link (issue 19), constant text; nothing from the hall's data runs.
        XCTAssertEqual(page.text.components(separatedBy: "<script").count - 1, 1, "one script, the live link's")
        XCTAssertTrue(page.text.contains("<script>" + PhonePage.liveScript + "</script>"))
        XCTAssertFalse(page.text.contains("<script>alert(1)"), "names are escaped")
        XCTAssertFalse(page.text.contains(ahead.token), "nothing about other tickets")
        let english = try await live.send(.GET, "/t/\(t.token)?lang=en")
        XCTAssertTrue(english.text.contains("Household registration"))

        let staff = try await live.login("w1")
        _ = try await live.act("w1", "call-next", staffToken: staff)
        _ = try await live.act("w1", "complete", staffToken: staff)
        _ = try await live.act("w1", "call-next", staffToken: staff)
        _ = try await live.act("w1", "complete", staffToken: staff)
        let done = try await live.send(.GET, "/t/\(t.token)")
        XCTAssertTrue(done.text.contains("/t/\(t.token)/rating"), "the rating form appears after completion")
        XCTAssertTrue(done.text.contains("&lt;script&gt;"), "the staff name is shown escaped")
        XCTAssertNil(done.text.range(of: #"<input[^>]*\bchecked\b"#, options: .regularExpression),
                     "no level is pre-selected: ratings are voluntary")

        let noReason = try await live.send(.POST, "/t/\(t.token)/rating", body: Data("level=dissatisfied&lang=zh".utf8),
                                           contentType: "application/x-www-form-urlencoded")
        XCTAssertTrue(noReason.text.contains("至少选择一个原因"), noReason.text)
        let form = "level=veryDissatisfied&reasons=attitude&reasons=process&text=%E5%A4%AA%E6%85%A2&lang=zh"
        let rated = try await live.send(.POST, "/t/\(t.token)/rating", body: Data(form.utf8), contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(rated.status, 303, "POST-redirect-GET (issue 20)")
        let thanks = try await live.send(.GET, try XCTUnwrap(rated.headers.first(name: "Location")))
        XCTAssertEqual(thanks.status, 200)
        let again = try await live.send(.POST, "/t/\(t.token)/rating", body: Data(form.utf8), contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(again.status, 303, "a double submit is the same rating")
        XCTAssertEqual(again.headers.first(name: "Location"), rated.headers.first(name: "Location"), "and answered the same way")
        let stored = try await live.desk.database.read { db in
            try String.fetchAll(db, sql: "SELECT record FROM rating").map(HallDesk.decodeRecord)
        }
        XCTAssertEqual(stored.count, 1)
        XCTAssertEqual(stored.first?.channel, .phoneQr)
        XCTAssertEqual(stored.first?.reasons, [.attitude, .process])
        XCTAssertEqual(stored.first?.text, "太慢")
        let otherPost = try await live.send(.POST, "/t/\(t.token)/rating", body: Data("level=satisfied".utf8),
                                            contentType: "application/x-www-form-urlencoded")
        let other = try await live.send(.GET, try XCTUnwrap(otherPost.headers.first(name: "Location")))
        XCTAssertTrue(other.text.contains("已评价") || other.text.contains("already"), "a second, different rating is refused politely")
    }

    func testUnknownTokenRevealsNothing() async throws {
        live = try await LiveHall.start()
        let page = try await live.send(.GET, "/t/AAAAAAAAAAAAAAAAAAAAAAAA")
        XCTAssertEqual(page.status, 404)
        XCTAssertTrue(page.text.contains("未找到"))
        XCTAssertFalse(page.text.contains("测试政务服务中心"), "not even the hall name")
        let junk = try await live.send(.GET, "/t/%3Cscript%3E")
        XCTAssertEqual(junk.status, 404)
        XCTAssertFalse(junk.text.contains("<script>"))
    }

    func testStaffConsoleCallsAndCompletes() async throws {
        live = try await LiveHall.start()
        _ = try await live.issueTicket("hukou")
        let loginPage = try await live.send(.GET, "/staff")
        XCTAssertTrue(loginPage.text.contains("/staff/login"))
        let bad = try await live.send(.POST, "/staff/login", body: Data("windowId=w1&employeeNo=1001&pin=000000".utf8),
                                      contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(bad.status, 401)
        let login = try await live.send(.POST, "/staff/login", body: Data("windowId=w1&employeeNo=1001&pin=\(TestHallConfig.pin)".utf8),
                                        contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(login.status, 303)
        let cookie = try XCTUnwrap(login.headers.first(name: "Set-Cookie"))
        XCTAssertTrue(cookie.contains("HttpOnly"))
        XCTAssertTrue(cookie.contains("SameSite=Strict"))
        let session = String(cookie.split(separator: ";")[0])
        let console = try await live.send(.GET, "/staff", headers: [("Cookie", session)])
        XCTAssertTrue(console.text.contains("1号窗口"))
        // Every form carries the session's token (CSRF); the console's own forms send it back.
        let csrf = try XCTUnwrap(console.text.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression)
            .map { String(console.text[$0]).split(separator: "\"")[3] })
        // Each form redirects back to the console (303), which says what was done.
        let called = try await ConsoleClient(live: live, cookie: session, csrf: csrf).act("call-next")
        XCTAssertTrue(called.text.contains("A001"), called.text)
        _ = try await live.send(.POST, "/staff/action", headers: [("Cookie", session)], body: Data("csrf=\(csrf)&action=complete".utf8),
                                contentType: "application/x-www-form-urlencoded")
        let hall = try await live.hall()
        XCTAssertEqual(hall.windows.first { $0.id == "w1" }?.isOpen, true)
        let paused = try await live.send(.POST, "/staff/service", headers: [("Cookie", session)], body: Data("csrf=\(csrf)&serviceId=hukou&paused=1".utf8),
                                         contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(paused.status, 303)
        assertEq(try await live.hall().services.first { $0.id == "hukou" }?.state, .paused)
        let out = try await live.send(.POST, "/staff/logout", headers: [("Cookie", session)], body: Data("csrf=\(csrf)".utf8),
                                      contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(out.status, 303)
        assertEq(try await live.hall().windows.first { $0.id == "w1" }?.isOpen, false)
    }

    func testAdminPagesNeedTheAdminToken() async throws {
        live = try await LiveHall.start()
        let redirect = try await live.send(.GET, "/admin/reports")
        XCTAssertEqual(redirect.status, 303)
        XCTAssertEqual(redirect.headers.first(name: "Location"), "/admin/login?next=/admin/reports")
        let wrong = try await live.send(.POST, "/admin/login", body: Data("token=nope&next=/admin/reports".utf8),
                                        contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(wrong.status, 401)
        let login = try await live.send(.POST, "/admin/login", body: Data("token=\(TestHallConfig.adminToken)&next=//evil.example".utf8),
                                        contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(login.headers.first(name: "Location"), "/admin/devices", "only local redirects")
        let session = String(try XCTUnwrap(login.headers.first(name: "Set-Cookie")).split(separator: ";")[0])
        let report = try await live.send(.GET, "/admin/reports?from=2026-11-01&to=2026-11-30&by=service", headers: [("Cookie", session)])
        XCTAssertEqual(report.status, 200)
        XCTAssertTrue(report.text.contains("satisfaction.csv"))
        let csv = try await live.send(.GET, "/api/v1/reports/satisfaction.csv?from=2026-11-01&to=2026-11-30", headers: [("Cookie", session)])
        XCTAssertEqual(csv.status, 200, "the CSV link works from the report page's cookie")
    }
}
