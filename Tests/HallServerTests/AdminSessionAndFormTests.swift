import Crypto
import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// Admin sessions, cross-site forms, redirects after login, heartbeats that anyone can send, slow bodies.
final class AdminSessionAndFormTests: LiveHallTestCase {

    func adminLogin(_ hall: LiveHall, next: String = "/admin/devices") throws -> RawHTTP.Reply {
        let encoded = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return try RawHTTP(port: hall.port).send("POST", "/admin/login", body: "token=\(TestHallConfig.adminToken)&next=\(encoded)")
    }

    // MARK: Item 4 — the admin cookie is a real session

    func testTheAdminCookieIsARandomServerSideSessionThatLogoutRevokes() async throws {
        let hall = try await start()
        let login = try adminLogin(hall)
        XCTAssertEqual(login.status, 303, login.body)
        let session = try XCTUnwrap(login.cookies[AdminCookie.name])
        let digest = Hex.encode(SHA256.hash(data: Data(TestHallConfig.adminToken.utf8)))
        XCTAssertNotEqual(session, digest, "the cookie must not be the stored hash of the admin token")
        XCTAssertGreaterThanOrEqual(session.count, 43, "256 random bits")
        let setCookie = try XCTUnwrap(login.headers.first { $0.0.lowercased() == "set-cookie" && $0.1.hasPrefix(AdminCookie.name) }?.1)
        XCTAssertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie)
        XCTAssertFalse(setCookie.contains("Secure"), "plain http here: Secure would make browsers drop it")

