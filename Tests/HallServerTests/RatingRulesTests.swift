import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// The national 好差评 rules as the server enforces them.
final class RatingRulesTests: RatingTestCase {
    func rate(_ s: RatingSubmission) async throws -> LiveHall.Reply {
        try await rate(s, token: TestHallConfig.ratingW1Token)
    }

    func rate(_ s: RatingSubmission, key: String) async throws -> LiveHall.Reply {
        try await rate(s, token: TestHallConfig.ratingW1Token, key: key)
    }

    func submission(_ ticket: IssuedTicket, _ level: RatingLevel, reasons: [RatingReason] = [], channel: RatingChannel = .windowDevice,
                    id: String = UUID().uuidString, assess: Int = 1) -> RatingSubmission {
        RatingSubmission(ratingId: id, ticketId: ticket.id, windowId: "w1", staffId: "s1", serviceId: "hukou", channel: channel,
                         deviceId: channel == .windowDevice ? "rating-w1" : nil, level: level, reasons: reasons, assessNumber: assess,
                         ratedAt: live.clock.now())
    }

    func testAStoredRatingCarriesEverythingAndIsStoredOnce() async throws {
        let t = try await live.completedTicket(staffToken: staff)
        let s = submission(t, .veryDissatisfied, reasons: [.attitude, .efficiency])
        let first = try await rate(s)
        XCTAssertEqual(first.status, 201, first.text)
        let record = try first.decode(RatingRecord.self)
        XCTAssertEqual(record.level, .veryDissatisfied)
        XCTAssertEqual(record.reasons, [.attitude, .efficiency])
        XCTAssertEqual(record.channel, .windowDevice)
        XCTAssertEqual(record.deviceId, "rating-w1")
        XCTAssertEqual(record.windowId, "w1")
        XCTAssertEqual(record.staffId, "s1")
        XCTAssertEqual(record.staffName, "张敏")
        XCTAssertEqual(record.hallId, "test-hall")
        XCTAssertEqual(record.ticketNumber, "A001")
        XCTAssertEqual(record.flags, [])
        let retry = try await rate(s)
        XCTAssertEqual(retry.status, 200)
        XCTAssertEqual(try retry.decode(RatingRecord.self), record)
        let count = try await live.desk.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rating") }
        XCTAssertEqual(count, 1)
        let fetched = try await live.send(.GET, "/api/v1/ratings/\(s.ratingId)", token: TestHallConfig.adminToken)
        XCTAssertEqual(try fetched.decode(RatingRecord.self), record)
    }

    func testRejections() async throws {
        let waiting = try await live.issueTicket("hukou")
        let notDone = try await rate(submission(waiting, .satisfied))
        XCTAssertEqual(notDone.status, 422)
        XCTAssertEqual(notDone.errorCode, APIErrorCode.ticketNotCompleted)
        _ = try await live.act("w1", "call-next", staffToken: staff)
        _ = try await live.act("w1", "complete", staffToken: staff)
        let t = waiting

        let noReason = try await rate(submission(t, .dissatisfied))
        XCTAssertEqual(noReason.status, 422)
        XCTAssertEqual(noReason.errorCode, APIErrorCode.reasonRequired)

        var unknown = submission(t, .satisfied)
        unknown.level = "great"
        assertEq(try await rate(unknown).errorCode, APIErrorCode.unknownLevel)
        var numeric = submission(t, .satisfied)
        numeric.level = "1"
        assertEq(try await rate(numeric).status, 422, "levels go by name, never by number")
        var badReason = submission(t, .dissatisfied)
        badReason.reasons = ["rude"]
        assertEq(try await rate(badReason).errorCode, APIErrorCode.unknownReason)

        let ok = try await rate(submission(t, .basicallySatisfied))
        XCTAssertEqual(ok.status, 201, "基本满意 is not a 差评 and needs no reason")

        let second = try await rate(submission(t, .verySatisfied))
        XCTAssertEqual(second.status, 409)
        let body = try second.decode(AlreadyRatedBody.self)
        XCTAssertEqual(body.error.code, APIErrorCode.alreadyRated)
        XCTAssertEqual(body.existing.level, .basicallySatisfied)

        let followUp = try await rate(submission(t, .satisfied, assess: 2))
        XCTAssertEqual(followUp.errorCode, APIErrorCode.followUpNotAllowed, "assessNumber 2 only after a 差评")

        var reused = submission(t, .satisfied)
        reused.ratingId = try ok.decode(RatingRecord.self).ratingId
        assertEq(try await rate(reused).errorCode, APIErrorCode.idempotencyKeyReused)

        assertEq(try await rate(submission(t, .satisfied), key: "other-key").status, 422, "key must equal ratingId")
        assertEq(try await rate(submission(t, .satisfied), token: nil).status, 401)
        var unknownTicket = submission(t, .satisfied)
        unknownTicket.ticketId = UUID().uuidString
        assertEq(try await rate(unknownTicket).status, 404)
    }

    func testFollowUpAfterABadRating() async throws {
        let t = try await live.completedTicket(staffToken: staff)
        assertEq(try await rate(submission(t, .dissatisfied, reasons: [.process])).status, 201)
        assertEq(try await rate(submission(t, .satisfied, assess: 2)).status, 201)
        assertEq(try await rate(submission(t, .satisfied, assess: 2)).status, 409)
    }

