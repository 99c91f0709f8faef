import Foundation
import HallAPI
import HallTestSupport
import XCTest

/// The real hall server seen from a test: serve tickets at a window, find ratings.
struct RatingFixture {
    let server: HallServerProcess
    let admin = "demo-admin-token-change-me"
    let kioskToken = "demo-kiosk-01-token-change-me"

    /// Issues a ticket for `service` at the kiosk and serves it to completion at `window`; returns its number.
    @discardableResult
    func serveTicket(service: String = "hukou", staffToken: String, window: String = "w01") throws -> String {
        try serveIssuedTicket(service: service, staffToken: staffToken, window: window).number
    }

    /// A ticket issued for kiosk-01 and served to completion at `window`, as the kiosk received it.
    func serveIssuedTicket(service: String = "hukou", staffToken: String, window: String = "w01") throws -> IssuedTicket {
        let (data, status) = try HallServerProcess.request(
            "POST", "\(server.baseURL)/api/v1/tickets", token: kioskToken,
            body: #"{"serviceId":"\#(service)","kioskId":"kiosk-01"}"#, headers: [("Idempotency-Key", UUID().uuidString)])
        XCTAssertEqual(status, 201, String(decoding: data, as: UTF8.self))
        let ticket = try HallJSON.decoder().decode(IssuedTicket.self, from: data)
        for action in ["call-next", "start", "complete"] {
            let (body, code) = try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/windows/\(window)/\(action)",
                                                             token: staffToken, body: "{}")
            XCTAssertEqual(code, 200, "\(action): \(String(decoding: body, as: UTF8.self))")
        }
        return ticket
    }

    /// The ids of the ratings the kiosk stored in its outbox (its `ratingQueued` events), in order.
    func ratingIds(in kiosk: KioskProcess.Running) -> [String] {
        kiosk.events.matching("ratingQueued").compactMap { $0["ratingId"] }
    }

