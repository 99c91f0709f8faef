import Foundation
import HallAPI
import NIOHTTP1
@testable import HallServer
import XCTest

/// Authentication on every endpoint and clear answers to bad input.
final class APIHygieneTests: XCTestCase {
    var live: LiveHall!

    override func setUp() async throws {
        live = try await LiveHall.start()
    }

    override func tearDown() async throws {
        await live.stop()
    }

    func testEveryProtectedAPIRouteRefusesAnonymousCallers() async throws {
        // Routes that answer without credentials, by design.
        let open: Set<String> = ["GET /healthz", "GET /metrics", "GET /api/v1/tickets/{token}", "POST /api/v1/windows/{id}/login",
                                 "POST /api/v1/ratings"]
        var checked = 0
        for route in HallRoutes.all where route.audience == .api {
            let key = route.description
            guard !open.contains(key) else { continue }
            let path = route.template.replacingOccurrences(of: "{id}", with: "w1").replacingOccurrences(of: "{source}", with: "gov")
                .replacingOccurrences(of: "{externalId}", with: "a1")
            let method: HTTPMethod = switch route.method {
            case .GET: .GET
            case .POST: .POST
            case .PUT: .PUT
            case .DELETE: .DELETE
            }
            let r = try await live.send(method, path, body: Data("{}".utf8))
            XCTAssertEqual(r.status, 401, "\(key) answered \(r.status) without a token: \(r.text)")
            XCTAssertEqual(r.errorCode, APIErrorCode.unauthorized, key)
            let wrong = try await live.send(method, path, token: "not-a-token-of-anyone-here",
                                            body: Data("{}".utf8))
            XCTAssertEqual(wrong.status, 401, "\(key) with a wrong token")
            // Wrong tokens count towards the address's admin lockout (5 in 15 minutes): let each count expire.
            live.clock.advance(by: 16 * 60)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 15)
        // Ratings without a device token are only for the phone channel.
        let anonymous = try await live.send(.POST, "/api/v1/ratings", headers: [("Idempotency-Key", "k-123456789")],
                                            json: RatingSubmission(ratingId: "k-123456789", ticketId: "x", channel: .kiosk, level: .satisfied))
        XCTAssertEqual(anonymous.status, 401)
    }

    func testDevicesCannotDoStaffOrAdminWork() async throws {
        let kiosk = TestHallConfig.kioskToken
        assertEq(try await live.send(.POST, "/api/v1/windows/w1/call-next", token: kiosk).status, 401)
        assertEq(try await live.send(.GET, "/api/v1/devices", token: kiosk).status, 401)
        assertEq(try await live.send(.POST, "/api/v1/services/hukou/pause", token: kiosk).status, 403)
        assertEq(try await live.send(.POST, "/api/v1/devices/rating-w1/heartbeat", token: kiosk,
                                     json: DeviceHeartbeat(version: "1", uptimeSeconds: 1, printer: nil, outboxDepth: 0,
                                                           outboxRejected: 0, lastError: nil, screen: nil)).status, 403)
        let staff = try await live.login("w2", employeeNo: "1002")
        assertEq(try await live.send(.POST, "/api/v1/services/hukou/pause", token: staff).errorCode, APIErrorCode.serviceNotAtWindow)
        assertEq(try await live.send(.POST, "/api/v1/services/social/pause", token: staff).status, 200)
    }

