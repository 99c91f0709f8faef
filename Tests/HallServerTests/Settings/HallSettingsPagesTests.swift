import Foundation
import HallAPI
@testable import HallServer
import HallSecrets
import XCTest

/// The hall manager edits the hall in the browser while kiosks keep running: each change is checked with the
/// `check-config` rules, takes effect without a restart, is in the audit log and comes back out as hall.toml.
final class HallSettingsPagesTests: LiveHallTestCase {
    /// Tuesday 2026-11-24 at `hh:mm` Beijing time (the day after `TestHallConfig.monday`).
    static func tuesday(_ hour: Int, _ minute: Int = 0) -> Date { TestHallConfig.monday(hour, minute) + 86400 }

    func testTheManagerAddsAWindowAndAStaffMemberAndChangesTomorrowsHoursWhileTheKioskRuns() async throws {
        let hall = try await start()
        let admin = try AdminBrowser.signIn(hall)
        let before = try await hall.hall()
        XCTAssertEqual(before.windows.map(\.id), ["w1", "w2", "w3"])

        // A window.
        let window = try admin.post("window", [("id", "w9"), ("nameZh", "9号窗口"), ("nameEn", "Window 9"), ("number", "9"),
                                               ("services", "hukou"), ("services", "social")])
        XCTAssertEqual(window.status, 200, window.body)
        XCTAssertTrue(window.body.contains("已保存（第 1 版）"), window.body)
        let withWindow = try await hall.hall()
        XCTAssertEqual(withWindow.windows.map(\.id), ["w1", "w2", "w3", "w9"], "the kiosk's next poll sees the window, no restart")
        XCTAssertEqual(withWindow.windows.last?.serviceIds, ["hukou", "social"])

        // A staff member, who logs in at the new window with the PIN the manager set.
        let staff = try admin.post("addStaff", [("name", "王芳"), ("employeeNo", "2001"), ("pin", "135790")])
        XCTAssertEqual(staff.status, 200, staff.body)
        XCTAssertFalse(staff.body.contains("135790"), "a PIN is never shown")
        let token = try await hall.login("w9", employeeNo: "2001", pin: "135790")
        let ticket = try await hall.issueTicket("hukou")
        let called = try await hall.act("w9", "call-next", staffToken: token)
        XCTAssertEqual(called.status, 200, called.text)
        XCTAssertEqual(try called.decode(WindowActionResult.self).ticket?.id, ticket.id)

        // Tomorrow (Tuesday) opens only 10:00–11:00.
        var hours = SettingsForm.weekdays.map { ($0.key, "08:30-12:00, 13:30-17:00") }
        hours[1] = ("tuesday", "10:00-11:00")
        hours[5] = ("saturday", "")
        hours[6] = ("sunday", "")
        let saved = try admin.post("hours", hours + [("stopIssuingMinutesBeforeClose", "15")])
        XCTAssertEqual(saved.status, 200, saved.body)
        let awaited1 = try await hall.hall().todayHours
        XCTAssertEqual(awaited1, [OpeningSession(start: "08:30", end: "12:00"), OpeningSession(start: "13:30", end: "17:00")],
                       "today's hours are as they were")
        hall.clock.set(Self.tuesday(9, 30))
        let tuesday = try await hall.hall()
        XCTAssertEqual(tuesday.todayHours, [OpeningSession(start: "10:00", end: "11:00")])
        XCTAssertEqual(tuesday.services.first { $0.id == "hukou" }?.state, .closed)
        let awaited2 = try await hall.issue("hukou").errorCode
        XCTAssertEqual(awaited2, "serviceClosed")
        hall.clock.set(Self.tuesday(10, 5))
        let awaited3 = try await hall.issue("hukou").status
        XCTAssertEqual(awaited3, 201)

        // The audit log says who changed what, with the item before and after, and never a secret (a day later: a new sign-in).
        let audit = try AdminBrowser.signIn(hall).get("/admin/settings/audit")
        XCTAssertEqual(audit.status, 200)
        for line in ["added window w9", "added staff s2001 (2001)", "changed opening hours", "10:00-11:00", "admin (session "] {
            XCTAssertTrue(audit.body.contains(line), "audit log lacks \(line)")
        }
        XCTAssertFalse(audit.body.contains("135790") || audit.body.contains("pbkdf2"), "no PIN and no PIN hash in the audit log")
        let awaited4 = try await hall.desk.store.settingsAudit(limit: 10).map(\.version)
        XCTAssertEqual(awaited4, [3, 2, 1])
    }

