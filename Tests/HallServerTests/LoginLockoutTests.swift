import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// Attacks on the staff and admin logins from the hall Wi-Fi, each from its own loopback address (`RawHTTP`).
final class LoginLockoutTests: LiveHallTestCase {

    static func form(employeeNo: String, pin: String, window: String = "w1") -> String {
        "windowId=\(window)&employeeNo=\(employeeNo)&pin=\(pin)"
    }

    func apiLogin(_ hall: LiveHall, from source: String, employeeNo: String = "1001", pin: String,
                  headers: [(String, String)] = [], path: String = "/api/v1/windows/w1/login") throws -> RawHTTP.Reply {
        try RawHTTP(port: hall.port, source: source).send("POST", path, headers: headers,
                                                           body: "{\"employeeNo\":\"\(employeeNo)\",\"pin\":\"\(pin)\"}",
                                                           contentType: "application/json")
    }

    // MARK: Item 2 — a stranger cannot lock a clerk out

    func testWrongPINsFromAPhoneLockOnlyThatPhoneNotTheClerk() async throws {
        let hall = try await start()
        // A phone on the hall Wi-Fi tries PINs for the clerk 1001.
        for i in 1...5 {
            let r = try apiLogin(hall, from: "127.0.0.2", pin: "00000\(i)")
            XCTAssertEqual(r.status, 401, r.body)
        }
        let phone = try apiLogin(hall, from: "127.0.0.2", pin: TestHallConfig.pin)
        XCTAssertEqual(phone.status, 429, "the phone's address is locked for this number, even with the right PIN: \(phone.body)")
        XCTAssertNotNil(phone.header("Retry-After"))
        // The clerk at the window's console (another address) logs in at once.
        let clerk = try apiLogin(hall, from: "127.0.0.3", pin: TestHallConfig.pin)
        XCTAssertEqual(clerk.status, 200, "a stranger's wrong PINs must not lock the clerk out: \(clerk.body)")
    }

    func testManyAddressesLockOnlyUntrustedClientsTheClerksOwnConsoleGetsThrough() async throws {
        let hall = try await start()
        // Yesterday the clerk logged in at their console: it holds the console-trust cookie.
        let first = try apiLogin(hall, from: "127.0.0.3", pin: TestHallConfig.pin)
        XCTAssertEqual(first.status, 200, first.body)
        let trust = try XCTUnwrap(first.cookies.first { $0.key.hasPrefix("hk_console_") }, "a console-trust cookie is set")
        XCTAssertTrue(first.headers.contains { $0.0.lowercased() == "set-cookie" && $0.1.contains("HttpOnly") && $0.1.contains("SameSite=Strict") })
        // Five phones try five PINs each: 25 wrong PINs for 1001.
        for phone in 10...14 {
            for i in 1...5 { _ = try apiLogin(hall, from: "127.0.0.\(phone)", pin: "11111\(i)") }
        }
        // An address that has guessed wrong itself is held back now (the number is under attack)…
        _ = try apiLogin(hall, from: "127.0.0.20", pin: "222222")
        let dirty = try apiLogin(hall, from: "127.0.0.20", pin: TestHallConfig.pin)
        XCTAssertEqual(dirty.status, 429, dirty.body)
        XCTAssertTrue(dirty.body.contains("usual console"), dirty.body)
        // …but a clean address (the clerk at a new console) still logs in, and so do the clerk's own console and
        // the window's rating device.
        let fresh = try apiLogin(hall, from: "127.0.0.23", pin: TestHallConfig.pin)
        XCTAssertEqual(fresh.status, 200, fresh.body)
        // …but the clerk's own console and the window's rating device log in.
        let console = try apiLogin(hall, from: "127.0.0.3", pin: TestHallConfig.pin, headers: [("Cookie", "\(trust.key)=\(trust.value)")])
        XCTAssertEqual(console.status, 200, console.body)
        let device = try apiLogin(hall, from: "127.0.0.21", pin: TestHallConfig.pin,
                                  headers: [("Authorization", "Bearer \(TestHallConfig.ratingW1Token)")])
        XCTAssertEqual(device.status, 200, "the window's own device is trusted: \(device.body)")
        // A forged or another clerk's cookie is no help.
        _ = try apiLogin(hall, from: "127.0.0.22", pin: "333333")
        let forged = try apiLogin(hall, from: "127.0.0.22", pin: TestHallConfig.pin,
                                  headers: [("Cookie", "\(trust.key)=v1.abc.9999999999.0000")])
        XCTAssertEqual(forged.status, 429, "a forged cookie is no help: \(forged.body)")
    }

    func testUnknownEmployeeNumbersAreAnsweredLikeKnownOnes() async throws {
        let hall = try await start()
        for i in 1...5 { _ = try apiLogin(hall, from: "127.0.0.2", employeeNo: "1001", pin: "99999\(i)") }
        for i in 1...5 { _ = try apiLogin(hall, from: "127.0.0.2", employeeNo: "8888", pin: "99999\(i)") }
        let known = try apiLogin(hall, from: "127.0.0.2", employeeNo: "1001", pin: "123123")
        let unknown = try apiLogin(hall, from: "127.0.0.2", employeeNo: "8888", pin: "123123")
        XCTAssertEqual(known.status, 429)
        XCTAssertEqual(unknown.status, 429, "a made-up number locks like a real one, so the answer tells nothing")
    }