    func testMalformedBodiesGetAClear4xx() async throws {
        let kiosk = TestHallConfig.kioskToken
        let key = [("Idempotency-Key", UUID().uuidString)]
        let notJSON = try await live.send(.POST, "/api/v1/tickets", token: kiosk, headers: key, body: Data("{\"serviceId\":".utf8))
        XCTAssertEqual(notJSON.status, 400)
        XCTAssertEqual(notJSON.errorCode, APIErrorCode.malformedJSON)
        let wrongType = try await live.send(.POST, "/api/v1/tickets", token: kiosk, headers: key,
                                            body: Data("{\"serviceId\": 42, \"kioskId\": \"kiosk-1\"}".utf8))
        XCTAssertEqual(wrongType.status, 400)
        XCTAssertTrue(wrongType.text.contains("serviceId"), "names the field: \(wrongType.text)")
        let missing = try await live.send(.POST, "/api/v1/tickets", token: kiosk, headers: key, body: Data("{\"kioskId\": \"kiosk-1\"}".utf8))
        XCTAssertTrue(missing.text.contains("serviceId: missing"), missing.text)
        let empty = try await live.send(.POST, "/api/v1/tickets", token: kiosk, headers: key, body: nil)
        XCTAssertEqual(empty.status, 400)
        let huge = try await live.send(.POST, "/api/v1/tickets", token: kiosk, headers: key,
                                       body: Data(("{\"serviceId\":\"" + String(repeating: "x", count: 200_000) + "\"}").utf8))
        XCTAssertEqual(huge.status, 413)
        XCTAssertEqual(huge.errorCode, APIErrorCode.bodyTooLarge)
        let form = try await live.send(.POST, "/api/v1/tickets", token: kiosk, headers: key,
                                       body: Data("serviceId=hukou".utf8), contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(form.status, 415)
        let badDate = try await live.send(.POST, "/api/v1/ratings", token: TestHallConfig.ratingW1Token, headers: [("Idempotency-Key", "r-1234567")],
                                          body: Data("{\"ratingId\":\"r-1234567\",\"ticketId\":\"x\",\"channel\":\"windowDevice\",\"level\":\"satisfied\",\"reasons\":[],\"ratedAt\":\"yesterday\"}".utf8))
        XCTAssertEqual(badDate.status, 400)
        XCTAssertTrue(badDate.text.contains("RFC 3339"), badDate.text)
        let longKey = try await live.issue("hukou", key: String(repeating: "k", count: 300))
        XCTAssertEqual(longKey.status, 400)
        let unknownRoute = try await live.send(.GET, "/api/v1/nothing-here", token: kiosk)
        XCTAssertEqual(unknownRoute.status, 404)
        XCTAssertEqual(unknownRoute.errorCode, APIErrorCode.notFound)
        // Hostile number lookups are refused before touching the database.
        assertEq(try await live.send(.GET, "/api/v1/tickets?number=A001%27%20OR%201=1", token: kiosk).status, 400)
    }

    func testHeartbeatsShowOnTheDevicePage() async throws {
        let beat = DeviceHeartbeat(version: "0.1.0", uptimeSeconds: 3600, printer: PrinterHealth(condition: .paperOut, reasons: ["media-empty"]),
                                   outboxDepth: 12, outboxRejected: 1, lastError: nil, screen: "home")
        let r = try await live.send(.POST, "/api/v1/devices/kiosk-1/heartbeat", token: TestHallConfig.kioskToken, json: beat)
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(try r.decode(HeartbeatAck.self).hallDay, "2026-11-23")
        let devices = try await live.send(.GET, "/api/v1/devices", token: TestHallConfig.adminToken).decode([DeviceStatusEntry].self)
        let kiosk = try XCTUnwrap(devices.first { $0.id == "kiosk-1" })
        XCTAssertEqual(kiosk.alerts, ["打印机缺纸 / printer out of paper", "12 条评价待发送 / 12 ratings waiting to be sent",
                                      "1 条评价被拒 / 1 ratings rejected"])
        XCTAssertEqual(devices.first { $0.id == "kiosk-2" }?.alerts, ["从未上报 / never reported"])
        live.clock.advance(by: 600)
        let later = try await live.send(.GET, "/api/v1/devices", token: TestHallConfig.adminToken).decode([DeviceStatusEntry].self)
        XCTAssertEqual(later.first { $0.id == "kiosk-1" }?.alerts.first, "10 分钟无心跳 / no heartbeat for 10 min")
        let page = try await live.send(.GET, "/admin/devices", token: TestHallConfig.adminToken)
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("kiosk-1"))
        XCTAssertTrue(page.text.contains("printer out of paper"), "the page flags the printer")
    }