    func testTheExportIsAHallTomlCheckConfigAcceptsThatMakesTheSameHall() async throws {
        let hall = try await start()
        let admin = try AdminBrowser.signIn(hall)
        XCTAssertEqual(try admin.post("window", [("id", "w9"), ("nameZh", "9号窗口"), ("services", "bulk")]).status, 200)
        XCTAssertEqual(try admin.post("addStaff", [("name", "王芳"), ("employeeNo", "2001"), ("pin", "135790")]).status, 200)
        XCTAssertEqual(try admin.post("dates", [("closedDates", "2026-10-01\n2026-12-31"), ("workDates", "2026-11-28")]).status, 200)
        XCTAssertEqual(try admin.post("notices", [("kioskZh", "今日16:00停止取号"), ("kioskEn", "No tickets after 16:00"),
                                                  ("callingZh", "请保持安静"), ("callingEn", "Quiet please")]).status, 200)

        let export = try admin.get("/admin/settings/export")
        XCTAssertEqual(export.status, 200)
        XCTAssertTrue(export.headers.contains { $0.0.lowercased() == "content-disposition" && $0.1.contains("hall-test-hall-v4.toml") })
        XCTAssertFalse(export.body.contains(TestHallConfig.adminToken) || export.body.contains(TestHallConfig.kioskToken),
                       "tokens only as hashes")
        let file = hall.folder.appendingPathComponent("exported.toml").path
        try export.body.write(toFile: file, atomically: true, encoding: .utf8)
        // What check-config runs.
        let (config, exported) = try HallConfig.load(from: file)
        let running = hall.desk.hall
        XCTAssertEqual(exported.windows.map(\.id), running.windows.map(\.id))
        XCTAssertEqual(exported.services.map(\.id), running.services.map(\.id))
        XCTAssertEqual(exported.staff.map(\.employeeNo), running.staff.map(\.employeeNo))
        XCTAssertTrue(try XCTUnwrap(exported.staffMember(employeeNo: "2001")).pinHash.matches("135790"))
        XCTAssertEqual(exported.devices.map(\.tokenDigest), running.devices.map(\.tokenDigest))
        XCTAssertEqual(exported.closedDates, ["2026-10-01", "2026-12-31"])
        XCTAssertEqual(exported.workDates, ["2026-11-28"])
        XCTAssertEqual(exported.kioskNotice, LocalizedText(zh: "今日16:00停止取号", en: "No tickets after 16:00"))
        XCTAssertEqual(exported.notice, LocalizedText(zh: "请保持安静", en: "Quiet please"))
        XCTAssertEqual(exported.adminTokenDigest, running.adminTokenDigest)
        XCTAssertEqual(try HallSettings(from: config).digest(), try HallSettings(from: hall.desk.settings.now.config).digest(),
                       "the file holds the settings in force")

        // A server started on the exported file is the same hall.
        let second = try await LiveHall.start(now: TestHallConfig.monday(9), toml: export.body)
        defer { Task { await second.stop() } }
        let a = try await hall.hall()
        let b = try await second.hall()
        XCTAssertEqual(a.windows.map(\.id), b.windows.map(\.id))
        XCTAssertEqual(a.services.map(\.state), b.services.map(\.state))
        XCTAssertEqual(a.notice, b.notice)
        await second.stop()
    }