    func testMalformedEmployeeNumbersCountAgainstTheAddressAndALockedAddressCostsNoPINCheck() async throws {
        let hall = try await start()
        for i in 0..<30 {
            let r = try apiLogin(hall, from: "127.0.0.2", employeeNo: "x.\(i)", pin: "000000")
            XCTAssertEqual(r.status, 401, r.body)
        }
        let locked = try apiLogin(hall, from: "127.0.0.2", employeeNo: "x.99", pin: "000000")
        XCTAssertEqual(locked.status, 429, "30 wrong logins lock the address, whatever the numbers: \(locked.body)")
        let clerk = try apiLogin(hall, from: "127.0.0.2", pin: TestHallConfig.pin)
        XCTAssertEqual(clerk.status, 429)
    }

    func testJunkBearerTokensDoNotLockStaffLoginsFromTheirAddress() async throws {
        let hall = try await start()
        let client = RawHTTP(port: hall.port, source: "127.0.0.2")
        for i in 1...40 { _ = try client.send("GET", "/api/v1/hall", headers: [("Authorization", "Bearer rotated-\(i)")]) }
        let login = try apiLogin(hall, from: "127.0.0.2", pin: TestHallConfig.pin)
        XCTAssertEqual(login.status, 200, "an old kiosk token on this address must not lock the clerks out: \(login.body)")
    }

    func testIPv6AddressesAreCountedByTheirSlash64() {
        XCTAssertEqual(ClientAddress.key("2001:db8:1:2:aaaa::1"), ClientAddress.key("2001:db8:1:2:bbbb::9"))
        XCTAssertNotEqual(ClientAddress.key("2001:db8:1:2::1"), ClientAddress.key("2001:db8:1:3::1"))
        XCTAssertEqual(ClientAddress.key("::ffff:10.1.2.3"), "10.1.2.3")
        XCTAssertEqual(ClientAddress.key("10.1.2.3"), "10.1.2.3")
    }

    // MARK: Item 1 — bounded bookkeeping

    func testFailedLoginsWithEndlessEmployeeNumbersKeepNoKeysForThem() async throws {
        let hall = try await start()
        for i in 0..<300 {
            let junk = String(repeating: "9", count: 2000) + "\(i)"
            _ = try await hall.send(.POST, "/api/v1/windows/w1/login", json: StaffLoginRequest(employeeNo: junk, pin: "000000"))
        }
        XCTAssertLessThanOrEqual(hall.desk.loginGuard.keyCount, 1, "only the address is counted; malformed numbers are never keys")
    }

    func testRecentFailuresStaysWithinItsCapacityAndKeepsOnlyTheNewest() {
        var table = RecentFailures(window: 900, keep: 5, capacity: 100)
        let start = Date(timeIntervalSince1970: 1_000_000)
        for i in 0..<10_000 { table.record("key-\(i)", now: start + Double(i) * 0.01) }
        XCTAssertLessThanOrEqual(table.count, 100)
        for i in 0..<50 { table.record("one", now: start + 200 + Double(i)) }
        XCTAssertEqual(table.recent("one", now: start + 260).count, 5, "one key keeps at most `keep` timestamps")
        XCTAssertNotNil(table.lockedFor("one", limit: 5, now: start + 260))
        XCTAssertNil(table.lockedFor("one", limit: 5, now: start + 260 + 900), "expired after the window")
    }

    // MARK: Item 3 — the login limit applies to every spelling of the route

    func testLoginRateLimitCountsEverySpellingOfTheLoginRoutes() async throws {
        let hall = try await start(limits: "perClientPerMinute = 0\nperDevicePerMinute = 0\nloginAttemptsPerMinute = 3\nexemptLoopback = false")
        let variants = ["/api/v1/windows/w1/login/", "//api/v1/windows/w1/login", "/api/v1//windows/w1//login/"]
        for path in variants {
            let r = try apiLogin(hall, from: "127.0.0.2", employeeNo: "9\(path.count)", pin: "000000", path: path)
            XCTAssertTrue([401, 404].contains(r.status), "\(path): \(r.status) \(r.body)")
        }
        let fourth = try apiLogin(hall, from: "127.0.0.2", pin: TestHallConfig.pin)
        XCTAssertEqual(fourth.status, 429, "the variants were counted as login attempts: \(fourth.body)")
        // The form logins too.
        for path in ["/staff/login/", "//staff/login", "/admin/login/"] {
            _ = try RawHTTP(port: hall.port, source: "127.0.0.3").send("POST", path, body: Self.form(employeeNo: "77", pin: "000000"))
        }
        let form = try RawHTTP(port: hall.port, source: "127.0.0.3").send("POST", "/staff/login", body: Self.form(employeeNo: "1001", pin: TestHallConfig.pin))
        XCTAssertEqual(form.status, 429, form.body)
        XCTAssertTrue(form.header("Content-Type")?.hasPrefix("text/html") == true && form.body.contains("登录尝试过于频繁"),
                      "a browser gets the login page saying why: \(form.body.prefix(200))")
    }

