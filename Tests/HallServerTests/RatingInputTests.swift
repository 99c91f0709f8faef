import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// What a client may not choose in a rating or a heartbeat: lengths counted by Unicode scalars and bytes
/// (never grapheme clusters), the `systemDefault` source, and an implausible `ratedAt` (issue 16, item 11 c, d).
final class RatingInputTests: RatingTestCase {
    func phone(_ t: IssuedTicket, text: String? = nil, source: RatingSource = .active, ratedAt: Date? = nil) -> RatingSubmission {
        RatingSubmission(ratingId: UUID().uuidString, ticketToken: t.token, channel: .phoneQr, level: .satisfied, text: text,
                         source: source, ratedAt: ratedAt)
    }

    func device(_ t: IssuedTicket, ratedAt: Date?) -> RatingSubmission {
        RatingSubmission(ratingId: UUID().uuidString, ticketId: t.id, windowId: "w1", channel: .windowDevice, deviceId: "rating-w1",
                         level: .satisfied, ratedAt: ratedAt)
    }

    func rate(_ s: RatingSubmission) async throws -> LiveHall.Reply {
        try await rate(s, token: nil)
    }

    /// One letter carrying 20 000 combining marks is one grapheme cluster: `String.count` says 1.
    static let heavyLetter = "a" + String(repeating: "\u{0301}", count: 20_000)

    func testTextLimitCountsScalarsAndBytesNotGraphemeClusters() async throws {
        XCTAssertEqual(Self.heavyLetter.count, 1)
        let t = try await live.completedTicket(staffToken: staff)
        let heavy = try await rate(phone(t, text: Self.heavyLetter))
        XCTAssertEqual(heavy.status, 422, heavy.text)
        XCTAssertTrue(heavy.text.contains("Unicode scalars"), heavy.text)
        let zwjPile = String(repeating: "👨\u{200D}", count: 300) + "👨"
        XCTAssertEqual(zwjPile.count, 1)
        assertEq(try await rate(phone(t, text: zwjPile)).status, 422)
        let chinese = String(repeating: "很好", count: 100)
        let ok = try await rate(phone(t, text: chinese))
        XCTAssertEqual(ok.status, 201, "200 Chinese characters fit: \(ok.text)")
    }

    func testThePhoneFormSaysACommentIsTooLong() async throws {
        let t = try await live.completedTicket(staffToken: staff)
        let form = "level=satisfied&lang=zh&text=a" + String(repeating: "%CC%81", count: 5000)
        let page = try await live.send(.POST, "/t/\(t.token)/rating", body: Data(form.utf8), contentType: "application/x-www-form-urlencoded")
        XCTAssertTrue(page.text.contains("意见内容太长，最多 200 个字"), page.text)
        let progress = try await live.send(.GET, "/api/v1/tickets/\(t.token)").decode(TicketProgress.self)
        XCTAssertFalse(progress.rating.rated, "nothing was stored")
    }

    func testHeartbeatStringsAndIdsAreLimitedTheSameWay() async throws {
        let beat = DeviceHeartbeat(version: "1.0", uptimeSeconds: 5, printer: nil, outboxDepth: 0, outboxRejected: 0,
                                   lastError: Self.heavyLetter, screen: "home")
        let r = try await live.send(.POST, "/api/v1/devices/kiosk-1/heartbeat", token: TestHallConfig.kioskToken, json: beat)
        XCTAssertEqual(r.status, 400, r.text)
        var listy = beat
        listy.lastError = nil
        listy.addresses = Array(repeating: "10.0.0.1", count: 1000)
        assertEq(try await live.send(.POST, "/api/v1/devices/kiosk-1/heartbeat", token: TestHallConfig.kioskToken, json: listy).status, 400)
        listy.lastError = String(repeating: "数据库错误 ", count: 400)
        listy.addresses = Array(repeating: "fd00::1", count: 40)
        assertEq(try await live.send(.POST, "/api/v1/devices/kiosk-1/heartbeat", token: TestHallConfig.kioskToken,
                                     json: listy.fittingLimits()).status, 200, "a device cuts its heartbeat to the limits before sending")
        listy.lastError = nil
        listy.addresses = ["10.0.0.1"]
        assertEq(try await live.send(.POST, "/api/v1/devices/kiosk-1/heartbeat", token: TestHallConfig.kioskToken, json: listy).status, 200)

        let t = try await live.completedTicket(staffToken: staff)
        let heavyId = "r" + String(repeating: "\u{0301}", count: 5000) + "-1234567"
        var s = phone(t)
        s.ratingId = heavyId
        assertEq(try await rate(s).status, 422)
        let key = "k" + String(repeating: "\u{0301}", count: 5000)
        let issue = try await live.issue("hukou", key: key)
        XCTAssertEqual(issue.status, 400, issue.text)
        let number = try await live.send(.GET, "/api/v1/tickets?number=A" + String(repeating: "%CC%81", count: 3000),
                                         token: TestHallConfig.kioskToken)
        XCTAssertEqual(number.status, 400, number.text)
        XCTAssertLessThan(number.body.count, 300, "the error quotes a few scalars of the bad value, not all of them")
        let code = try await live.send(.GET, "/api/v1/tickets?number=\(t.number)&ratingCode=1" + String(repeating: "%CC%81", count: 3000),
                                       token: TestHallConfig.kioskToken)
        XCTAssertEqual(code.errorCode, APIErrorCode.wrongRatingCode)
        XCTAssertLessThan(code.body.count, 400, code.text)
    }