    func testTheDevicePageNamesARefusedTokenAndRatingsThatStayUnsent() async throws {
        // A kiosk whose token does not match the hall config: its heartbeats are refused, and the page says why.
        let wrong = DeviceHeartbeat(version: "0.1.0", uptimeSeconds: 60, printer: nil, outboxDepth: 0, outboxRejected: 0,
                                    lastError: nil, screen: "home")
        let refused = try await live.send(.POST, "/api/v1/devices/kiosk-2/heartbeat", token: "a-token-nobody-configured", json: wrong)
        XCTAssertEqual(refused.status, 401)
        func alerts(_ id: String) async throws -> [String] {
            let devices = try await live.send(.GET, "/api/v1/devices", token: TestHallConfig.adminToken).decode([DeviceStatusEntry].self)
            return try XCTUnwrap(devices.first { $0.id == id }).alerts
        }
        // It never reported: the page says so and names where the wrong-token heartbeats came from.
        let kiosk2 = try await alerts("kiosk-2")
        XCTAssertEqual(kiosk2, ["从未上报（收到令牌错误的心跳，来自 127.0.0.1）/ never reported: heartbeats with a wrong token came from 127.0.0.1"])
        // The right token clears it.
        let ok = try await live.send(.POST, "/api/v1/devices/kiosk-2/heartbeat", token: TestHallConfig.kiosk2Token, json: wrong)
        XCTAssertEqual(ok.status, 200, ok.text)
        let cleared = try await alerts("kiosk-2")
        XCTAssertEqual(cleared, [])

        // A kiosk set up with another device's token (a copied config) is refused (403) and flagged the same way.
        let borrowed = try await live.send(.POST, "/api/v1/devices/kiosk-2/heartbeat", token: TestHallConfig.kioskToken, json: wrong)
        XCTAssertEqual(borrowed.status, 403)
        let flaggedAgain = try await alerts("kiosk-2")
        XCTAssertTrue(flaggedAgain.first?.hasPrefix("设备令牌被拒绝") == true, "\(flaggedAgain)")
        _ = try await live.send(.POST, "/api/v1/devices/kiosk-2/heartbeat", token: TestHallConfig.kiosk2Token, json: wrong)
        let clearedAgain = try await alerts("kiosk-2")
        XCTAssertEqual(clearedAgain, [])

        // Ratings that stay in a device's outbox while its heartbeats arrive are being refused: flagged after 10 min.
        var waiting = wrong
        waiting.outboxDepth = 3
        for minute in [0, 5, 11] {
            if minute > 0 { live.clock.advance(by: Double(minute == 5 ? 300 : 360)) }
            let r = try await live.send(.POST, "/api/v1/devices/kiosk-1/heartbeat", token: TestHallConfig.kioskToken, json: waiting)
            XCTAssertEqual(r.status, 200)
            let flagged = try await alerts("kiosk-1")
            if minute < 10 {
                XCTAssertEqual(flagged, [], "3 waiting for \(minute) min is normal")
            } else {
                XCTAssertEqual(flagged, ["3 条评价已 11 分钟未送达 / 3 ratings not delivered for 11 min"])
            }
        }
        waiting.outboxDepth = 0
        _ = try await live.send(.POST, "/api/v1/devices/kiosk-1/heartbeat", token: TestHallConfig.kioskToken, json: waiting)
        let emptied = try await alerts("kiosk-1")
        XCTAssertEqual(emptied, [], "an emptied outbox clears it")
    }

    func testHealthAndMetrics() async throws {
        _ = try await live.issueTicket("hukou")
        let health = try await live.send(.GET, "/healthz")
        XCTAssertEqual(health.status, 200)
        XCTAssertEqual(try health.decode(HealthStatus.self).status, "ok")
        let metrics = try await live.send(.GET, "/metrics")
        XCTAssertTrue(metrics.text.contains("hall_tickets_issued_total{service=\"hukou\"} 1"), metrics.text)
        XCTAssertTrue(metrics.text.contains("hall_tickets_waiting{service=\"hukou\"} 1"), metrics.text)
        XCTAssertFalse(metrics.text.contains("token"), "no secrets in metrics")
    }

    /// With `hall.metricsToken` set, `/metrics` answers only the metrics token (Prometheus `bearer_token`) or the
    /// admin token.
    func testMetricsTokenProtectsMetrics() async throws {
        await live.stop()
        let toml = TestHallConfig.toml().replacingOccurrences(
            of: "adminToken = \"\(TestHallConfig.adminToken)\"",
            with: "adminToken = \"\(TestHallConfig.adminToken)\"\nmetricsToken = \"prometheus-scrape-token-42\"")
        XCTAssertTrue(toml.contains("metricsToken"))
        live = try await LiveHall.start(toml: toml)
        let anonymous = try await live.send(.GET, "/metrics")
        XCTAssertEqual(anonymous.status, 401)
        XCTAssertTrue(anonymous.text.contains("metricsToken"), anonymous.text)
        let wrong = try await live.send(.GET, "/metrics", token: "wrong-token-wrong-token")
        XCTAssertEqual(wrong.status, 401)
        let device = try await live.send(.GET, "/metrics", token: TestHallConfig.kioskToken)
        XCTAssertEqual(device.status, 401, "a device token is not enough")
        let scraped = try await live.send(.GET, "/metrics", token: "prometheus-scrape-token-42")
        XCTAssertEqual(scraped.status, 200)
        XCTAssertTrue(scraped.text.contains("hall_http_requests_total"), scraped.text)
        let admin = try await live.send(.GET, "/metrics", token: TestHallConfig.adminToken)
        XCTAssertEqual(admin.status, 200)
    }
}