    func testAChangeThatBreaksACheckConfigRuleIsRefusedNamingTheProblemAndChangesNothing() async throws {
        let hall = try await start()
        let admin = try AdminBrowser.signIn(hall)
        let cases: [(String, [(String, String)], String)] = [
            ("window", [("id", "w9"), ("nameZh", "9号窗口")], "a window must serve at least one service"),
            ("service", [("id", "passport"), ("nameZh", "出入境"), ("prefix", "A")], "is already the prefix of service"),
            ("hours", [("monday", "25:00-26:00")], "is not a session like"),
            ("dates", [("closedDates", "2026-13-45")], "is not a date like"),
            ("dates", [("closedDates", "2026-11-28"), ("workDates", "2026-11-28")], "a day is either closed or a make-up workday"),
            ("addStaff", [("name", "重复"), ("employeeNo", "1001"), ("pin", "135790")], "is used by two staff members"),
            ("addStaff", [("name", "短"), ("employeeNo", "3001"), ("pin", "12")], "PIN: use 6–32 characters"),
            ("removeWindow", [("id", "w1")], "no window has id 'w1'"),
            ("addDevice", [("id", "kiosk-1"), ("role", "ticketKiosk")], "is used twice"),
        ]
        for (action, fields, problem) in cases {
            let reply = try admin.post(action, fields)
            XCTAssertEqual(reply.status, 422, "\(action): \(reply.body)")
            XCTAssertTrue(reply.body.contains(HTML.escape(problem)), "\(action) should say '\(problem)'")
        }
        XCTAssertEqual(hall.desk.settings.now.version, 0, "nothing was stored")
        let awaited5 = try await hall.desk.store.settingsAudit(limit: 10)
        XCTAssertEqual(awaited5, [])
        let awaited6 = try await hall.hall().windows.map(\.id)
        XCTAssertEqual(awaited6, ["w1", "w2", "w3"])

        // Forms need the session's form token and this server's origin.
        XCTAssertEqual(try admin.post("notices", [("kioskZh", "x")], token: false).status, 403)
        XCTAssertEqual(try admin.post("notices", [("kioskZh", "x")], headers: [("Origin", "http://127.0.0.1:\(hall.port + 1)")]).status, 403)
        let anonymous = try RawHTTP(port: hall.port).send("POST", "/admin/settings", body: "action=notices&kioskZh=x")
        XCTAssertEqual(anonymous.status, 303, "not signed in: to the login page")
        let awaited7 = try await hall.hall().notice
        XCTAssertNil(awaited7)
    }

    func testStaffAreDisabledUnlockedAndGetANewPin() async throws {
        let hall = try await start()
        let admin = try AdminBrowser.signIn(hall)
        // Five wrong PINs lock 1001 at this address.
        for _ in 0..<5 {
            let wrong = try await hall.send(.POST, "/api/v1/windows/w1/login", json: StaffLoginRequest(employeeNo: "1001", pin: "000000"))
            XCTAssertEqual(wrong.status, 401, wrong.text)
        }
        let locked = try await hall.send(.POST, "/api/v1/windows/w1/login", json: StaffLoginRequest(employeeNo: "1001", pin: TestHallConfig.pin))
        XCTAssertEqual(locked.status, 429, locked.text)
        let page = try admin.get("/admin/settings")
        XCTAssertTrue(page.body.contains("5 次密码错误"), "the page shows the wrong PINs")
        XCTAssertEqual(try admin.post("unlock", [("id", "s1")]).status, 200)
        _ = try await hall.login("w1")
        let awaited8 = try await hall.desk.store.settingsAudit(limit: 1).first?.summary.contains("unlocked staff s1") ?? false
        XCTAssertTrue(awaited8)

        // A new PIN: the old one stops working.
        XCTAssertEqual(try admin.post("resetPin", [("id", "s2"), ("pin", "975310")]).status, 200)
        let old = try await hall.send(.POST, "/api/v1/windows/w2/login", json: StaffLoginRequest(employeeNo: "1002", pin: TestHallConfig.pin))
        XCTAssertEqual(old.status, 401)
        let staffToken = try await hall.login("w2", employeeNo: "1002", pin: "975310")

        // Disabled: the open session ends and a login is refused saying why.
        XCTAssertEqual(try admin.post("disableStaff", [("id", "s2")]).status, 200)
        let awaited9 = try await hall.act("w2", "call-next", staffToken: staffToken).status
        XCTAssertEqual(awaited9, 401)
        let refused = try await hall.send(.POST, "/api/v1/windows/w2/login", json: StaffLoginRequest(employeeNo: "1002", pin: "975310"))
        XCTAssertEqual(refused.status, 401)
        XCTAssertTrue(refused.text.contains("disabled"), refused.text)
        XCTAssertEqual(try admin.post("enableStaff", [("id", "s2")]).status, 200)
        _ = try await hall.login("w2", employeeNo: "1002", pin: "975310")
    }

    func testADeviceTokenIsShownOnceWorksAtOnceAndStopsWhenTheDeviceIsRemoved() async throws {
        let hall = try await start()
        let admin = try AdminBrowser.signIn(hall)
        let added = try admin.post("addDevice", [("id", "kiosk-9"), ("role", "ticketKiosk")])
        XCTAssertEqual(added.status, 200, added.body)
        let token = try XCTUnwrap(added.body.range(of: "<div class=\"token mono\">([A-Za-z0-9_-]+)</div>", options: .regularExpression)
            .map { String(added.body[$0]).replacingOccurrences(of: "<div class=\"token mono\">", with: "").replacingOccurrences(of: "</div>", with: "") })
        XCTAssertGreaterThanOrEqual(token.count, 32)
        let awaited10 = try await hall.send(.GET, "/api/v1/hall", token: token).status
        XCTAssertEqual(awaited10, 200, "the new kiosk works at once")
        XCTAssertFalse(try admin.get("/admin/settings").body.contains(token), "shown once")
        XCTAssertFalse(try admin.get("/admin/settings/audit").body.contains(token))
        XCTAssertFalse(try admin.get("/admin/settings/export").body.contains(token))
        XCTAssertEqual(try admin.post("removeDevice", [("id", "kiosk-9")]).status, 200)
        let awaited11 = try await hall.send(.GET, "/api/v1/hall", token: token).status
        XCTAssertEqual(awaited11, 401, "a removed device's token stops working")
    }