    func testOnlyAWindowRatingDeviceMayRecordSystemDefault() async throws {
        let t = try await live.completedTicket(staffToken: staff)
        let fromPhone = try await rate(phone(t, source: .systemDefault))
        XCTAssertEqual(fromPhone.status, 422, fromPhone.text)
        XCTAssertEqual(fromPhone.errorCode, APIErrorCode.sourceNotAllowed)
        var fromKiosk = RatingSubmission(ratingId: UUID().uuidString, ticketToken: t.token, channel: .kiosk, deviceId: "kiosk-1",
                                         level: .satisfied, source: .systemDefault)
        assertEq(try await rate(fromKiosk, token: TestHallConfig.kioskToken).errorCode, APIErrorCode.sourceNotAllowed)
        fromKiosk.source = RatingSource.active.rawValue
        assertEq(try await rate(fromKiosk, token: TestHallConfig.kioskToken).status, 201)
        let t2 = try await live.completedTicket(staffToken: staff)
        var fromDevice = device(t2, ratedAt: live.clock.now())
        fromDevice.source = RatingSource.systemDefault.rawValue
        assertEq(try await rate(fromDevice, token: TestHallConfig.ratingW1Token).status, 201)
    }

    func testImplausibleRatedAtIsKeptButReplacedByServerTimeAndFlagged() async throws {
        let t = try await live.completedTicket(staffToken: staff)
        let now = live.clock.now()
        let future = try await rate(phone(t, ratedAt: now.addingTimeInterval(3 * 86400)))
        XCTAssertEqual(future.status, 201, future.text)
        let phoneRecord = try future.decode(RatingRecord.self)
        XCTAssertEqual(phoneRecord.ratedAt, phoneRecord.receivedAt)
        XCTAssertEqual(phoneRecord.claimedRatedAt, now.addingTimeInterval(3 * 86400))
        XCTAssertEqual(phoneRecord.flags, [.ratedAtAdjusted])

        let before = try await live.completedTicket(staffToken: staff)
        let early = try await rate(device(before, ratedAt: now.addingTimeInterval(-86400)), token: TestHallConfig.ratingW1Token)
        let earlyRecord = try early.decode(RatingRecord.self)
        XCTAssertEqual(earlyRecord.flags, [.ratedAtAdjusted], "rated a day before the service was completed")
        XCTAssertEqual(earlyRecord.ratedAt, earlyRecord.receivedAt)

        let fine = try await live.completedTicket(staffToken: staff)
        live.clock.advance(by: 600)
        let delivered = try await rate(device(fine, ratedAt: now.addingTimeInterval(60)), token: TestHallConfig.ratingW1Token)
        let fineRecord = try delivered.decode(RatingRecord.self)
        XCTAssertEqual(fineRecord.flags, [], "an outbox delivering later keeps the device's plausible time")
        XCTAssertEqual(fineRecord.ratedAt, now.addingTimeInterval(60))
        XCTAssertNil(fineRecord.claimedRatedAt)
    }
}