    func rating(_ id: String) throws -> RatingRecord {
        let deadline = Date().addingTimeInterval(20)
        while true {
            let (data, status) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/ratings/\(id)", token: admin)
            if status == 200 { return try HallJSON.decoder().decode(RatingRecord.self, from: data) }
            guard Date() < deadline else { throw TestFailure("rating \(id) never reached the server (HTTP \(status))") }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

}

/// Ratings end to end: the real `hallkiosk` (offscreen, scripted) as a window rating device and as a ticket
/// kiosk, against the real `hallserver`; the server must hold exactly the rating the citizen made.
final class RatingSessionTests: XCTestCase {
    var server: HallServerProcess!
    var folder: URL!
    let admin = "demo-admin-token-change-me"
    let kioskToken = "demo-kiosk-01-token-change-me"

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rating-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        server = try HallServerProcess()
    }

    override func tearDown() {
        server?.stop()
    }

    var fixture: RatingFixture { RatingFixture(server: server) }
    func serveTicket(staffToken: String) throws -> String { try fixture.serveTicket(staffToken: staffToken) }
    func ratingIds(in kiosk: KioskProcess.Running) -> [String] { fixture.ratingIds(in: kiosk) }
    func rating(_ id: String) throws -> RatingRecord { try fixture.rating(id) }

    func testWindowDeviceAsksWithinASecondAndStoresVeryDissatisfiedWithTwoReasons() throws {
        let config = try KioskProcess.writeRatingConfig(in: folder, serverURL: server.baseURL)
        let kiosk = try KioskProcess.launch(config: config, script: """
            wait-text 本窗口暂停服务 20000
            wait-text 工号 1001 20000
            wait-text 请您对本次服务进行评价 30000
            expect-text 张敏
            tap-text 非常不满意
            wait-text 请选择不满意的原因 3000
            tap-text 提交
            expect-no-text 感谢
            tap-text 服务态度
            tap-text 政策解释
            tap-text 提交
            wait-text 感谢您的评价 5000
            expect-no-text 非常不满意
            wait-text 等待叫号 10000
            quit
            """, in: folder)
        XCTAssertTrue(kiosk.waitForEvent("screen", ["screen": "ratingIdle"], timeoutSeconds: 30), kiosk.output)
        let staff = try server.staffToken(window: "w01", employeeNo: "1001")
        // The device follows the window live once it has heard the login (its event stream), not after a fixed 1.5 s.
        XCTAssertTrue(kiosk.waitForEvent("windowEvent", ["kind": "staffLoggedIn"], timeoutSeconds: 15), kiosk.output)
        let number = try serveTicket(staffToken: staff)
        let completedAt = Date()
        XCTAssertTrue(kiosk.waitForEvent("screen", ["screen": "rating"], timeoutSeconds: 10), kiosk.output)
        let promptDelay = Date().timeIntervalSince(completedAt)
        print("rating prompt \(Int(promptDelay * 1000)) ms after the window completed the service")
        XCTAssertLessThan(promptDelay, 1.5, "the prompt appears within about a second (took \(promptDelay) s)")
        let (code, output) = kiosk.finish()
        XCTAssertEqual(code, 0, output)
        let ids = ratingIds(in: kiosk)
        XCTAssertEqual(ids.count, 1, output)
        let record = try rating(try XCTUnwrap(ids.first))
        XCTAssertEqual(record.ticketNumber, number)
        XCTAssertEqual(record.level, .veryDissatisfied)
        XCTAssertEqual(record.reasons, [.attitude, .explanation])
        XCTAssertEqual(record.channel, .windowDevice)
        XCTAssertEqual(record.deviceId, "rating-w01")
        XCTAssertEqual(record.windowId, "w01")
        XCTAssertEqual(record.staffId, "s01")
        XCTAssertEqual(record.source, .active)
    }

    func testKioskRatesByNumberOnlyWithTheTicketsCodeAndRefusesASecondRatingByQR() throws {
        let staff = try server.staffToken(window: "w01", employeeNo: "1001")
        let ticket = try fixture.serveIssuedTicket(staffToken: staff)
        let number = ticket.number
        let ratingCode = try XCTUnwrap(ticket.ratingCode)
        let wrongCode = ratingCode == "0000" ? "1111" : "0000"
        let config = try KioskProcess.writeConfig(in: folder, serverURL: server.baseURL)
        let kiosk = try KioskProcess.launch(config: config, script: """
            wait-text 户籍办理 15000
            tap-text 评价
            wait-text 评价服务 3000
            type \(number)
            key Return
            wait-text 请输入 \(number) 的评价码 3000
            expect-no-text 请您对本次服务进行评价
            type \(wrongCode)
            key Return
            wait-text 评价码不对 5000
            type \(ratingCode)
            key Return
            wait-text 请您对本次服务进行评价 5000
            expect-text 张敏
            tap-text 基本满意
            wait-text 感谢您的评价 5000
            wait-text 户籍办理 10000
            tap-text 评价
            wait-text 评价服务 3000
            type \(ticket.lookupUrl)
            key Return
            wait-text 已经评价过 10000
            quit
            """, in: folder)
        let (code, output) = kiosk.finish()
        XCTAssertEqual(code, 0, output)
        let ids = ratingIds(in: kiosk)
        XCTAssertEqual(ids.count, 1, output)
        let record = try rating(try XCTUnwrap(ids.first))
        XCTAssertEqual(record.level, .basicallySatisfied)
        XCTAssertEqual(record.channel, .kiosk)
        XCTAssertEqual(record.deviceId, "kiosk-01")
        XCTAssertEqual(record.windowId, "w01")
        XCTAssertEqual(record.staffId, "s01")
    }
}

/// No rating lost or doubled through a server outage and a power cut: 100 ratings made at the rating device
/// while the hall server refuses ratings, `hallkiosk` killed with SIGKILL, then everything back.
final class RatingOutboxDurabilityTests: XCTestCase {
    func testHundredRatingsSurviveAnOutageAndAKill() throws {
        let count = 100
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let server = try HallServerProcess()
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: server.port)
        defer { proxy.stop() }
        // The hall server is "down" for ratings (503), while the window's events still reach the device.
        proxy.setRule { line in
            line.method == "POST" && line.path.hasPrefix("/api/v1/ratings")
                ? .answer(status: 503, body: #"{"error":{"code":"unavailable","message":"down for maintenance"}}"#)
                : .forward
        }
        let config = try KioskProcess.writeRatingConfig(in: folder, serverURL: proxy.baseURL, extra: "")
        let script = "wait-text 等待叫号 30000\n" + String(repeating: """
            wait-text 请您对本次服务进行评价 30000
            tap-text 基本满意
            wait-text 感谢您的评价 10000

            """, count: count) + "wait 60000\nquit\n"
        let kiosk = try KioskProcess.launch(config: config, script: script, in: folder)
        XCTAssertTrue(kiosk.waitForEvent("screen", ["screen": "ratingIdle"], timeoutSeconds: 30), kiosk.output)
        // The staff member logs in once the device is up; it follows the window live once it has heard that (its
        // windowEvent), not after a fixed second.
        let staff = try server.staffToken(window: "w01", employeeNo: "1001")
        XCTAssertTrue(kiosk.waitForEvent("windowEvent", ["kind": "staffLoggedIn"], timeoutSeconds: 15), kiosk.output)
        let e2e = RatingFixture(server: server)
        for i in 1...count {
            try e2e.serveTicket(staffToken: staff)
            let deadline = Date().addingTimeInterval(20)
            while e2e.ratingIds(in: kiosk).count < i, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            XCTAssertEqual(e2e.ratingIds(in: kiosk).count, i, "rating \(i) not stored:\n\(kiosk.output.suffix(3000))")
            if e2e.ratingIds(in: kiosk).count < i { kiosk.kill(); return }
        }
        let stored = e2e.ratingIds(in: kiosk)
        XCTAssertEqual(Set(stored).count, count)
        XCTAssertGreaterThan(proxy.requestCount(pathPrefix: "/api/v1/ratings"), 0, "the device tried to deliver")
        kiosk.kill()  // a power cut: nothing flushed on the way out
        XCTAssertEqual(try activeRatings(server), 0, "nothing got through the outage")

        let postedBefore = proxy.requestCount(pathPrefix: "/api/v1/ratings")
        proxy.setRule { _ in .forward }
        let restarted = try KioskProcess.launch(config: config, script: nil, in: folder)
        defer { restarted.kill() }
        // The outbox records each delivery (a ratingSent event after the server's answer is committed); once every
        // stored rating has one, nothing is left to send, so the counts below are final — no waiting "long enough".
        let delivered = waitUntil(120, poll: 0.2) {
            Set(restarted.events.matching("ratingSent").compactMap { $0["ratingId"] }).isSuperset(of: stored)
        }
        XCTAssertTrue(delivered, "every stored rating delivered after the restart:\n\(restarted.output.suffix(3000))")
        XCTAssertEqual(try activeRatings(server), count, "the server holds every rating exactly once")
        // The server's unique key would hide a rating posted twice; the requests through the proxy do not.
        XCTAssertEqual(proxy.requestCount(pathPrefix: "/api/v1/ratings") - postedBefore, count,
                       "each rating was posted once after the restart, none twice")
        for id in stored.prefix(5) + stored.suffix(5) {
            let record = try e2e.rating(id)
            XCTAssertEqual(record.level, .basicallySatisfied)
            XCTAssertEqual(record.deviceId, "rating-w01")
        }
    }

    func activeRatings(_ server: HallServerProcess) throws -> Int {
        let (data, status) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/reports/satisfaction?by=window",
                                                           token: "demo-admin-token-change-me")
        guard status == 200 else { throw RatingFixture.TestFailure("report: HTTP \(status)") }
        return try HallJSON.decoder().decode(SatisfactionReport.self, from: data).total.activeRatings
    }
}
