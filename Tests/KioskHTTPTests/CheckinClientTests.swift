import Foundation
import HallAPI
import HallTestSupport
import KioskCore
@testable import KioskHTTP
import XCTest

/// The kiosk's check-in requests against the contract in `HallAPI/Checkin.swift`, answered by a loopback server speaking
/// that contract's JSON (until the hall server's endpoints are merged; then `KioskAppTests` runs them end to end).
final class CheckinClientTests: XCTestCase {
    static let canary = "11010519491231002X"
    let card = CardHolder(idNumber: canary, maskedName: "张*")

    static func json<T: Encodable>(_ value: T) -> String {
        String(decoding: (try? HallJSON.encoder().encode(value)) ?? Data(), as: UTF8.self)
    }

    static func error(_ kind: APIErrorKind, at: Date? = nil) -> (Int, String) {
        (kind.httpStatus, json(APIErrorBody(code: kind.rawValue, message: "\(kind.rawValue) (test)", at: at)))
    }

    func client(_ url: String) throws -> HallClient {
        try HallClient(configuration: HallClientConfiguration(baseURL: url, deviceId: "kiosk-01", deviceToken: "token", requestTimeoutSeconds: 2))
    }

    func testLookupCheckInAndWalkInSpeakTheContract() async throws {
        let ticket = DemoHall.ticket()
        let start = DemoHall.morning
        let appointment = AppointmentSummary(id: "apt-1", source: "hall", service: ticket.service, slotStart: start,
                                             slotEnd: start.addingTimeInterval(1800), status: .booked, checkinOpensAt: start.addingTimeInterval(-3600),
                                             checkinClosesAt: start.addingTimeInterval(900), maskedId: "1101**********002X", maskedName: "张*")
        let lookup = CardLookup(maskedId: "1101**********002X", appointments: [appointment], pendingTickets: [],
                                services: [PersonServiceState(serviceId: "hukou", refusal: "personDailyLimitReached")])
        var reprinted = ticket
        reprinted.existing = true
        let existing = reprinted
        let server = try ContractHTTPServer { request in
            switch request.path {
            case "/api/v1/checkins/lookup": return (200, Self.json(lookup))
            case "/api/v1/checkins": return (201, Self.json(CheckinResult(ticket: ticket, appointment: appointment, lane: .appointment, reprint: false)))
            case "/api/v1/tickets": return (200, Self.json(existing))
            default: return Self.error(.notFound)
            }
        }
        defer { server.stop() }
        let c = try client(server.baseURL)
        let looked = await c.perform(.lookupCard(card, requestKey: "k1"))
        XCTAssertEqual(looked, .cardLookupArrived(lookup, requestKey: "k1"))
        let checked = await c.perform(.submitCheckin(.appointment(id: "apt-1"), card: card, intentKey: "k2"))
        XCTAssertEqual(checked, .checkedIn(CheckinResult(ticket: ticket, appointment: appointment, lane: .appointment, reprint: false),
                                          intentKey: "k2"))
        let walkIn = await c.perform(.submitCheckin(.walkIn(serviceId: "hukou"), card: card, intentKey: "k3"))
        XCTAssertEqual(walkIn, .cardTicketIssued(existing, intentKey: "k3"))
        let byCode = await c.perform(.submitCheckin(.bookingCode("K7M2Q9XD"), card: nil, intentKey: "k4"))
        guard case .checkedIn = byCode else { return XCTFail("\(byCode)") }

        let requests = server.requests
        XCTAssertEqual(requests.map(\.method), ["POST", "POST", "POST", "POST"])
        let lookupBody = try HallJSON.decoder().decode(CardLookupRequest.self, from: requests[0].body)
        XCTAssertEqual(lookupBody, CardLookupRequest(kioskId: "kiosk-01", idNumber: Self.canary))
        XCTAssertEqual(requests[1].headers["idempotency-key"], "k2")
        XCTAssertEqual(try HallJSON.decoder().decode(CheckinRequest.self, from: requests[1].body),
                       CheckinRequest(kioskId: "kiosk-01", idNumber: Self.canary, appointmentId: "apt-1"))
        XCTAssertEqual(try HallJSON.decoder().decode(IssueTicketRequest.self, from: requests[2].body).idNumber, Self.canary)
        XCTAssertEqual(requests[2].headers["idempotency-key"], "k3")
        let codeBody = try HallJSON.decoder().decode(CheckinRequest.self, from: requests[3].body)
        XCTAssertEqual(codeBody.bookingCode, "K7M2Q9XD")
        XCTAssertNil(codeBody.idNumber, "a booking code check-in sends no ID number")
        await c.shutdown()
    }

    func testRefusalsKeepTheirReasonAndMoment() async throws {
        let opens = DemoHall.morning.addingTimeInterval(3600)
        let answers: [String: (Int, String)] = [
            "EARLY001": Self.error(.checkinTooEarly, at: opens), "LATE0001": Self.error(.checkinTooLate),
            "BANNED01": Self.error(.bookingBanned, at: opens), "UNKNOWN1": Self.error(.appointmentNotFound),
            "NOKEY001": Self.error(.identityUnavailable), "LIMIT001": Self.error(.personDailyLimitReached),
            "IDREQ001": Self.error(.idCardRequired),
        ]
        let server = try ContractHTTPServer { request in
            let code = (try? HallJSON.decoder().decode(CheckinRequest.self, from: request.body))?.bookingCode ?? ""
            return answers[code] ?? (500, "not json")
        }
        defer { server.stop() }
        let c = try client(server.baseURL)
        let expected: [String: CheckinRefusal] = [
            "EARLY001": .tooEarly(opensAt: opens), "LATE0001": .tooLate, "BANNED01": .banned(until: opens),
            "UNKNOWN1": .unknownBookingCode, "NOKEY001": .identityUnavailable, "LIMIT001": .dailyLimit, "IDREQ001": .idCardRequired,
            "BROKEN01": .offline,
        ]
        for (code, refusal) in expected {
            let answer = await c.perform(.submitCheckin(.bookingCode(code), card: nil, intentKey: code))
            guard case .checkinRefused(let failure, let key) = answer else { return XCTFail("\(code): \(answer)") }
            XCTAssertEqual(key, code)
            XCTAssertEqual(failure.refusal, refusal, code)
        }
        await c.shutdown()
    }

    func testNoServerRefusesAsOfflineAndNeverRetries() async throws {
        let server = try ContractHTTPServer { _ in (200, "{}") }
        let url = server.baseURL
        server.stop()
        let c = try client(url)
        let answer = await c.perform(.lookupCard(card, requestKey: "k"))
        guard case .checkinRefused(let failure, "k") = answer else { return XCTFail("\(answer)") }
        XCTAssertEqual(failure.refusal, .offline)
        XCTAssertFalse(failure.message.contains(Self.canary), failure.message)
        await c.shutdown()
    }
}
