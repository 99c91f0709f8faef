import Foundation
import GRDB
import HallAPI
@testable import HallServer
import HallSecrets
import NIOHTTP1
import PostgresNIO
import XCTest

/// One person, one pending ticket per service, whether the number came from the card at the kiosk or from an
/// appointment's check-in (issue 21, "race-free"): the check-in's ticket carries the person's key, and a check-in takes
/// over the number the person already holds at the service — on both stores.
final class CheckinHeldTicketTests: XCTestCase {
    var live: LiveHall!

    override func setUp() async throws {
        live = try await CheckinHall.start()
    }

    override func tearDown() async throws {
        await live.stop()
    }

    func testThirtyTwoCardIssuesAndCheckInsOfOnePersonAtOnceLeaveExactlyOnePendingTicket() async throws {
        let receipt = try await live.push("a-1", start: TestHallConfig.monday(9, 30)).decode(AppointmentReceipt.self)
        let live = self.live!
        let replies = try await withThrowingTaskGroup(of: (Int, LiveHall.Reply).self) { group in
            for i in 0..<32 {
                group.addTask {
                    switch i % 4 {
                    case 0, 2: (i, try await live.issue("hukou", idNumber: CheckinHall.alice))
                    case 1: (i, try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: receipt.bookingCode)))
                    default: (i, try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", idNumber: CheckinHall.alice,
                                                                       appointmentId: receipt.appointment.id)))
                    }
                }
            }
            var out: [(Int, LiveHall.Reply)] = []
            for try await r in group { out.append(r) }
            return out
        }
        let texts = replies.map(\.1.text).joined(separator: "\n")
        XCTAssertEqual(replies.filter { $0.1.status == 201 }.count, 1, texts)
        XCTAssertEqual(replies.filter { $0.1.status == 200 }.count, 31, texts)
        var ids = Set<String>()
        for (i, reply) in replies {
            ids.insert(i % 2 == 0 ? try reply.decode(IssuedTicket.self).id : try reply.decode(CheckinResult.self).ticket.id)
        }
        XCTAssertEqual(ids.count, 1, texts)
        assertEq(try await live.rowCount("ticket"), 1)
        // Whichever came first, the one number ends in the appointment lane, linked to the appointment.
        let card = try await live.lookUp(CheckinHall.alice).decode(CardLookup.self)
        XCTAssertEqual(card.pendingTickets.map(\.id), Array(ids))
        XCTAssertEqual(card.pendingTickets.first?.priority, .appointment)
        XCTAssertEqual(card.appointments.first?.status, .checkedIn)
        XCTAssertEqual(card.appointments.first?.ticketId, ids.first)
        try await live.assertQueueCountsMatchTickets()
    }

    func testAWaitingWalkInNumberMovesIntoTheAppointmentLaneKeepingItsNumberAndToken() async throws {
        let receipt = try await live.push("a-1", start: TestHallConfig.monday(9, 30)).decode(AppointmentReceipt.self)
        let before = try await live.issue("hukou", idNumber: nil)
        XCTAssertEqual(before.status, 201, before.text)
        let walkIn = try await live.issue("hukou", idNumber: CheckinHall.alice)
        XCTAssertEqual(walkIn.status, 201, walkIn.text)
        let held = try walkIn.decode(IssuedTicket.self)
        XCTAssertNil(held.priority)
        XCTAssertEqual(held.waitingAhead, 1)

        let r = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: receipt.bookingCode))
        XCTAssertEqual(r.status, 200, r.text)
        let result = try r.decode(CheckinResult.self)
        XCTAssertEqual(result.movedToAppointmentLane, true)
        XCTAssertFalse(result.reprint)
        XCTAssertEqual(result.lane, .appointment)
        XCTAssertEqual(result.ticket.id, held.id)
        XCTAssertEqual(result.ticket.number, held.number, "the printed number stays valid")
        XCTAssertEqual(result.ticket.token, held.token, "the phone page stays valid")
        XCTAssertEqual(result.ticket.priority, .appointment)
        XCTAssertEqual(result.ticket.waitingAhead, 0, "now ahead of the walk-in taken before it")
        XCTAssertEqual(result.appointment.status, .checkedIn)
        XCTAssertEqual(result.appointment.ticketId, held.id)
        assertEq(try await live.rowCount("ticket"), 2)
        try await live.assertQueueCountsMatchTickets()

        let phone = try await live.send(.GET, "/api/v1/tickets/\(held.token)").decode(TicketProgress.self)
        XCTAssertEqual(phone.priority, .appointment)
        XCTAssertEqual(phone.waitingAhead, 0)
        // Checking in again, or the card again: the same ticket, for 补打.
        let again = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", idNumber: CheckinHall.alice,
                                                          appointmentId: receipt.appointment.id))
        XCTAssertEqual(again.status, 200, again.text)
        let reprint = try again.decode(CheckinResult.self)
        XCTAssertTrue(reprint.reprint)
        XCTAssertEqual(reprint.ticket.id, held.id)
        let byCard = try await live.issue("hukou", idNumber: CheckinHall.alice)
        XCTAssertEqual(byCard.status, 200, byCard.text)
        XCTAssertEqual(try byCard.decode(IssuedTicket.self).id, held.id)
        // The window calls it first: the appointment lane.
        let staff = try await live.login("w1")
        let called = try await live.act("w1", "call-next", staffToken: staff).decode(WindowActionResult.self)
        XCTAssertEqual(called.ticket?.id, held.id)
        assertEq(try await live.rowCount("ticket"), 2)
        try await live.assertQueueCountsMatchTickets()
    }

    func testACalledWalkInNumberIsGivenBackAsItIsAndTheAppointmentLinkedToIt() async throws {
        let receipt = try await live.push("a-1", start: TestHallConfig.monday(9, 30)).decode(AppointmentReceipt.self)
        let held = try await live.issue("hukou", idNumber: CheckinHall.alice).decode(IssuedTicket.self)
        let staff = try await live.login("w1")
        assertEq(try await live.act("w1", "call-next", staffToken: staff).decode(WindowActionResult.self).ticket?.id, held.id)

        let r = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", idNumber: CheckinHall.alice, appointmentId: receipt.appointment.id))
        XCTAssertEqual(r.status, 200, r.text)
        let result = try r.decode(CheckinResult.self)
        XCTAssertTrue(result.reprint, "the called number, printed again")
        XCTAssertNil(result.movedToAppointmentLane)
        XCTAssertEqual(result.ticket.id, held.id)
        XCTAssertEqual(result.ticket.number, held.number)
        XCTAssertNil(result.ticket.priority, "a called number is not moved")
        XCTAssertEqual(result.lane, .appointment, "checked in on time")
        XCTAssertEqual(result.appointment.status, .checkedIn)
        XCTAssertEqual(result.appointment.ticketId, held.id)
        assertEq(try await live.rowCount("ticket"), 1)
        let day = try await live.appointmentsOfDay()
        XCTAssertEqual(day.map(\.status), [.checkedIn])
        XCTAssertEqual(day.first?.ticketId, held.id)
        try await live.assertQueueCountsMatchTickets()
    }

    func testAnAppointmentTicketCountsTowardTheDailyLimitButACheckInIsNeverRefusedByIt() async throws {
        // hukou allows one number per person a day. A walk-in served, then the appointment: still checked in.
        let staff = try await live.login("w1")
        let first = try await live.issue("hukou", idNumber: CheckinHall.alice)
        XCTAssertEqual(first.status, 201, first.text)
        assertEq(try await live.act("w1", "call-next", staffToken: staff).status, 200)
        assertEq(try await live.act("w1", "complete", staffToken: staff).status, 200)
        let receipt = try await live.push("a-1", start: TestHallConfig.monday(9, 30)).decode(AppointmentReceipt.self)
        let r = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: receipt.bookingCode))
        XCTAssertEqual(r.status, 201, r.text)
        XCTAssertEqual(try r.decode(CheckinResult.self).lane, .appointment)

        // Bob checks in: that number is his number of the day at hukou, even once served.
        let bobs = try await live.push("b-1", start: TestHallConfig.monday(9, 30), idNumber: CheckinHall.bob).decode(AppointmentReceipt.self)
        let checkedIn = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: bobs.bookingCode))
        XCTAssertEqual(checkedIn.status, 201, checkedIn.text)
        var served: [String] = []
        for _ in 0..<2 {
            let next = try await live.act("w1", "call-next", staffToken: staff).decode(WindowActionResult.self)
            served.append(try XCTUnwrap(next.ticket?.id))
            assertEq(try await live.act("w1", "complete", staffToken: staff).status, 200)
        }
        XCTAssertTrue(served.contains(try checkedIn.decode(CheckinResult.self).ticket.id), "\(served)")
        let walkIn = try await live.issue("hukou", idNumber: CheckinHall.bob)
        XCTAssertEqual(walkIn.status, 409, walkIn.text)
        XCTAssertEqual(walkIn.errorCode, "personDailyLimitReached")
        let lookup = try await live.lookUp(CheckinHall.bob).decode(CardLookup.self)
        XCTAssertEqual(lookup.services.first { $0.serviceId == "hukou" }?.refusal, "personDailyLimitReached")
        try await live.assertQueueCountsMatchTickets()
    }

    func testAfterAKeyRotationTheHeldTicketIsFoundInBothDirections() async throws {
        // Booked under k1; a walk-in with the card after the rotation (k2); the card's check-in finds it (every key of the ring).
        let bookedBefore = try await live.push("a-1", start: TestHallConfig.monday(9, 30)).decode(AppointmentReceipt.self)
        let bobsBefore = try await live.push("b-1", start: TestHallConfig.monday(9, 30), idNumber: CheckinHall.bob)
            .decode(AppointmentReceipt.self)
        let file = live.folder.appendingPathComponent("identity.keys").path
        try PersonKeyring.load(path: file).rotated(at: TestHallConfig.monday(9)).write(to: file)
        let deadline = Date().addingTimeInterval(5)
        while live.app.desk.identity.ringIfLoaded?.current.id != "k2", Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        XCTAssertEqual(live.app.desk.identity.ringIfLoaded?.current.id, "k2", "the server re-read the rotated file")

        let held = try await live.issue("hukou", idNumber: CheckinHall.alice).decode(IssuedTicket.self)
        let r = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", idNumber: CheckinHall.alice,
                                                      appointmentId: bookedBefore.appointment.id))
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(try r.decode(CheckinResult.self).ticket.id, held.id)
        XCTAssertEqual(try r.decode(CheckinResult.self).movedToAppointmentLane, true)

        // Booked under k1 and checked in by booking code (the ticket keyed k1): the card (k2) finds it.
        let byCode = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: bobsBefore.bookingCode))
        XCTAssertEqual(byCode.status, 201, byCode.text)
        let codeTicket = try byCode.decode(CheckinResult.self).ticket
        let byCard = try await live.issue("hukou", idNumber: CheckinHall.bob)
        XCTAssertEqual(byCard.status, 200, byCard.text)
        XCTAssertEqual(try byCard.decode(IssuedTicket.self).id, codeTicket.id)
        assertEq(try await live.rowCount("ticket"), 2)
        try await live.assertQueueCountsMatchTickets()
    }

    func testTicketsOfEarlierCheckInsGetThePersonKeyFromTheMigration() async throws {
        // Alice: an appointment ticket issued the old way (no key). Bob: a keyless appointment ticket and a keyed
        // walk-in number at the same service (the old race): the walk-in keeps the one pending place.
        let alice = try await live.push("a-1", start: TestHallConfig.monday(9, 30)).decode(AppointmentReceipt.self)
        let aliceTicket = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: alice.bookingCode)).decode(CheckinResult.self)
        let bob = try await live.push("b-1", start: TestHallConfig.monday(9, 30), idNumber: CheckinHall.bob).decode(AppointmentReceipt.self)
        let bobTicket = try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: bob.bookingCode)).decode(CheckinResult.self)
        try await sql("UPDATE ticket SET \(column("personKey")) = NULL")
        let bobWalkIn = try await live.issue("hukou", idNumber: CheckinHall.bob)
        XCTAssertEqual(bobWalkIn.status, 201, "without the key the old appointment ticket was not seen: \(bobWalkIn.text)")

        if live.app.desk.store is SQLiteHallStore {
            try await sql(SQLiteHallStore.checkinPersonKeySchema)
        } else {
            let migration = try XCTUnwrap(PostgresSchema.migrations.last)
            XCTAssertTrue(migration.name.hasPrefix("v10: person keys"), migration.name)
            for statement in migration.sql { try await sql(statement) }
        }
        let again = try await live.issue("hukou", idNumber: CheckinHall.alice)
        XCTAssertEqual(again.status, 200, again.text)
        XCTAssertEqual(try again.decode(IssuedTicket.self).id, aliceTicket.ticket.id)
        let bobs = try await live.lookUp(CheckinHall.bob).decode(CardLookup.self)
        XCTAssertEqual(bobs.pendingTickets.map(\.id), [try bobWalkIn.decode(IssuedTicket.self).id])
        XCTAssertNotEqual(bobTicket.ticket.id, try bobWalkIn.decode(IssuedTicket.self).id)
    }

    func testTheIDNumberIsStoredInClearNowhereAfterTakeOvers() async throws {
        let log = LogLines()
        await live.stop()
        live = try await CheckinHall.start(logger: log.logger(), logLevel: .trace)
        let canary = CheckinHall.idNumber("36072119850612345")
        let moved = try await live.push("c-1", start: TestHallConfig.monday(9, 30), idNumber: canary).decode(AppointmentReceipt.self)
        var bodies = [try await live.issue("hukou", idNumber: canary).text]
        bodies.append(try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", bookingCode: moved.bookingCode)).text)
        bodies.append(try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", idNumber: canary, appointmentId: moved.appointment.id)).text)
        bodies.append(try await live.issue("social", idNumber: canary).text)
        let staff = try await live.login("w2")
        bodies.append(try await live.act("w2", "call-next", staffToken: staff).text)
        let called = try await live.push("c-2", service: "social", start: TestHallConfig.monday(9, 30), idNumber: canary)
            .decode(AppointmentReceipt.self)
        bodies.append(try await live.checkIn(CheckinRequest(kioskId: "kiosk-1", idNumber: canary, appointmentId: called.appointment.id)).text)
        bodies.append(try await live.lookUp(canary).text)

        var places: [(String, String)] = bodies.enumerated().map { ("answer \($0.offset)", $0.element) }
        places.append(("the log", log.matching("").joined(separator: "\n")))
        XCTAssertFalse(log.matching("held number").isEmpty, "the take-over was logged")
        if let sqlite = live.app.desk.store as? SQLiteHallStore {
            try await sqlite.database.pool.write { try $0.execute(sql: "SELECT 1") }
            for suffix in ["", "-wal", "-shm"] {
                guard let data = FileManager.default.contents(atPath: live.databasePath + suffix) else { continue }
                places.append(("hall.sqlite\(suffix)", String(decoding: data, as: UTF8.self)))
            }
        } else {
            places.append(("the PostgreSQL dump", try await live.postgresDump()))
        }
        for (place, text) in places {
            XCTAssertFalse(text.contains(canary) || text.contains(canary.lowercased()), "the ID number in clear in \(place)")
            XCTAssertFalse(text.contains(String(canary.prefix(17))), "17 digits of the ID number in \(place)")
        }
    }

    // MARK: Helpers

    /// `name` as the running store spells a ticket column.
    private func column(_ name: String) -> String {
        live.app.desk.store is SQLiteHallStore ? name : name.replacingOccurrences(of: "K", with: "_k")
    }

    /// Runs `statement` on the running store.
    private func sql(_ statement: String) async throws {
        if let sqlite = live.app.desk.store as? SQLiteHallStore {
            try await sqlite.database.pool.write { try $0.execute(sql: statement) }
            return
        }
        let pg = live.app.desk.store as! PostgresHallStore
        try await pg.database.transaction("test statement") { tx in try await tx.execute(PostgresQuery(unsafeSQL: statement)) }
    }
}
