import Foundation
import HallAPI
import HallTestSupport
import KioskHTTP
@testable import KioskOutbox
import XCTest

/// The demo hall's secrets (kiosk/demo/hall.toml) and helpers to make rateable tickets on a real server.
enum Demo {
    static let adminToken = "demo-admin-token-change-me"
    static let kioskToken = "demo-kiosk-01-token-change-me"
    static let ratingToken = "demo-rating-w01-token-change-me"

    /// The rating device of window w01 talking to `url`.
    static func ratingClient(_ url: String, timeout: Double = 5) throws -> HallClient {
        try HallClient(configuration: HallClientConfiguration(baseURL: url, deviceId: "rating-w01", deviceToken: ratingToken,
                                                              requestTimeoutSeconds: timeout))
    }

    /// Issues `count` hukou tickets at kiosk-01 and has staff 1001 call and complete each at w01.
    /// Returns the completed tickets' ids, in order.
    static func completedTickets(_ server: HallServerProcess, count: Int) async throws -> [String] {
        try await completedIssuedTickets(server, count: count).map(\.id)
    }

    /// `count` tickets issued by kiosk-01 and completed at window w01, as the kiosk received them.
    static func completedIssuedTickets(_ server: HallServerProcess, count: Int) async throws -> [IssuedTicket] {
        let kiosk = try HallClient(configuration: HallClientConfiguration(baseURL: server.baseURL, deviceId: "kiosk-01",
                                                                          deviceToken: kioskToken))
        defer { Task { await kiosk.shutdown() } }
        let staff = try server.staffToken(window: "w01", employeeNo: "1001")
        XCTAssertFalse(staff.isEmpty, "staff login failed")
        var ids: [IssuedTicket] = []
        for _ in 0..<count {
            let ticket = try await kiosk.issueTicket(serviceId: "hukou", intentKey: UUID().uuidString)
            let (_, called) = try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/windows/w01/call-next", token: staff)
            XCTAssertEqual(called, 200)
            let (data, completed) = try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/windows/w01/complete", token: staff)
            XCTAssertEqual(completed, 200, String(decoding: data, as: UTF8.self))
            let result = try HallJSON.decoder().decode(WindowActionResult.self, from: data)
            XCTAssertEqual(result.ticket?.id, ticket.id)
            ids.append(ticket)
        }
        return ids
    }

    /// A window-device rating of `ticketId` by rating-w01.
    static func rating(_ ticketId: String, _ level: RatingLevel = .satisfied, reasons: [RatingReason] = [],
                       id: String = UUID().uuidString) -> RatingSubmission {
        RatingSubmission(ratingId: id, ticketId: ticketId, windowId: "w01", channel: .windowDevice, deviceId: "rating-w01",
                         level: level, reasons: reasons, ratedAt: Date())
    }

    /// The rating the server holds under `id` (admin `GET /api/v1/ratings/{id}`), nil on 404.
    static func serverRating(_ server: HallServerProcess, _ id: String) throws -> RatingRecord? {
        let (data, status) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/ratings/\(id)", token: adminToken)
        if status == 404 { return nil }
        XCTAssertEqual(status, 200, String(decoding: data, as: UTF8.self))
        return try HallJSON.decoder().decode(RatingRecord.self, from: data)
    }

    /// Active ratings the server counts today (satisfaction report, all windows).
    static func serverRatingCount(_ server: HallServerProcess) throws -> Int {
        let (data, status) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/reports/satisfaction?by=window",
                                                           token: adminToken)
        XCTAssertEqual(status, 200, String(decoding: data, as: UTF8.self))
        let report = try HallJSON.decoder().decode(SatisfactionReport.self, from: data)
        return report.total.activeRatings + report.total.systemDefaultRatings
    }
}

/// A fresh folder for an outbox file; removed by the caller.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// An outbox on `clock` in a fresh folder, and a client of a port where nothing listens (every post is refused at
/// once); the folder and the client go when the test ends.
func refusedOutbox(_ test: XCTestCase, clock: FakeClock) throws -> (RatingOutbox, HallClient) {
    let folder = try temporaryFolder()
    let outbox = try RatingOutbox(path: folder.appendingPathComponent("o.sqlite").path, now: { clock.now() })
    let client = try Demo.ratingClient("http://127.0.0.1:1", timeout: 0.5)
    test.addTeardownBlock {
        await client.shutdown()
        try? FileManager.default.removeItem(at: folder)
    }
    return (outbox, client)
}

/// Polls `condition` every 50 ms until it holds or `seconds` pass; returns whether it held.
func eventually(_ seconds: Double, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try condition()
}

/// A clock the test moves by hand: `advance` lets time pass (both clocks), `setWallClock` sets the wall clock
/// the way NTP or hall IT do (no time passes). `sleep` really sleeps only a little, so a loop using it cannot spin.
final class FakeClock: OutboxClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var monotonic = 500.0
    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }
    func now() -> Date { lock.withLock { current } }
    func uptime() -> Double { lock.withLock { monotonic } }
    func advance(_ seconds: Double) {
        lock.withLock {
            current = current.addingTimeInterval(seconds)
            monotonic += seconds
        }
    }
    func setWallClock(by seconds: Double) { lock.withLock { current = current.addingTimeInterval(seconds) } }
    func sleep(seconds: Double) async throws { try await Task.sleep(for: .milliseconds(20)) }
}

/// Random numbers from a fixed list, round and round.
final class FixedRandom: OutboxRandom, @unchecked Sendable {
    private let lock = NSLock()
    private let values: [Double]
    private var index = 0
    init(_ values: [Double]) { self.values = values }
    func unit() -> Double {
        lock.withLock {
            defer { index += 1 }
            return values[index % values.count]
        }
    }
}
