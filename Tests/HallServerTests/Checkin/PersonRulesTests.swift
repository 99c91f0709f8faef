import Foundation
import HallAPI
@testable import HallServer
import HallSecrets
import NIOHTTP1
import XCTest

/// Numbers taken with an ID card (issue 21): one pending ticket per person and service (补打), a daily limit per
/// person, card-only services, checked ID numbers — race-free on both stores.
final class PersonRulesTests: XCTestCase {
    var live: LiveHall!

    override func setUp() async throws {
        live = try await CheckinHall.start()
    }

    override func tearDown() async throws {
        await live.stop()
    }

    func testASecondRequestOfTheSamePersonGetsTheSameTicketToReprint() async throws {
        let first = try await live.issue("idonly", idNumber: CheckinHall.alice)
        XCTAssertEqual(first.status, 201, first.text)
        let ticket = try first.decode(IssuedTicket.self)
        XCTAssertNil(ticket.existing)
        let again = try await live.issue("idonly", idNumber: CheckinHall.alice.lowercased())
        XCTAssertEqual(again.status, 200, again.text)
        let reprint = try again.decode(IssuedTicket.self)
        XCTAssertEqual(reprint.id, ticket.id)
        XCTAssertEqual(reprint.number, ticket.number)
        XCTAssertEqual(reprint.existing, true)
        // Another person, and the same person at another service, get their own numbers.
        let other = try await live.issue("idonly", idNumber: CheckinHall.bob)
        XCTAssertEqual(other.status, 201, other.text)
        XCTAssertNotEqual(try other.decode(IssuedTicket.self).id, ticket.id)
        let elsewhere = try await live.issue("hukou", idNumber: CheckinHall.alice)
        XCTAssertEqual(elsewhere.status, 201, elsewhere.text)
        // A retry with the same Idempotency-Key still answers the first ticket.
        let key = UUID().uuidString
        let keyed = try await live.issue("bulk", idNumber: CheckinHall.bob, key: key)
        let retried = try await live.issue("bulk", idNumber: CheckinHall.bob, key: key)
        XCTAssertEqual(keyed.status, 201)
        XCTAssertEqual(retried.status, 200)
        XCTAssertEqual(try retried.decode(IssuedTicket.self).id, try keyed.decode(IssuedTicket.self).id)
        assertEq(try await live.rowCount("ticket"), 4)
    }

    func testCardOnlyServicesRefuseWalkInsWithoutACard() async throws {
        let refused = try await live.issue("idonly", idNumber: nil)
        XCTAssertEqual(refused.status, 403, refused.text)
        XCTAssertEqual(refused.errorCode, "idCardRequired")
        assertEq(try await live.issue("hukou", idNumber: nil).status, 201, "services without the rule issue as before")
    }

    func testAnInvalidIDNumberIsRefusedWithoutQuotingIt() async throws {
        var wrong = Array(CheckinHall.alice)
        wrong[17] = wrong[17] == "1" ? "2" : "1"
        let bad = String(wrong)
        let r = try await live.issue("idonly", idNumber: bad)
        XCTAssertEqual(r.status, 422, r.text)
        XCTAssertEqual(r.errorCode, "invalidIDNumber")
        XCTAssertFalse(r.text.contains(bad), r.text)
        XCTAssertFalse(r.text.contains(String(bad.prefix(17))), r.text)
        assertEq(try await live.issue("idonly", idNumber: "12345").status, 422)
    }

    func testTheDailyLimitPerPersonCountsTicketsAlreadyServed() async throws {
        let staff = try await live.login("w1")
        let first = try await live.issue("hukou", idNumber: CheckinHall.alice)
        XCTAssertEqual(first.status, 201, first.text)
        assertEq(try await live.act("w1", "call-next", staffToken: staff).status, 200)
        assertEq(try await live.act("w1", "complete", staffToken: staff).status, 200)
        let second = try await live.issue("hukou", idNumber: CheckinHall.alice)
        XCTAssertEqual(second.status, 409, second.text)
        XCTAssertEqual(second.errorCode, "personDailyLimitReached")
        assertEq(try await live.issue("hukou", idNumber: CheckinHall.bob).status, 201, "the limit is per person")
        let lookup = try await live.lookUp(CheckinHall.alice).decode(CardLookup.self)
        XCTAssertEqual(lookup.services.first { $0.serviceId == "hukou" }?.refusal, "personDailyLimitReached")
        XCTAssertNil(lookup.services.first { $0.serviceId == "idonly" }?.refusal)
    }

    func testThirtyTwoKiosksIssuingForOnePersonAtOnceGiveExactlyOneTicket() async throws {
        let live = self.live!
        let replies = try await withThrowingTaskGroup(of: LiveHall.Reply.self) { group in
            for _ in 0..<32 { group.addTask { try await live.issue("idonly", idNumber: CheckinHall.alice) } }
            var out: [LiveHall.Reply] = []
            for try await r in group { out.append(r) }
            return out
        }
        XCTAssertEqual(replies.filter { $0.status == 201 }.count, 1, replies.map(\.text).joined(separator: "\n"))
        XCTAssertEqual(replies.filter { $0.status == 200 }.count, 31)
        let ids = Set(try replies.map { try $0.decode(IssuedTicket.self).id })
        XCTAssertEqual(ids.count, 1)
        assertEq(try await live.rowCount("ticket"), 1)
        // Walk-ins without a card meanwhile are not held up by it.
        assertEq(try await live.issue("idonly", idNumber: CheckinHall.bob).status, 201)
        try await live.assertQueueCountsMatchTickets()
    }

    func testARotatedKeyFileIsTakenWithoutARestartAndTheOldKeyIsKeptWhileRowsNeedIt() async throws {
        let first = try await live.issue("idonly", idNumber: CheckinHall.alice).decode(IssuedTicket.self)
        let file = live.folder.appendingPathComponent("identity.keys").path
        let rotated = try PersonKeyring.load(path: file).rotated(at: TestHallConfig.monday(9))
        try rotated.write(to: file)
        let deadline = Date().addingTimeInterval(5)
        while live.app.desk.identity.ringIfLoaded?.current.id != "k2", Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        XCTAssertEqual(live.app.desk.identity.ringIfLoaded?.current.id, "k2", "the server re-read the rotated file")
        // The pending ticket keyed with k1 is still found for the same person.
        let again = try await live.issue("idonly", idNumber: CheckinHall.alice)
        XCTAssertEqual(again.status, 200, again.text)
        XCTAssertEqual(try again.decode(IssuedTicket.self).id, first.id)
        let fresh = try await live.issue("bulk", idNumber: CheckinHall.alice)
        XCTAssertEqual(fresh.status, 201, fresh.text)
        let hall = live.app.desk.hall
        let refusal = try await IdentityKeyRetirement.refusal(keyId: "k1", store: live.app.desk.store, hall: hall, now: TestHallConfig.monday(10))
        XCTAssertTrue(refusal?.contains("1 ticket(s)") == true, refusal ?? "nil")
        XCTAssertTrue(refusal?.contains("2026-11-23") == true, refusal ?? "nil")
        // Once the day's tickets are closed, nothing needs k1 any more.
        let later = TestHallConfig.monday(10).addingTimeInterval(2 * 86_400)
        _ = try await live.app.desk.store.expireWaitingTickets(hallDay: "2026-11-23", at: later)
        let afterwards = try await IdentityKeyRetirement.refusal(keyId: "k1", store: live.app.desk.store, hall: hall, now: later)
        assertNone(afterwards)
    }
}