    func testNoticesAndAMakeUpWorkdayReachTheKioskAndTheCallingScreens() async throws {
        let hall = try await start()
        var admin = try AdminBrowser.signIn(hall)
        XCTAssertEqual(try admin.post("notices", [("kioskZh", "今日16:00停止取号"), ("kioskEn", "No tickets after 16:00"),
                                                  ("callingZh", "请保持安静"), ("callingEn", "")]).status, 200)
        let awaited12 = try await hall.hall().notice
        XCTAssertEqual(awaited12, LocalizedText(zh: "今日16:00停止取号", en: "No tickets after 16:00"))
        let board = try await hall.send(.GET, "/api/v1/hall/board", token: TestHallConfig.kioskToken).decode(HallBoard.self)
        XCTAssertEqual(board.notice?.zh, "请保持安静")

        // Saturday 2026-11-28 is closed until it is made a make-up workday (调休上班) with Monday's hours.
        hall.clock.set(TestHallConfig.monday(9) + 5 * 86400)
        admin = try AdminBrowser.signIn(hall)
        let awaited13 = try await hall.hall().services.first { $0.id == "hukou" }?.state
        XCTAssertEqual(awaited13, .closed)
        XCTAssertEqual(try admin.post("dates", [("closedDates", "2026-10-01"), ("workDates", "2026-11-28")]).status, 200)
        let saturday = try await hall.hall()
        XCTAssertEqual(saturday.services.first { $0.id == "hukou" }?.state, .open)
        XCTAssertEqual(saturday.todayHours.first, OpeningSession(start: "08:30", end: "12:00"))
        let awaited14 = try await hall.issue("hukou").status
        XCTAssertEqual(awaited14, 201)
    }

    func testEditsSurviveARestartAndAResetGoesBackToTheFile() async throws {
        let first = try await start()
        let admin = try AdminBrowser.signIn(first)
        XCTAssertEqual(try admin.post("window", [("id", "w9"), ("nameZh", "9号窗口"), ("services", "bulk")]).status, 200)
        let folder = first.folder
        await first.stop()
        live = nil
        let second = try await LiveHall.start(folder: folder)
        live = second
        let awaited15 = try await second.hall().windows.map(\.id)
        XCTAssertEqual(awaited15, ["w1", "w2", "w3", "w9"], "the stored edit wins over the file after a restart")
        let again = try AdminBrowser.signIn(second)
        let reset = try again.post("reset", [("confirm", "yes")])
        XCTAssertEqual(reset.status, 200, reset.body)
        let awaited16 = try await second.hall().windows.map(\.id)
        XCTAssertEqual(awaited16, ["w1", "w2", "w3"])
        XCTAssertEqual(second.desk.settings.now.version, 2)
        let awaited17 = try await second.desk.store.settingsAudit(limit: 5).map(\.summary)
        XCTAssertEqual(awaited17, ["reset the settings to hall.toml", "added window w9"])
    }

    func testAChangeOnOneInstanceReachesAnotherSharingTheDatabaseWithinSeconds() async throws {
        let a = try await start()
        let b = try await LiveHall.start(folder: a.folder)
        defer { Task { await b.stop() } }
        let admin = try AdminBrowser.signIn(a)
        XCTAssertEqual(try admin.post("window", [("id", "w9"), ("nameZh", "9号窗口"), ("services", "bulk")]).status, 200)
        let started = Date()
        var seen = false
        while Date().timeIntervalSince(started) < 6 {
            if try await b.hall().windows.contains(where: { $0.id == "w9" }) { seen = true; break }
            try await Task.sleep(for: .milliseconds(100))
        }
        XCTAssertTrue(seen, "instance B took the change within 6 s")
        XCTAssertLessThan(Date().timeIntervalSince(started), 4, "the follower reads every 2 s")
        XCTAssertEqual(b.desk.settings.now.version, 1)
        await b.stop()
    }
}