    // MARK: Item 9 — one admin lockout for every way of presenting the token

    func testWrongAdminBearerTokensOnTheAPILockTheAddressOutEverywhere() async throws {
        let hall = try await start()
        let client = RawHTTP(port: hall.port, source: "127.0.0.2")
        for i in 1...5 {
            let r = try client.send("GET", "/api/v1/devices", headers: [("Authorization", "Bearer guess-\(i)")])
            XCTAssertEqual(r.status, 401, r.body)
        }
        let right = try client.send("GET", "/api/v1/devices", headers: [("Authorization", "Bearer \(TestHallConfig.adminToken)")])
        XCTAssertEqual(right.status, 429, "locked: even the right token waits \(right.body)")
        XCTAssertNotNil(right.header("Retry-After"))
        let page = try client.send("POST", "/admin/login", body: "token=\(TestHallConfig.adminToken)&next=/admin/devices")
        XCTAssertEqual(page.status, 429, "the login page shares the lock")
        let metrics = try client.send("GET", "/api/v1/hall", headers: [("Authorization", "Bearer \(TestHallConfig.adminToken)")])
        XCTAssertEqual(metrics.status, 429, "any route that takes the admin token shares the lock")
        // Devices on that address keep working; another address is not affected.
        let kiosk = try client.send("GET", "/api/v1/hall", headers: [("Authorization", "Bearer \(TestHallConfig.kioskToken)")])
        XCTAssertEqual(kiosk.status, 200)
        let other = try RawHTTP(port: hall.port, source: "127.0.0.3")
            .send("GET", "/api/v1/devices", headers: [("Authorization", "Bearer \(TestHallConfig.adminToken)")])
        XCTAssertEqual(other.status, 200, other.body)
        // Unknown tokens on any authenticated route count too.
        let third = RawHTTP(port: hall.port, source: "127.0.0.4")
        for i in 1...5 { _ = try third.send("GET", "/api/v1/hall", headers: [("Authorization", "Bearer nope-\(i)")]) }
        let after = try third.send("GET", "/api/v1/devices", headers: [("Authorization", "Bearer \(TestHallConfig.adminToken)")])
        XCTAssertEqual(after.status, 429, after.body)
        // 15 minutes later the lock is gone.
        hall.clock.advance(by: 15 * 60 + 1)
        let later = try client.send("GET", "/api/v1/devices", headers: [("Authorization", "Bearer \(TestHallConfig.adminToken)")])
        XCTAssertEqual(later.status, 200)
    }

    func testAnOldStaffTokenIsNotCountedAsAnAdminGuess() async throws {
        let hall = try await start()
        let staff = try await hall.login("w1")
        _ = try await hall.send(.POST, "/api/v1/windows/w1/logout", token: staff)
        let client = RawHTTP(port: hall.port, source: "127.0.0.2")
        for _ in 1...8 {
            let r = try client.send("GET", "/api/v1/hall", headers: [("Authorization", "Bearer \(staff)")])
            XCTAssertEqual(r.status, 401)
        }
        let admin = try client.send("GET", "/api/v1/devices", headers: [("Authorization", "Bearer \(TestHallConfig.adminToken)")])
        XCTAssertEqual(admin.status, 200, "a console polling with its logged-out token is no attacker: \(admin.body)")
    }

    // MARK: Item 11 — login timing

    func testAnUnknownEmployeeNumberTakesAsLongAsAWrongPIN() async throws {
        // Real-cost hashes, so the difference (if any) is far above the noise.
        let slow = try SecretHash.make(TestHallConfig.pin, rounds: 300_000).text
        let hall = try await LiveHall.start(toml: TestHallConfig.toml().replacingOccurrences(of: TestHallConfig.pinHash, with: slow))
        live = hall
        // Known and unknown numbers take turns, so a change in the machine's load (the suite runs tests side by side)
        // falls on both alike; each try comes from its own address (no lockout, far below the account's 20).
        var knownTimes: [Double] = [], unknownTimes: [Double] = []
        func time(_ employeeNo: String, from source: String, pin: String) throws -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try apiLogin(hall, from: source, employeeNo: employeeNo, pin: pin)
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }
        for i in 0..<6 {
            knownTimes.append(try time("1001", from: "127.0.0.\(30 + i)", pin: "13579\(i)"))
            unknownTimes.append(try time("4242", from: "127.0.0.\(60 + i)", pin: "13579\(i)"))
        }
        let known = knownTimes.sorted()[knownTimes.count / 2]
        let unknown = unknownTimes.sorted()[unknownTimes.count / 2]
        XCTAssertGreaterThan(unknown, known * 0.6, "unknown \(unknown) ms vs known \(known) ms: the time tells which numbers exist")
    }
}