    func testPhoneChannelUsesTheTicketTokenOnly() async throws {
        let t = try await live.completedTicket(staffToken: staff)
        let phone = RatingSubmission(ratingId: UUID().uuidString, ticketToken: t.token, channel: .phoneQr, level: .satisfied)
        let r = try await rate(phone, token: nil)
        XCTAssertEqual(r.status, 201, r.text)
        XCTAssertEqual(try r.decode(RatingRecord.self).channel, .phoneQr)
        let byIdWithoutDevice = RatingSubmission(ratingId: UUID().uuidString, ticketId: t.id, channel: .phoneQr, level: .satisfied)
        assertEq(try await rate(byIdWithoutDevice, token: nil).status, 401, "phones cannot rate by ticket id")
        var idAndToken = RatingSubmission(ratingId: UUID().uuidString, ticketToken: "AAAAAAAAAAAAAAAAAAAAAAAA", channel: .phoneQr, level: .satisfied)
        idAndToken.ticketId = t.id
        assertEq(try await rate(idAndToken, token: nil).status, 401, "a made-up token plus a real id rates nothing")
        let noReasonsKey = try await live.send(.POST, "/api/v1/ratings", headers: [("Idempotency-Key", "phone-rating-no-reasons")],
                                               body: Data("{\"ratingId\":\"phone-rating-no-reasons\",\"ticketToken\":\"\(t.token)\",\"channel\":\"phoneQr\",\"level\":\"satisfied\"}".utf8))
        XCTAssertEqual(noReasonsKey.status, 409, "reasons may be left out (it decodes; 409 because the ticket is rated): \(noReasonsKey.text)")
        let deviceClaimingPhone = RatingSubmission(ratingId: UUID().uuidString, ticketToken: t.token, channel: .phoneQr, level: .satisfied)
        assertEq(try await rate(deviceClaimingPhone, token: TestHallConfig.kioskToken).status, 422)
    }

    func testLateAndSuspectRatingsAreKeptAndFlagged() async throws {
        let t = try await live.completedTicket(staffToken: staff)
        live.clock.advance(by: 30 * 3600)
        var s = submission(t, .satisfied, channel: .kiosk)
        s.ratingCode = t.ratingCode
        s.windowId = "w2"
        let r = try await rate(s, token: TestHallConfig.kioskToken)
        XCTAssertEqual(r.status, 201, r.text)
        XCTAssertEqual(Set(try r.decode(RatingRecord.self).flags), [.late, .suspect])
        live.clock.advance(by: 8 * 86400)
        let t2 = try await live.completedTicket(staffToken: try await live.login("w1"))
        live.clock.advance(by: 8 * 86400)
        assertEq(try await rate(submission(t2, .satisfied)).errorCode, APIErrorCode.ratingWindowExpired)
    }

    func testSystemDefaultIsCountedApartInReports() async throws {
        let a = try await live.completedTicket(staffToken: staff)
        let b = try await live.completedTicket(staffToken: staff)
        let c = try await live.completedTicket(staffToken: staff)
        let d = try await live.completedTicket(staffToken: staff)
        _ = try await live.completedTicket(staffToken: staff)   // never rated
        assertEq(try await rate(submission(a, .verySatisfied)).status, 201)
        assertEq(try await rate(submission(b, .veryDissatisfied, reasons: [.attitude])).status, 201)
        assertEq(try await rate(submission(c, .basicallySatisfied)).status, 201)
        var def = submission(d, .satisfied)
        def.source = RatingSource.systemDefault.rawValue
        assertEq(try await rate(def).status, 201)

        let report = try await live.send(.GET, "/api/v1/reports/satisfaction?from=2026-11-23&to=2026-11-23&by=window",
                                         token: TestHallConfig.adminToken).decode(SatisfactionReport.self)
        let w1 = try XCTUnwrap(report.groups.first { $0.key == "w1" })
        XCTAssertEqual(w1.completedServices, 5)
        XCTAssertEqual(w1.activeRatings, 3)
        XCTAssertEqual(w1.systemDefaultRatings, 1)
        XCTAssertEqual(w1.unratedServices, 2, "the default-rated and the never-rated services count as 未评")
        XCTAssertEqual(w1.goodRate, 2.0 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(w1.badRate, 1.0 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(w1.unratedRate, 0.4, accuracy: 1e-9)
        XCTAssertEqual(report.badRatings.count, 1)
        XCTAssertEqual(report.badRatings.first?.reasons, [.attitude])
        XCTAssertEqual(report.total.levels.verySatisfied, 1)

        let byStaff = try await live.send(.GET, "/api/v1/reports/satisfaction?from=2026-11-23&to=2026-11-23&by=staff",
                                          token: TestHallConfig.adminToken).decode(SatisfactionReport.self)
        XCTAssertEqual(byStaff.groups.map(\.key), ["s1"])
        let csv = try await live.send(.GET, "/api/v1/reports/satisfaction.csv?from=2026-11-23&by=service", token: TestHallConfig.adminToken)
        XCTAssertEqual(csv.status, 200)
        XCTAssertTrue(csv.text.contains("户籍办理"), csv.text)
        XCTAssertTrue(csv.text.contains("66.7%"), csv.text)
        assertEq(try await live.send(.GET, "/api/v1/reports/satisfaction?by=planet", token: TestHallConfig.adminToken).status, 400)
        assertEq(try await live.send(.GET, "/api/v1/reports/satisfaction", token: TestHallConfig.kioskToken).status, 401)
    }
}