        // Whoever has hall.toml (its adminTokenSha256) is not admin with it.
        let forged = try RawHTTP(port: hall.port).send("GET", "/admin/devices", headers: [("Cookie", "\(AdminCookie.name)=\(digest)")])
        XCTAssertEqual(forged.status, 303, "a hash from the config is no session")
        let page = try RawHTTP(port: hall.port).send("GET", "/admin/devices", headers: [("Cookie", "\(AdminCookie.name)=\(session)")])
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("/admin/logout"), "the page offers sign-out")

        // Logout needs the page's form token, then the session is gone on the server.
        let noToken = try RawHTTP(port: hall.port).send("POST", "/admin/logout", headers: [("Cookie", "\(AdminCookie.name)=\(session)")], body: "")
        XCTAssertEqual(noToken.status, 403)
        let out = try RawHTTP(port: hall.port).send("POST", "/admin/logout", headers: [("Cookie", "\(AdminCookie.name)=\(session)")],
                                                    body: "csrf=\(FormToken.value(session: session))")
        XCTAssertEqual(out.status, 303)
        let after = try RawHTTP(port: hall.port).send("GET", "/admin/devices", headers: [("Cookie", "\(AdminCookie.name)=\(session)")])
        XCTAssertEqual(after.status, 303, "a copied cookie is worthless after logout")
        XCTAssertEqual(hall.desk.adminSessions.count, 0)

        // Sessions expire: 12 hours at most, 2 hours idle.
        let second = try XCTUnwrap(try adminLogin(hall).cookies[AdminCookie.name])
        hall.clock.advance(by: 2 * 3600 + 1)
        let idle = try RawHTTP(port: hall.port).send("GET", "/admin/devices", headers: [("Cookie", "\(AdminCookie.name)=\(second)")])
        XCTAssertEqual(idle.status, 303, "idle sessions end")
    }

    // Secure under TLS: HallTLSTests.testCookiesOverHTTPSAreSecureHttpOnlyAndSameSiteStrict (a real https server).

    // MARK: Item 5 — cross-site request forgery from another port of the same host

    func staffConsoleSession(_ hall: LiveHall) throws -> (cookie: String, token: String) {
        let login = try RawHTTP(port: hall.port).send("POST", "/staff/login", body: "windowId=w1&employeeNo=1001&pin=\(TestHallConfig.pin)")
        XCTAssertEqual(login.status, 303, login.body)
        let token = try XCTUnwrap(login.cookies[StaffCookie.name])
        return ("\(StaffCookie.name)=\(token)", token)
    }

    func testAPageOnAnotherPortCannotPauseAServiceOrCallANumber() async throws {
        let hall = try await start()
        let (cookie, token) = try staffConsoleSession(hall)
        let evil = "http://127.0.0.1:\(hall.port + 1)"
        // The attacker's page (another port: same site, other origin) posts the console's forms.
        let pause = try RawHTTP(port: hall.port).send("POST", "/staff/service", headers: [("Cookie", cookie), ("Origin", evil)],
                                                      body: "serviceId=hukou&paused=1&csrf=\(FormToken.value(session: token))")
        XCTAssertEqual(pause.status, 403, pause.body)
        let call = try RawHTTP(port: hall.port).send("POST", "/staff/action", headers: [("Cookie", cookie), ("Referer", evil + "/x.html")],
                                                     body: "action=call-next&csrf=\(FormToken.value(session: token))")
        XCTAssertEqual(call.status, 403, call.body)
        // Same host and port, other scheme (a page on https://…): the server speaks http, so it is another origin.
        let scheme = try RawHTTP(port: hall.port).send("POST", "/staff/service",
                                                       headers: [("Cookie", cookie), ("Origin", "https://127.0.0.1:\(hall.port)")],
                                                       body: "serviceId=hukou&paused=1&csrf=\(FormToken.value(session: token))")
        XCTAssertEqual(scheme.status, 403, scheme.body)
        // A browser that sends no Origin still needs the form token, which another origin cannot read.
        let blind = try RawHTTP(port: hall.port).send("POST", "/staff/service", headers: [("Cookie", cookie)], body: "serviceId=hukou&paused=1")
        XCTAssertEqual(blind.status, 403, blind.body)
        var status = try await hall.hall()
        XCTAssertNotEqual(status.services.first { $0.id == "hukou" }?.state, .paused, "nothing was paused")

        // The console's own page works: same origin and its token.
        let own = try RawHTTP(port: hall.port).send("POST", "/staff/service", headers: [("Cookie", cookie), ("Origin", "http://127.0.0.1:\(hall.port)")],
                                                    body: "serviceId=hukou&paused=1&csrf=\(FormToken.value(session: token))")
        XCTAssertEqual(own.status, 303, own.body)   // done: back to the console
        status = try await hall.hall()
        XCTAssertEqual(status.services.first { $0.id == "hukou" }?.state, .paused)
        // The page's forms carry the token.
        let page = try RawHTTP(port: hall.port).send("GET", "/staff", headers: [("Cookie", cookie)])
        XCTAssertTrue(page.body.contains("name=\"csrf\" value=\"\(FormToken.value(session: token))\""))
    }

    func testTheAdminCookieChangesNothingThroughTheAPI() async throws {
        let hall = try await start()
        let session = try XCTUnwrap(try adminLogin(hall).cookies[AdminCookie.name])
        let pause = try RawHTTP(port: hall.port).send("POST", "/api/v1/services/hukou/pause",
                                                      headers: [("Cookie", "\(AdminCookie.name)=\(session)")], body: "")
        XCTAssertEqual(pause.status, 401, "a cookie is never enough to change state through the API: \(pause.body)")
        let report = try RawHTTP(port: hall.port).send("GET", "/api/v1/reports/satisfaction.csv", headers: [("Cookie", "\(AdminCookie.name)=\(session)")])
        XCTAssertEqual(report.status, 200, "reads (the CSV link on the report page) still work")
    }

    // MARK: Item 11 — open redirect after admin login

    func testAdminLoginOnlyReturnsToThisServersAdminPages() async throws {
        let hall = try await start()
        for next in ["//evil.example", "/\t/evil.example", "/\\evil.example", "/\n/evil.example", "https://evil.example", "/admin/../..//evil.example",
                     "/admin//evil.example", "/admin/%2F%2Fevil.example", "/t/abc"] {
            let r = try adminLogin(hall, next: next)
            XCTAssertEqual(r.header("Location"), "/admin/devices", "next=\(next)")
        }
        XCTAssertEqual(try adminLogin(hall, next: "/admin/reports?from=2026-11-01&by=service").header("Location"),
                       "/admin/reports?from=2026-11-01&by=service")
    }

    // MARK: Item 11 — heartbeats anyone can send

    func testAHeartbeatWithAMadeUpTokenFromAnotherAddressRaisesNoAlert() async throws {
        let hall = try await start()
        let beat = "{\"version\":\"1\",\"uptimeSeconds\":5,\"outboxDepth\":0,\"outboxRejected\":0}"
        let kiosk = RawHTTP(port: hall.port)
        let ok = try kiosk.send("POST", "/api/v1/devices/kiosk-1/heartbeat", headers: [("Authorization", "Bearer \(TestHallConfig.kioskToken)")],
                                body: beat, contentType: "application/json")
        XCTAssertEqual(ok.status, 200, ok.body)
        let stranger = RawHTTP(port: hall.port, source: "127.0.0.2")
        _ = try stranger.send("POST", "/api/v1/devices/kiosk-1/heartbeat", headers: [("Authorization", "Bearer made-up")], body: beat,
                              contentType: "application/json")
        _ = try stranger.send("POST", "/api/v1/devices/kiosk-1/heartbeat", body: beat, contentType: "application/json")
        var alerts = try await hall.desk.deviceReports().first { $0.device.id == "kiosk-1" }?.alerts ?? []
        XCTAssertFalse(alerts.contains { $0.contains("token refused") }, "\(alerts)")
        // The kiosk itself with a wrong token is flagged, naming its address…
        _ = try kiosk.send("POST", "/api/v1/devices/kiosk-1/heartbeat", headers: [("Authorization", "Bearer wrong-token")], body: beat,
                           contentType: "application/json")
        alerts = try await hall.desk.deviceReports().first { $0.device.id == "kiosk-1" }?.alerts ?? []
        XCTAssertTrue(alerts.contains { $0.contains("token refused") && $0.contains("127.0.0.1") }, "\(alerts)")
        // …and a stranger's forged heartbeats afterwards cannot hide that alert.
        for _ in 1...20 {
            _ = try stranger.send("POST", "/api/v1/devices/kiosk-1/heartbeat", headers: [("Authorization", "Bearer made-up")], body: beat,
                                  contentType: "application/json")
        }
        alerts = try await hall.desk.deviceReports().first { $0.device.id == "kiosk-1" }?.alerts ?? []
        XCTAssertTrue(alerts.contains { $0.contains("token refused") && $0.contains("127.0.0.1") }, "\(alerts)")
    }

    func testHeartbeatsWithNegativeCountsAreRefused() async throws {
        let hall = try await start()
        for body in ["{\"version\":\"1\",\"uptimeSeconds\":5,\"outboxDepth\":-5,\"outboxRejected\":0}",
                     "{\"version\":\"1\",\"uptimeSeconds\":-1,\"outboxDepth\":0,\"outboxRejected\":0}",
                     "{\"version\":\"1\",\"uptimeSeconds\":5,\"outboxDepth\":0,\"outboxRejected\":-2}",
                     "{\"version\":\"1\",\"uptimeSeconds\":5,\"outboxDepth\":0,\"outboxRejected\":0,\"serverLatencyMs\":-3}"] {
            let r = try RawHTTP(port: hall.port).send("POST", "/api/v1/devices/kiosk-1/heartbeat",
                                                      headers: [("Authorization", "Bearer \(TestHallConfig.kioskToken)")], body: body,
                                                      contentType: "application/json")
            XCTAssertEqual(r.status, 400, "\(body) → \(r.body)")
            XCTAssertTrue(r.body.contains("must be 0"), r.body)
        }
    }

    // MARK: Item 11 — a body sent one byte at a time

    func testABodyTrickledOneByteAtATimeIsCutOffAtTheRequestDeadline() async throws {
        let hall = try await start(limits: "requestSeconds = 5\nidleSeconds = 20")
        let client = RawHTTP(port: hall.port)
        let fd = try client.connect()
        defer { close(fd) }
        try client.write(fd, "POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(TestHallConfig.kioskToken)\r\n"
            + "Idempotency-Key: \(UUID().uuidString)\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n")
        let started = Date()
        var closedAfter: Double?
        for _ in 0..<12 {
            try await Task.sleep(for: .seconds(1))
            if (try? client.write(fd, "{")) == nil { closedAfter = Date().timeIntervalSince(started); break }
            var probe = [UInt8](repeating: 0, count: 1)
            let n = recv(fd, &probe, 1, Int32(MSG_DONTWAIT))
            if n == 0 { closedAfter = Date().timeIntervalSince(started); break }
        }
        let after = try XCTUnwrap(closedAfter, "the server kept a trickling request open past 12 s")
        XCTAssertLessThan(after, 9, "closed near the 5 s deadline, not the idle timeout")
    }
}
