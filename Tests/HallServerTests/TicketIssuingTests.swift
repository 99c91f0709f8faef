import AsyncHTTPClient
import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// Issuing tickets over HTTP against a real server and SQLite file.
final class TicketIssuingTests: XCTestCase {
    var live: LiveHall!

    override func setUp() async throws {
        live = try await LiveHall.start()
    }

    override func tearDown() async throws {
        try await live.assertQueueCountsMatchTickets()
        await live.stop()
    }

    func testNumbersArePerServiceAndGapFree() async throws {
        let a1 = try await live.issueTicket("hukou")
        let a2 = try await live.issueTicket("hukou")
        let d1 = try await live.issueTicket("social")
        XCTAssertEqual([a1.number, a2.number, d1.number], ["A001", "A002", "D001"])
        XCTAssertEqual(a2.waitingAhead, 1)
        XCTAssertEqual(a2.estimatedWaitMinutes, 6, "1 ahead × 6 min ÷ max(1, 0 open windows)")
        XCTAssertEqual(a1.hallDay, "2026-11-23")
        XCTAssertEqual(a1.service.name.zh, "户籍办理")
        XCTAssertEqual(a1.lookupUrl, "http://hall.test/t/\(a1.token)")
        XCTAssertGreaterThanOrEqual(a1.token.count, 22, "≥128 random bits in URL-safe base64")
        XCTAssertTrue(a1.token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        XCTAssertNotEqual(a1.token, a2.token)
    }

    func testNumbersRestartOnTheNextHallDay() async throws {
        _ = try await live.issueTicket("hukou")
        _ = try await live.issueTicket("hukou")
        live.clock.set(TestHallConfig.monday(9).addingTimeInterval(86400))  // Tuesday 09:00
        let t = try await live.issueTicket("hukou")
        XCTAssertEqual(t.number, "A001")
        XCTAssertEqual(t.hallDay, "2026-11-24")
        XCTAssertEqual(t.waitingAhead, 0, "yesterday's waiting tickets are not ahead")
    }

    func testHallDayFollowsTheHallsMidnightNotUTC() async throws {
        // 23:59 and 00:01 Beijing time on the bulk service (open all day) are two hall days.
        live.clock.set(TestHallConfig.monday(23, 59))
        let late = try await live.issueTicket("bulk")
        live.clock.set(TestHallConfig.monday(23, 59).addingTimeInterval(120))
        let early = try await live.issueTicket("bulk")
        XCTAssertEqual([late.hallDay, early.hallDay], ["2026-11-23", "2026-11-24"])
        XCTAssertEqual([late.number, early.number], ["X00001", "X00001"])
        XCTAssertTrue(try XCTUnwrap(HallJSON.encoder(timeZone: TimeZone(identifier: "Asia/Shanghai")!).encode(late)).count > 0)
        let raw = try await live.issue("bulk")
        XCTAssertTrue(raw.text.contains("+08:00"), "times carry the hall's offset: \(raw.text)")
    }

    func testIdempotentRetriesReturnTheSameTicket() async throws {
        let key = UUID().uuidString
        let first = try await live.issue("hukou", key: key)
        let retry = try await live.issue("hukou", key: key)
        XCTAssertEqual(first.status, 201)
        XCTAssertEqual(retry.status, 200)
        XCTAssertEqual(try first.decode(IssuedTicket.self), try retry.decode(IssuedTicket.self))
        let other = try await live.issue("social", key: key)
        XCTAssertEqual(other.status, 422)
        XCTAssertEqual(other.errorCode, APIErrorCode.idempotencyKeyReused)
        // The same key from another kiosk is another intent.
        let otherKiosk = try await live.issue("hukou", key: key, token: TestHallConfig.kiosk2Token, kioskId: "kiosk-2")
        XCTAssertEqual(otherKiosk.status, 201)
        XCTAssertEqual(try otherKiosk.decode(IssuedTicket.self).number, "A002")
        let missing = try await live.send(.POST, "/api/v1/tickets", token: TestHallConfig.kioskToken,
                                          json: IssueTicketRequest(serviceId: "hukou", kioskId: "kiosk-1"))
        XCTAssertEqual(missing.status, 400)
        XCTAssertEqual(missing.errorCode, APIErrorCode.missingIdempotencyKey)
    }

    func testRefusalsCarryASpecificCode() async throws {
        for _ in 0..<3 { _ = try await live.issueTicket("social") }
        let quota = try await live.issue("social")
        XCTAssertEqual(quota.status, 409)
        XCTAssertEqual(quota.errorCode, APIErrorCode.quotaReached)

        live.clock.set(TestHallConfig.monday(12, 30))
        let lunch = try await live.issue("hukou")
        XCTAssertEqual(lunch.errorCode, APIErrorCode.serviceClosed)
        XCTAssertTrue(lunch.text.contains("13:30"), lunch.text)

        live.clock.set(TestHallConfig.monday(10))
        let admin = TestHallConfig.adminToken
        assertEq(try await live.send(.POST, "/api/v1/services/hukou/pause", token: admin).status, 200)
        let paused = try await live.issue("hukou")
        XCTAssertEqual(paused.errorCode, APIErrorCode.servicePaused)
        let hall = try await live.hall()
        XCTAssertEqual(hall.services.first { $0.id == "hukou" }?.state, .paused)
        XCTAssertEqual(hall.services.first { $0.id == "social" }?.state, .quotaReached)
        assertEq(try await live.send(.POST, "/api/v1/services/hukou/resume", token: admin).status, 200)
        assertEq(try await live.issue("hukou").status, 201)

        assertEq(try await live.issue("nope").errorCode, APIErrorCode.unknownService)
        let wrongKiosk = try await live.issue("hukou", kioskId: "kiosk-2")
        XCTAssertEqual(wrongKiosk.status, 403)
        let ratingDevice = try await live.issue("hukou", token: TestHallConfig.ratingW1Token, kioskId: "rating-w1")
        XCTAssertEqual(ratingDevice.status, 403)
    }

    func testHallStatusShowsStatesWaitingAndEstimates() async throws {
        for _ in 0..<4 { _ = try await live.issueTicket("hukou") }
        _ = try await live.login("w1")
        let hall = try await live.hall()
        XCTAssertEqual(hall.name.zh, "测试政务服务中心")
        XCTAssertEqual(hall.timezone, "Asia/Shanghai")
        XCTAssertEqual(hall.hallDay, "2026-11-23")
        let hukou = try XCTUnwrap(hall.services.first { $0.id == "hukou" })
        XCTAssertEqual(hukou.state, .open)
        XCTAssertEqual(hukou.waitingCount, 4)
        XCTAssertEqual(hukou.estimatedWaitMinutes, 24, "4 × 6 min ÷ 1 open window")
        XCTAssertEqual(hukou.group?.zh, "公安")
        let w1 = try XCTUnwrap(hall.windows.first { $0.id == "w1" })
        XCTAssertTrue(w1.isOpen)
        XCTAssertEqual(w1.staff?.employeeNo, "1001")
        XCTAssertFalse(hall.windows.first { $0.id == "w2" }!.isOpen)
        live.clock.set(TestHallConfig.monday(18))
        let evening = try await live.hall()
        XCTAssertEqual(evening.services.first { $0.id == "hukou" }?.reason, .afterClosing)
        XCTAssertTrue(evening.isOpenNow, "the bulk service is open round the clock")
    }

    func testThirtyTwoKiosksIssueTwoThousandUniqueGapFreeNumbers() async throws {
        let perClient = 2000 / 32 + 1
        let live = self.live!
        let numbers = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<32 {
                group.addTask {
                    var mine: [String] = []
                    for _ in 0..<perClient {
                        let r = try await live.issue("bulk")
                        XCTAssertEqual(r.status, 201, r.text)
                        mine.append(try r.decode(IssuedTicket.self).number)
                    }
                    return mine
                }
            }
            var all: [String] = []
            for try await part in group { all += part }
            return all
        }
        XCTAssertEqual(numbers.count, 32 * perClient)
        XCTAssertEqual(Set(numbers).count, numbers.count, "no number twice")
        let expected = (1...numbers.count).map { String(format: "X%05d", $0) }
        XCTAssertEqual(numbers.sorted(), expected, "gap-free from X00001")
        let stored = try await live.desk.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket") ?? 0 }
        XCTAssertEqual(stored, numbers.count)
        XCTAssertEqual(try live.desk.database.synchronousMode(), 2, "synchronous=FULL on the writer")
    }

    func testProgressByTokenAndByNumber() async throws {
        let t = try await live.issueTicket("hukou")
        let byToken = try await live.send(.GET, "/api/v1/tickets/\(t.token)").decode(TicketProgress.self)
        XCTAssertEqual(byToken.status, .waiting)
        XCTAssertEqual(byToken.waitingAhead, 0)
        let byNumber = try await live.send(.GET, "/api/v1/tickets?number=a001", token: TestHallConfig.kioskToken)
        XCTAssertEqual(try byNumber.decode(TicketProgress.self).id, t.id)
        XCTAssertFalse(byNumber.text.contains(t.token), "lookup by number never reveals the token")
        assertEq(try await live.send(.GET, "/api/v1/tickets?number=A001").status, 401, "devices only")
        assertEq(try await live.send(.GET, "/api/v1/tickets?number=A999", token: TestHallConfig.kioskToken).errorCode,
                       APIErrorCode.unknownTicket)
        assertEq(try await live.send(.GET, "/api/v1/tickets/not-a-real-token-at-all").status, 404)
    }
}
