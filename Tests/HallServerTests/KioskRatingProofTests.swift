import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// A kiosk rates a service only for whoever holds the ticket: its QR code (token) or its number with the
/// 4-digit rating code printed on it. Numbers are sequential; without this anyone could rate anyone's service
/// and the real citizen would then get "already rated" (issue 16, item 8).
final class KioskRatingProofTests: RatingTestCase {
    func atKiosk(_ t: IssuedTicket, code: String? = nil, token: String? = nil) -> RatingSubmission {
        RatingSubmission(ratingId: UUID().uuidString, ticketId: token == nil ? t.id : nil, ticketToken: token, ratingCode: code,
                         channel: .kiosk, deviceId: "kiosk-1", level: .satisfied, ratedAt: live.clock.now())
    }

    func rate(_ s: RatingSubmission) async throws -> LiveHall.Reply {
        try await rate(s, token: TestHallConfig.kioskToken)
    }

    func wrongCode(for t: IssuedTicket) throws -> String {
        let right = try XCTUnwrap(t.ratingCode)
        return right == "0000" ? "0001" : "0000"
    }

    func testANumberAloneCannotRateButTheNumberWithItsCodeOrTheQRCan() async throws {
        let t = try await live.completedTicket(staffToken: staff)
        let code = try XCTUnwrap(t.ratingCode)
        XCTAssertEqual(code.count, 4)
        XCTAssertTrue(code.allSatisfy(\.isNumber))

        let bare = try await rate(atKiosk(t))
        XCTAssertEqual(bare.status, 403, bare.text)
        XCTAssertEqual(bare.errorCode, APIErrorCode.ratingCodeRequired)
        let wrong = try await rate(atKiosk(t, code: try wrongCode(for: t)))
        XCTAssertEqual(wrong.status, 403, wrong.text)
        XCTAssertEqual(wrong.errorCode, APIErrorCode.wrongRatingCode)

        let right = try await rate(atKiosk(t, code: code))
        XCTAssertEqual(right.status, 201, right.text)
        XCTAssertEqual(try right.decode(RatingRecord.self).channel, .kiosk)

        let scanned = try await live.completedTicket(staffToken: staff)
        let byQR = try await rate(atKiosk(scanned, token: scanned.token))
        XCTAssertEqual(byQR.status, 201, byQR.text)
        XCTAssertEqual(try byQR.decode(RatingRecord.self).ticketNumber, scanned.number)
    }

    func testTheWindowsRatingDeviceStillRatesByTicketIdAlone() async throws {
        let t = try await live.completedTicket(staffToken: staff)
        let s = RatingSubmission(ratingId: UUID().uuidString, ticketId: t.id, windowId: "w1", channel: .windowDevice,
                                 deviceId: "rating-w1", level: .verySatisfied, ratedAt: live.clock.now())
        let r = try await rate(s, token: TestHallConfig.ratingW1Token)
        XCTAssertEqual(r.status, 201, r.text)
        XCTAssertEqual(try r.decode(RatingRecord.self).flags, [])
    }

    func testLookupByNumberChecksTheCodeAndOnlyTheTokenRevealsIt() async throws {
        let t = try await live.completedTicket(staffToken: staff)
        let code = try XCTUnwrap(t.ratingCode)
        let plain = try await live.send(.GET, "/api/v1/tickets?number=\(t.number)", token: TestHallConfig.kioskToken)
        XCTAssertEqual(plain.status, 200, plain.text)
        XCTAssertNil(try plain.decode(TicketProgress.self).ratingCode, "a lookup by number must not hand out the code")
        let wrong = try await live.send(.GET, "/api/v1/tickets?number=\(t.number)&ratingCode=\(try wrongCode(for: t))",
                                        token: TestHallConfig.kioskToken)
        XCTAssertEqual(wrong.status, 403, wrong.text)
        XCTAssertEqual(wrong.errorCode, APIErrorCode.wrongRatingCode)
        let right = try await live.send(.GET, "/api/v1/tickets?number=\(t.number)&ratingCode=\(code)", token: TestHallConfig.kioskToken)
        XCTAssertEqual(right.status, 200, right.text)
        let byToken = try await live.send(.GET, "/api/v1/tickets/\(t.token)")
        XCTAssertEqual(try byToken.decode(TicketProgress.self).ratingCode, code)
        let page = try await live.send(.GET, "/t/\(t.token)")
        XCTAssertTrue(page.text.contains(code), "the phone page shows the rating code")
    }

    func testWrongCodesAreLimitedPerDeviceSoGuessingTenThousandCodesIsImpractical() async throws {
        let t = try await live.completedTicket(staffToken: staff)
        let code = try XCTUnwrap(t.ratingCode)
        let guesses = (0..<10_000).map { String(format: "%04d", $0) }.filter { $0 != code }
        var refusedAt: Int?
        for (i, guess) in guesses.prefix(20).enumerated() {
            let r = try await live.send(.GET, "/api/v1/tickets?number=\(t.number)&ratingCode=\(guess)", token: TestHallConfig.kioskToken)
            if r.status == 429 {
                XCTAssertEqual(r.errorCode, APIErrorCode.tooManyWrongCodes)
                XCTAssertNotNil(r.headers.first(name: "Retry-After"))
                refusedAt = i
                break
            }
            XCTAssertEqual(r.status, 403, r.text)
        }
        XCTAssertEqual(refusedAt, 5, "five wrong codes, then the device must wait")
        let rightButLocked = try await rate(atKiosk(t, code: code))
        XCTAssertEqual(rightButLocked.errorCode, APIErrorCode.tooManyWrongCodes, "while locked even a right code is refused")
        let otherKiosk = try await live.send(.GET, "/api/v1/tickets?number=\(t.number)&ratingCode=\(code)", token: TestHallConfig.kiosk2Token)
        XCTAssertEqual(otherKiosk.status, 200, "the limit is per device: \(otherKiosk.text)")
        live.clock.advance(by: 6 * 60)
        let later = try await rate(atKiosk(t, code: code))
        XCTAssertEqual(later.status, 201, "one more try every 6 minutes: \(later.text)")
    }
}
