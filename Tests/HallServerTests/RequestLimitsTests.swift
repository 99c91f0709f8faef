import AsyncHTTPClient
import Foundation
import HallAPI
@testable import HallServer
import NIOCore
import XCTest

/// Rate and size limits over loopback HTTP against the real server (`[limits]` with `exemptLoopback = false`,
/// since every test client is on 127.0.0.1).
final class RequestLimitsTests: XCTestCase {
    var live: LiveHall?

    override func tearDown() async throws {
        await live?.stop()
    }

    func start(limits: String) async throws -> LiveHall {
        let hall = try await LiveHall.start(toml: TestHallConfig.toml() + "\n[limits]\n" + limits + "\n")
        live = hall
        return hall
    }

    func testOneAddressIsLimitedWith429RetryAfterAndTheAPIErrorShape() async throws {
        // Given 5 requests at once, then one a second
        let hall = try await start(limits: "perClientPerMinute = 60\nperClientBurst = 5\nperDevicePerMinute = 0\nexemptLoopback = false")
        for i in 1...5 {
            let r = try await hall.send(.GET, "/healthz")
            XCTAssertEqual(r.status, 200, "request \(i) is within the burst")
        }
        // When a sixth comes at once
        let r = try await hall.send(.GET, "/api/v1/hall", token: TestHallConfig.kioskToken)
        // Then 429, Retry-After, JSON error naming the limit
        XCTAssertEqual(r.status, 429, r.text)
        XCTAssertEqual(r.errorCode, APIErrorCode.rateLimited)
        XCTAssertTrue(r.text.contains("too many requests from this address (limit 60 a minute)"), r.text)
        let retry = Int(r.headers.first(name: "Retry-After") ?? "")
        XCTAssertNotNil(retry, "Retry-After header")
        XCTAssertTrue((1...2).contains(retry ?? 0), "one token a second: retry after about 1 s, got \(retry ?? -1)")
        XCTAssertEqual(r.headers.first(name: "Content-Type"), "application/json; charset=utf-8")

        // And after the wait the address may ask again
        hall.clock.advance(by: 1.1)
        let again = try await hall.send(.GET, "/healthz")
        XCTAssertEqual(again.status, 200)
    }

    func testEachDeviceTokenHasItsOwnBucket() async throws {
        let hall = try await start(limits: "perClientPerMinute = 0\nperDevicePerMinute = 30\nperDeviceBurst = 3\nexemptLoopback = false")
        for _ in 1...3 {
            let ok = try await hall.send(.GET, "/api/v1/hall", token: TestHallConfig.kioskToken)
            XCTAssertEqual(ok.status, 200)
        }
        let limited = try await hall.send(.GET, "/api/v1/hall", token: TestHallConfig.kioskToken)
        XCTAssertEqual(limited.status, 429, limited.text)
        XCTAssertTrue(limited.text.contains("too many requests from device 'kiosk-1'"), limited.text)
        XCTAssertNotNil(limited.headers.first(name: "Retry-After"))

        // Another device on the same address is not held back, nor are calls without a device token.
        let other = try await hall.send(.GET, "/api/v1/hall", token: TestHallConfig.kiosk2Token)
        XCTAssertEqual(other.status, 200, other.text)
        let health = try await hall.send(.GET, "/healthz")
        XCTAssertEqual(health.status, 200)
    }

    func testLoginAttemptsFromOneAddressAreLimited() async throws {
        let hall = try await start(limits: "perClientPerMinute = 0\nperDevicePerMinute = 0\nloginAttemptsPerMinute = 3\nexemptLoopback = false")
        // Different employee numbers: the per-employee lockout alone would never trigger.
        for n in 1...3 {
            let r = try await hall.send(.POST, "/api/v1/windows/w1/login", json: StaffLoginRequest(employeeNo: "90\(n)", pin: "000000"))
            XCTAssertEqual(r.status, 401, r.text)
        }
        let r = try await hall.send(.POST, "/api/v1/windows/w1/login", json: StaffLoginRequest(employeeNo: "1001", pin: TestHallConfig.pin))
        XCTAssertEqual(r.status, 429, "even the right PIN waits: \(r.text)")
        XCTAssertEqual(r.errorCode, APIErrorCode.tooManyAttempts)
        XCTAssertTrue(r.text.contains("too many login attempts from this address"), r.text)
        // Other requests from the address are not login attempts.
        let hallStatus = try await hall.send(.GET, "/api/v1/hall", token: TestHallConfig.kioskToken)
        XCTAssertEqual(hallStatus.status, 200)
    }

    func testWrongAdminTokensLockTheAddressOut() async throws {
        // Default limits (loopback exempt from rates): the admin lock applies anyway.
        let hall = try await LiveHall.start()
        live = hall
        func adminLogin(_ token: String) async throws -> LiveHall.Reply {
            try await hall.send(.POST, "/admin/login", body: Data("token=\(token)&next=/admin/devices".utf8),
                                contentType: "application/x-www-form-urlencoded")
        }
        for _ in 1...5 {
            let wrong = try await adminLogin("not-the-admin-token-000")
            XCTAssertEqual(wrong.status, 401)
        }
        let locked = try await adminLogin(TestHallConfig.adminToken)
        XCTAssertEqual(locked.status, 429, "after 5 wrong tokens even the right one waits")
        XCTAssertTrue(locked.text.contains("Too many wrong tokens"), locked.text)
        XCTAssertNotNil(locked.headers.first(name: "Retry-After"))

        // 15 minutes later the right token works again.
        hall.clock.advance(by: 15 * 60 + 1)
        let ok = try await adminLogin(TestHallConfig.adminToken)
        XCTAssertEqual(ok.status, 303, ok.text)
    }

