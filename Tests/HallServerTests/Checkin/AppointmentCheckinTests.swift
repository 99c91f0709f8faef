import Foundation
import HallAPI
@testable import HallServer
import NIOHTTP1
import XCTest

/// Appointments pushed by the platform and checked in at the kiosk (issue 21), on both stores.
final class AppointmentCheckinTests: XCTestCase {
    var live: LiveHall!

    override func setUp() async throws {
        live = try await CheckinHall.start()
    }

    override func tearDown() async throws {
        await live.stop()
    }

    func testAPushIsStoredOnceReplaysChangeNothingAndACancelSticks() async throws {
        let start = TestHallConfig.monday(9, 30)
        let created = try await live.push("a-1", start: start)
        XCTAssertEqual(created.status, 201, created.text)
        let receipt = try created.decode(AppointmentReceipt.self)
        XCTAssertEqual(receipt.appointment.status, .booked)
        XCTAssertEqual(receipt.appointment.maskedId, PersonalDataMask.idNumber(CheckinHall.alice))
        XCTAssertNil(receipt.appointment.maskedName, "the name is shown only on the card holder's own screen")
        XCTAssertEqual(receipt.bookingCode.count, 10)
        XCTAssertTrue(receipt.bookingCode.allSatisfy { BookingCode.alphabet.contains($0) })
        XCTAssertEqual(receipt.appointment.checkinOpensAt, start.addingTimeInterval(-3600))
        XCTAssertEqual(receipt.appointment.checkinClosesAt, start.addingTimeInterval(15 * 60))

        // 1,000 replays (16 at a time): 200, the same appointment and code, one row.
        let live = self.live!
        for _ in 0..<(1000 / 16 + 1) {
            let replies = try await withThrowingTaskGroup(of: LiveHall.Reply.self) { group in
                for _ in 0..<16 { group.addTask { try await live.push("a-1", start: start) } }
                var out: [LiveHall.Reply] = []
                for try await r in group { out.append(r) }
                return out
            }
            for r in replies {
                XCTAssertEqual(r.status, 200, r.text)
                XCTAssertEqual(try r.decode(AppointmentReceipt.self), receipt)
            }
        }
        assertEq(try await live.rowCount("appointment"), 1)

        // A changed push keeps id and code; a wrong token is refused.
        let moved = try await live.push("a-1", start: start.addingTimeInterval(3600))
        XCTAssertEqual(moved.status, 200, moved.text)
        let movedReceipt = try moved.decode(AppointmentReceipt.self)
        XCTAssertEqual(movedReceipt.appointment.id, receipt.appointment.id)
        XCTAssertEqual(movedReceipt.bookingCode, receipt.bookingCode)
        XCTAssertEqual(movedReceipt.appointment.slotStart, start.addingTimeInterval(3600))
        let stranger = try await live.send(.PUT, "/api/v1/appointments/gov/a-2", token: "not-the-platform-token-at-all",
                                           json: AppointmentPush(serviceId: "hukou", slotStart: start, slotEnd: start,
                                                                 idNumber: CheckinHall.alice, name: "x"))
        XCTAssertEqual(stranger.status, 401)
        let admin = try await live.push("a-3", start: start, idNumber: CheckinHall.bob)
        XCTAssertEqual(admin.status, 201)

        let cancelled = try await live.send(.DELETE, "/api/v1/appointments/gov/a-1", token: CheckinHall.platformToken)
        XCTAssertEqual(cancelled.status, 200, cancelled.text)
        XCTAssertEqual(try cancelled.decode(AppointmentReceipt.self).appointment.status, .cancelled)
        let missing = try await live.send(.DELETE, "/api/v1/appointments/gov/nope", token: CheckinHall.platformToken)
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.errorCode, "appointmentNotFound")
        let code = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: receipt.bookingCode))
        XCTAssertEqual(code.status, 409, code.text)
        XCTAssertEqual(code.errorCode, "appointmentCancelled")

        let day = try await live.send(.GET, "/api/v1/appointments?day=2026-11-23", token: TestHallConfig.adminToken)
        XCTAssertEqual(day.status, 200, day.text)
        let list = try day.decode([AppointmentSummary].self)
        XCTAssertEqual(list.map(\.status).sorted { $0.rawValue < $1.rawValue }, [.booked, .cancelled])
        XCTAssertTrue(list.allSatisfy { $0.maskedName == nil })
        assertEq(try await live.send(.GET, "/api/v1/appointments?day=2026-11-23", token: TestHallConfig.kioskToken).status, 401)
    }

    func testCheckInOnTimeGivesAnAppointmentTicketAndAgainTheSameTicketToReprint() async throws {
        let start = TestHallConfig.monday(9, 30)
        let receipt = try await live.push("a-1", start: start).decode(AppointmentReceipt.self)
        let walkIn = try await live.issue("hukou", idNumber: nil)
        XCTAssertEqual(walkIn.status, 201)

        let lookup = try await live.lookUp(CheckinHall.alice)
        XCTAssertEqual(lookup.status, 200, lookup.text)
        let card = try lookup.decode(CardLookup.self)
        XCTAssertEqual(card.appointments.map(\.id), [receipt.appointment.id])
        XCTAssertEqual(card.appointments.first?.maskedName, "张*")
        XCTAssertEqual(card.maskedId, PersonalDataMask.idNumber(CheckinHall.alice))

        let key = UUID().uuidString
        let r = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", idNumber: CheckinHall.alice, appointmentId: receipt.appointment.id),
                                       key: key)
        XCTAssertEqual(r.status, 201, r.text)
        let result = try r.decode(CheckinResult.self)
        XCTAssertEqual(result.lane, .appointment)
        XCTAssertEqual(result.ticket.priority, .appointment)
        XCTAssertEqual(result.ticket.waitingAhead, 0, "the appointment lane goes before the walk-in")
        XCTAssertFalse(result.reprint)
        XCTAssertEqual(result.appointment.status, .checkedIn)
        XCTAssertEqual(result.appointment.ticketId, result.ticket.id)

        // The answer was lost: the retry with the same key gets the same ticket.
        let retry = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", idNumber: CheckinHall.alice,
                                                          appointmentId: receipt.appointment.id), key: key)
        XCTAssertEqual(retry.status, 200, retry.text)
        XCTAssertEqual(try retry.decode(CheckinResult.self).ticket.id, result.ticket.id)
        // A second check-in (by the booking code) offers the same ticket to reprint.
        let again = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: receipt.bookingCode.lowercased()))
        XCTAssertEqual(again.status, 200, again.text)
        let reprint = try again.decode(CheckinResult.self)
        XCTAssertTrue(reprint.reprint)
        XCTAssertEqual(reprint.ticket.id, result.ticket.id)
        assertEq(try await live.rowCount("ticket"), 2)
        // The card placed again: the checked-in ticket is offered for 补打, and taking a number with the card at that
        // service gives the same ticket, not a second one.
        let second = try await live.lookUp(CheckinHall.alice).decode(CardLookup.self)
        XCTAssertEqual(second.pendingTickets.map(\.id), [result.ticket.id])
        XCTAssertEqual(second.pendingTickets.first?.existing, true)
        let byCard = try await live.issue("hukou", idNumber: CheckinHall.alice)
        XCTAssertEqual(byCard.status, 200, byCard.text)
        let same = try byCard.decode(IssuedTicket.self)
        XCTAssertEqual(same.id, result.ticket.id)
        XCTAssertEqual(same.existing, true)
        assertEq(try await live.rowCount("ticket"), 2)
        // Someone else's card cannot check this appointment in.
        let other = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", idNumber: CheckinHall.bob, appointmentId: receipt.appointment.id))
        XCTAssertEqual(other.status, 404, other.text)
        try await live.assertQueueCountsMatchTickets()
    }

    func testTooEarlyNamesWhenCheckInOpensAndLateArrivalsJoinTheNormalQueue() async throws {
        let early = try await live.push("early", start: TestHallConfig.monday(10, 30)).decode(AppointmentReceipt.self)
        let r = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: early.bookingCode))
        XCTAssertEqual(r.status, 409, r.text)
        XCTAssertEqual(r.errorCode, "checkinTooEarly")
        let body = try r.decode(APIErrorBody.self)
        XCTAssertEqual(body.error.at, TestHallConfig.monday(9, 30))
        assertEq(try await live.rowCount("ticket"), 0)

        let late = try await live.push("late", start: TestHallConfig.monday(8, 30)).decode(AppointmentReceipt.self)
        let lateReply = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: late.bookingCode))
        XCTAssertEqual(lateReply.status, 201, lateReply.text)
        let result = try lateReply.decode(CheckinResult.self)
        XCTAssertEqual(result.lane, .normalLate)
        XCTAssertNil(result.ticket.priority)

        let unknown = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: "ZZZZZZZZZZ"))
        XCTAssertEqual(unknown.status, 404)
        let garbage = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: "0OIL"))
        XCTAssertEqual(garbage.errorCode, "appointmentNotFound")
    }

    func testLateArrivalsAreRefusedWhenTheHallSaysSo() async throws {
        await live.stop()
        live = try await CheckinHall.start(lateArrival: "refuse")
        let late = try await live.push("late", start: TestHallConfig.monday(8, 30)).decode(AppointmentReceipt.self)
        let r = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: late.bookingCode))
        XCTAssertEqual(r.status, 409, r.text)
        XCTAssertEqual(r.errorCode, "checkinTooLate")
        XCTAssertEqual(try r.decode(APIErrorBody.self).error.at, TestHallConfig.monday(8, 45))
    }

    func testThirtyTwoConcurrentCheckInsOfOneAppointmentGiveOneTicket() async throws {
        let receipt = try await live.push("a-1", start: TestHallConfig.monday(9, 30)).decode(AppointmentReceipt.self)
        let live = self.live!
        let replies = try await withThrowingTaskGroup(of: LiveHall.Reply.self) { group in
            for i in 0..<32 {
                group.addTask {
                    i % 2 == 0
                        ? try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: receipt.bookingCode))
                        : try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", idNumber: CheckinHall.alice,
                                                                appointmentId: receipt.appointment.id))
                }
            }
            var out: [LiveHall.Reply] = []
            for try await r in group { out.append(r) }
            return out
        }
        XCTAssertEqual(replies.filter { $0.status == 201 }.count, 1, replies.map(\.text).joined(separator: "\n"))
        XCTAssertEqual(replies.filter { $0.status == 200 }.count, 31)
        XCTAssertEqual(Set(try replies.map { try $0.decode(CheckinResult.self).ticket.id }).count, 1)
        assertEq(try await live.rowCount("ticket"), 1)
        try await live.assertQueueCountsMatchTickets()
    }

    func testARetryAfterAServerRestartGetsTheSameTicket() async throws {
        let receipt = try await live.push("a-1", start: TestHallConfig.monday(9, 30)).decode(AppointmentReceipt.self)
        let key = UUID().uuidString
        let first = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: receipt.bookingCode), key: key)
        XCTAssertEqual(first.status, 201, first.text)
        // The server goes down before the kiosk read the answer; the kiosk retries against the restarted server.
        let folder = live.folder
        await live.stop()
        live = try await LiveHall.start(folder: folder, toml: CheckinHall.toml())
        let retry = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: receipt.bookingCode), key: key)
        XCTAssertEqual(retry.status, 200, retry.text)
        XCTAssertEqual(try retry.decode(CheckinResult.self).ticket.id, try first.decode(CheckinResult.self).ticket.id)
        XCTAssertFalse(try retry.decode(CheckinResult.self).reprint)
        assertEq(try await live.rowCount("ticket"), 1)
    }

    func testWithoutAnIdentityKeyCardFeaturesAnswer503AndSayWhy() async throws {
        await live.stop()
        live = try await CheckinHall.start(withKey: false)
        let r = try await live.lookUp(CheckinHall.alice)
        XCTAssertEqual(r.status, 503, r.text)
        XCTAssertEqual(r.errorCode, "identityUnavailable")
        XCTAssertTrue(r.text.contains("keyFile"), r.text)
        assertEq(try await live.push("a-1", start: TestHallConfig.monday(9, 30)).errorCode, "identityUnavailable")
        assertEq(try await live.issue("hukou", idNumber: CheckinHall.alice).errorCode, "identityUnavailable")
        assertEq(try await live.issue("hukou", idNumber: nil).status, 201, "numbers without a card are issued as before")
        let health = try await live.send(.GET, "/healthz").decode(HealthStatus.self)
        XCTAssertEqual(health.status, "ok")
        XCTAssertTrue(health.identity?.contains("hallserver identity new-key") == true, "\(health)")

        // A key file named in hall.toml but missing: the same, and the answers name the file.
        await live.stop()
        live = try await CheckinHall.start(makeKeyFile: false)
        let missing = try await live.lookUp(CheckinHall.alice)
        XCTAssertEqual(missing.status, 503, missing.text)
        XCTAssertTrue(missing.text.contains("identity.keys"), missing.text)
        let stillHealthy = try await live.send(.GET, "/healthz")
        XCTAssertEqual(stillHealthy.status, 200, "the server itself is healthy: \(stillHealthy.text)")
        XCTAssertTrue(try stillHealthy.decode(HealthStatus.self).identity?.contains("identity.keys") == true, stillHealthy.text)
    }
}