    func testBodiesOverTheLimitAre413WithAClearMessage() async throws {
        let hall = try await start(limits: "maxBodyKiB = 1")
        let big = Data(("{\"serviceId\":\"hukou\",\"kioskId\":\"kiosk-1\",\"pad\":\"" + String(repeating: "x", count: 2000) + "\"}").utf8)
        // Declared length over the limit: refused before the body is read.
        let declared = try await hall.send(.POST, "/api/v1/tickets", token: TestHallConfig.kioskToken,
                                           headers: [("Idempotency-Key", UUID().uuidString)], body: big)
        XCTAssertEqual(declared.status, 413, declared.text)
        XCTAssertEqual(declared.errorCode, APIErrorCode.bodyTooLarge)
        XCTAssertTrue(declared.text.contains("larger than the limit of 1 KiB"), declared.text)

        // Chunked (no length): the handler's collect stops at the same limit.
        var request = HTTPClientRequest(url: hall.baseURL + "/api/v1/tickets")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(TestHallConfig.kioskToken)")
        request.headers.add(name: "Idempotency-Key", value: UUID().uuidString)
        request.headers.add(name: "Content-Type", value: "application/json")
        let chunks = stride(from: 0, to: big.count, by: 500).map { ByteBuffer(bytes: big[$0..<min($0 + 500, big.count)]) }
        let stream = AsyncStream<ByteBuffer> { continuation in
            for chunk in chunks { continuation.yield(chunk) }
            continuation.finish()
        }
        request.body = .stream(stream, length: .unknown)
        let response = try await hall.client.execute(request, timeout: .seconds(30))
        let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
        XCTAssertEqual(response.status.code, 413, body)
        XCTAssertTrue(body.contains("bodyTooLarge") && body.contains("1 KiB"), body)

        // A normal ticket request still fits.
        let small = try await hall.issue("hukou")
        XCTAssertEqual(small.status, 201, small.text)
    }

    func testLoopbackIsExemptByDefaultSoKioskTrafficAndBenchmarksAreNotThrottled() async throws {
        let hall = try await start(limits: "perClientPerMinute = 60\nperClientBurst = 2\nperDevicePerMinute = 60\nperDeviceBurst = 2")
        for i in 1...40 {
            let r = try await hall.issue("bulk")
            XCTAssertEqual(r.status, 201, "ticket \(i): \(r.text)")
        }
    }

    func testDefaultLimitsLetAKioskAndManyPhonesThrough() throws {
        let limits = RequestLimits()
        // A kiosk: status every 10 s, heartbeat every 30 s, a ticket per citizen — far below 600 a minute.
        XCTAssertEqual(limits.perDevice, RequestLimits.Rate(perMinute: 600, burst: 120))
        // Phones behind the hall's Wi-Fi share one address: 1200 a minute is 100 phones refreshing every 5 s.
        XCTAssertEqual(limits.perClient, RequestLimits.Rate(perMinute: 1200, burst: 300))
        XCTAssertEqual(limits.maxBodyBytes, 64 * 1024)
        XCTAssertTrue(limits.exemptLoopback)
    }

    func testTokenBucketRefillsAtTheConfiguredRate() {
        let limiter = RateLimiter(RequestLimits.Rate(perMinute: 120, burst: 4))
        for _ in 1...4 { XCTAssertNil(limiter.take("10.0.0.7", now: 100)) }
        let wait = limiter.take("10.0.0.7", now: 100)
        XCTAssertEqual(wait ?? 0, 0.5, accuracy: 0.001, "two tokens a second")
        XCTAssertNil(limiter.take("10.0.0.8", now: 100), "another address has its own bucket")
        XCTAssertNil(limiter.take("10.0.0.7", now: 100.5))
        XCTAssertNotNil(limiter.take("10.0.0.7", now: 100.5))
        XCTAssertNil(limiter.take("10.0.0.7", now: 110), "refilled")
    }

    func testBadLimitsAreRefusedNamingTheKey() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (section, expected) in [("[limits]\nperClientPerMinute = -5", "limits.perClientPerMinute: -5"),
                                    ("[limits]\nmaxBodyKiB = 0", "limits.maxBodyKiB: 0 must be 1"),
                                    ("[limits]\nperDevicePerMinute = 60\nperDeviceBurst = 0", "limits.perDeviceBurst: 0"),
                                    ("[backup]\nfolder = \"backups\"", "backup.folder: 'backups' must be an absolute path"),
                                    ("[backup]\nkeep = 0", "backup.keep: 0")] {
            let path = folder.appendingPathComponent("hall.toml").path
            try (TestHallConfig.toml() + "\n" + section + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try HallConfig.load(from: path), section) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
            }
        }
    }
}
