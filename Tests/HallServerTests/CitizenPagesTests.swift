import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// Issue 20, items 10–14 on the server, over loopback HTTP: honest waits, next openings, priority lanes, typed
/// numbers, and the phone page's rating form, recall time and now-calling line.
final class CitizenPagesTests: XCTestCase {
    var live: LiveHall!

    override func tearDown() async throws {
        await live?.stop()
        live = nil
    }

    static let form = "application/x-www-form-urlencoded"

    static func toml(lanes: String? = nil) -> String {
        let base = TestHallConfig.toml(extraServices: """
            [[services]]
            id = "saturday"
            name = { zh = "周末专办", en = "Weekend desk" }
            prefix = "S"
            hours = { saturday = ["09:00-12:00"] }
            """)
        guard let lanes else { return base }
        return base.replacingOccurrences(of: "stopIssuingMinutesBeforeClose = 15\n",
                                         with: "stopIssuingMinutesBeforeClose = 15\nkioskPriorityLanes = \(lanes)\n")
    }

    // MARK: 10 — whether a window serves the service now

    func testTheHallSaysHowManyWindowsServeEachServiceNow() async throws {
        live = try await LiveHall.start(toml: Self.toml())
        var hall = try await live.hall()
        XCTAssertEqual(hall.services.first { $0.id == "hukou" }?.openWindows, 0, "nobody logged in yet")
        _ = try await live.login("w1")
        hall = try await live.hall()
        XCTAssertEqual(hall.services.first { $0.id == "hukou" }?.openWindows, 1)
        XCTAssertEqual(hall.services.first { $0.id == "social" }?.openWindows, 1, "w1 serves social too")
        XCTAssertEqual(hall.services.first { $0.id == "bulk" }?.openWindows, 0, "only w3 serves bulk")
        XCTAssertNil(hall.kioskPriorityLanes, "no lanes unless the hall configures them")
    }

    // MARK: 13 — when a closed service next opens

    func testClosedServicesSayWhenTheyNextOpen() async throws {
        live = try await LiveHall.start(now: TestHallConfig.monday(17, 30), toml: Self.toml())
        let hall = try await live.hall()
        let hukou = try XCTUnwrap(hall.services.first { $0.id == "hukou" })
        XCTAssertEqual(hukou.reason, .afterClosing)
        XCTAssertEqual(hukou.nextOpening, NextOpening(day: "2026-11-24", weekday: 3, inDays: 1, start: "08:30"))
        XCTAssertEqual(hukou.openWeekdays, [2, 3, 4, 5, 6])
        let saturday = try XCTUnwrap(hall.services.first { $0.id == "saturday" })
        XCTAssertEqual(saturday.reason, .noSessionToday)
        XCTAssertEqual(saturday.nextOpening, NextOpening(day: "2026-11-28", weekday: 7, inDays: 5, start: "09:00"))
        XCTAssertEqual(saturday.openWeekdays, [7])
        XCTAssertNil(hall.services.first { $0.id == "bulk" }?.nextOpening, "an open service has none")
    }

    func testTheNextOpeningSkipsClosedDatesAndWeekends() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("next-\(UUID().uuidString).toml").path
        try Self.toml().write(toFile: path, atomically: true, encoding: .utf8)
        let hall = try HallConfig.load(from: path).1
        func decide(_ day: String, _ weekday: Int, _ hour: Int, _ service: String = "hukou") -> ServiceAvailability {
            ServiceAvailability.decide(service: hall.service(service)!, closedDates: hall.closedDates,
                                       at: HallMoment(day: day, weekday: weekday, minute: hour * 60), paused: false, issuedToday: 0)
        }
        // Wednesday 30 September after closing: 1 October is a closed date, so Friday 2 October.
        XCTAssertEqual(decide("2026-09-30", 4, 18).nextOpening, NextOpening(day: "2026-10-02", weekday: 6, inDays: 2, start: "08:30"))
        // Friday evening: Monday, over the weekend (and over the month's end).
        XCTAssertEqual(decide("2026-11-27", 6, 18).nextOpening, NextOpening(day: "2026-11-30", weekday: 2, inDays: 3, start: "08:30"))
        // Before opening and at lunch the time today says it (opensAt), not a later day.
        XCTAssertNil(decide("2026-11-23", 2, 7).nextOpening)
        XCTAssertEqual(decide("2026-11-23", 2, 7).opensAt, "08:30")
        // Make-up workdays (调休) have Monday's hours and keep their own weekday; one today does not shift the days after.
        let holiday = Set((1...7).map { "2026-10-0\($0)" })
        func decideAround(_ day: String, _ weekday: Int, _ hour: Int, workDates: Set<String>) -> ServiceAvailability {
            ServiceAvailability.decide(service: hall.service("hukou")!, closedDates: holiday, workDates: workDates,
                                       at: HallMoment(day: day, weekday: weekday, minute: hour * 60), paused: false, issuedToday: 0)
        }
        // National Day week closed, Saturday 10 October a make-up workday: from the 1st, the 8th opens first…
        XCTAssertEqual(decideAround("2026-10-01", 5, 18, workDates: ["2026-10-10"]).nextOpening,
                       NextOpening(day: "2026-10-08", weekday: 5, inDays: 7, start: "08:30"))
        // …and on Friday the 9th after closing, Saturday the 10th (said as Saturday, with Monday's hours).
        XCTAssertEqual(decideAround("2026-10-09", 6, 18, workDates: ["2026-10-10"]).nextOpening,
                       NextOpening(day: "2026-10-10", weekday: 7, inDays: 1, start: "08:30"))
        // On that Saturday after closing (its moment says Monday), Sunday stays Sunday: Monday the 12th is next.
        XCTAssertEqual(decideAround("2026-10-10", 2, 18, workDates: ["2026-10-10"]).nextOpening,
                       NextOpening(day: "2026-10-12", weekday: 2, inDays: 2, start: "08:30"))
        XCTAssertEqual(HallDayArithmetic.weekday(of: "2026-12-06"), 1)
        XCTAssertNil(HallDayArithmetic.weekday(of: "soon"))
        XCTAssertEqual(HallDayArithmetic.day(after: "2026-12-31"), "2027-01-01")
        XCTAssertEqual(HallDayArithmetic.day(after: "2028-02-28"), "2028-02-29")
        XCTAssertNil(HallDayArithmetic.day(after: "tomorrow"))
    }

    // MARK: 11 — priority lanes as the hall configures them

    func testTheHallOffersItsLanesAndTheClerkSeesTheReason() async throws {
        live = try await LiveHall.start(toml: Self.toml(lanes: #"["elderly", "disabled"]"#))
        let hall = try await live.hall()
        XCTAssertEqual(hall.kioskPriorityLanes, [.elderly, .disabled])
        _ = try await live.issueTicket("hukou")
        let elderly = try await live.issueTicket("hukou", priority: .elderly)
        XCTAssertEqual(elderly.priority, .elderly)
        let staff = try await live.login("w1")
        let called = try await live.act("w1", "call-next", staffToken: staff).decode(WindowActionResult.self)
        XCTAssertEqual(called.ticket?.number, elderly.number, "the lane is called first")
        XCTAssertEqual(called.ticket?.priority, .elderly, "and the clerk's answer says why")
    }

    func testALaneAKioskCannotOfferIsRefusedWithTheKeyAndTheFix() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lanes-\(UUID().uuidString).toml").path
        try Self.toml(lanes: #"["elderly", "vip"]"#).write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try HallConfig.load(from: path)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("hall.kioskPriorityLanes[1]") && text.contains("'vip'") && text.contains("\"elderly\""), text)
        }
    }

    // MARK: 12 — what people type for a number

    func testLookupReadsWhatPeopleType() async throws {
        live = try await LiveHall.start(toml: Self.toml())
        for _ in 0..<3 { _ = try await live.issueTicket("hukou") }
        for _ in 0..<7 { _ = try await live.issueTicket("bulk") }
        for typed in ["A3", "a3", "a003", "%EF%BC%A1%EF%BC%93", "%EF%BD%81%EF%BC%93", "A%203"] {
            let r = try await live.send(.GET, "/api/v1/tickets?number=\(typed)", token: TestHallConfig.kioskToken)
            XCTAssertEqual(r.status, 200, "\(typed): \(r.text)")
            XCTAssertEqual(try r.decode(TicketProgress.self).number, "A003", typed)
        }
        let bulk = try await live.send(.GET, "/api/v1/tickets?number=x7", token: TestHallConfig.kioskToken)
        XCTAssertEqual(try bulk.decode(TicketProgress.self).number, "X00007", "five digits for this service")
        let bad = try await live.send(.GET, "/api/v1/tickets?number=A-3", token: TestHallConfig.kioskToken)
        XCTAssertEqual(bad.status, 400, bad.text)
        XCTAssertTrue(bad.text.contains("'A-3' is not a ticket number such as A023"), bad.text)
        XCTAssertEqual(TicketNumberInput.normalize("Ａ０２３", services: live.desk.hall.services), "A023")
        XCTAssertEqual(TicketNumberInput.normalize("Q5", services: live.desk.hall.services), "Q5", "no such prefix: as typed")
    }

    // MARK: 14 — the phone rating form

    func testARatingIsPostedOnceAndTheBrowserIsSentBackToThePage() async throws {
        live = try await LiveHall.start(toml: Self.toml())
        let staff = try await live.login("w1")
        let t = try await live.completedTicket(staffToken: staff)
        let posted = try await live.send(.POST, "/t/\(t.token)/rating", body: Data("level=satisfied&lang=en".utf8), contentType: Self.form)
        XCTAssertEqual(posted.status, 303, "POST-redirect-GET: a reload of the answer does not post again")
        let location = try XCTUnwrap(posted.headers.first(name: "Location"))
        XCTAssertEqual(location, "/t/\(t.token)?lang=en&rated=1")
        let page = try await live.send(.GET, location)
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("Your rating has been submitted"), page.text)
        _ = try await live.send(.GET, location)
        let progress = try await live.send(.GET, "/api/v1/tickets/\(t.token)").decode(TicketProgress.self)
        XCTAssertTrue(progress.rating.rated)
        let again = try await live.send(.POST, "/t/\(t.token)/rating", body: Data("level=dissatisfied&reasons=attitude&lang=zh".utf8),
                                        contentType: Self.form)
        XCTAssertEqual(again.headers.first(name: "Location"), "/t/\(t.token)?lang=zh&rated=already")
        let told = try await live.send(.GET, "/t/\(t.token)?lang=zh&rated=already")
        XCTAssertTrue(told.text.contains("本次服务已经评价过"), told.text)
    }

    func testAMissingReasonKeepsTheChoiceAndSaysSoBesideTheReasons() async throws {
        live = try await LiveHall.start(toml: Self.toml())
        let staff = try await live.login("w1")
        let t = try await live.completedTicket(staffToken: staff)
        let body = "level=veryDissatisfied&text=%E5%A4%AA%E6%85%A2&lang=zh"
        let page = try await live.send(.POST, "/t/\(t.token)/rating", body: Data(body.utf8), contentType: Self.form)
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains(#"value="veryDissatisfied" required checked"#), "the chosen level stays chosen")
        XCTAssertNil(page.text.range(of: #"value="satisfied" required checked"#))
        XCTAssertTrue(page.text.contains(">太慢</textarea>"), "the comment is kept")
        let reasons = try XCTUnwrap(page.text.range(of: #"<fieldset class="reasons has-error""#))
        let error = try XCTUnwrap(page.text.range(of: "请至少选择一个原因"))
        XCTAssertTrue(error.lowerBound > reasons.lowerBound, "the message is inside the reasons")
        XCTAssertFalse(page.text.contains("notice err"), "not only at the top of the page")
        let progress = try await live.send(.GET, "/api/v1/tickets/\(t.token)").decode(TicketProgress.self)
        XCTAssertFalse(progress.rating.rated, "nothing was stored")
    }

    func testReasonsBelongToABadRatingOnly() async throws {
        live = try await LiveHall.start(toml: Self.toml())
        let staff = try await live.login("w1")
        let t = try await live.completedTicket(staffToken: staff)
        let form = try await live.send(.GET, "/t/\(t.token)")
        XCTAssertTrue(form.text.contains("form.rating:has(input[value=dissatisfied]:checked) .reasons"),
                      "the reasons show only once a 差评 level is chosen")
        // A reason ticked, then 满意 chosen: the hidden reason is not recorded.
        let posted = try await live.send(.POST, "/t/\(t.token)/rating", body: Data("level=satisfied&reasons=attitude&lang=zh".utf8),
                                         contentType: Self.form)
        XCTAssertEqual(posted.status, 303, posted.text)
        let stored = try await live.desk.database.read { db in
            try String.fetchAll(db, sql: "SELECT record FROM rating").map(HallDesk.decodeRecord)
        }
        XCTAssertEqual(stored.first?.level, .satisfied)
        XCTAssertEqual(stored.first?.reasons, [])
    }

    // MARK: 14 — recalls and the number being called

    func testARecallShowsItsTimeOnThePhonePage() async throws {
        live = try await LiveHall.start(toml: Self.toml())
        let t = try await live.issueTicket("hukou")
        let staff = try await live.login("w1")
        _ = try await live.act("w1", "call-next", staffToken: staff)
        live.clock.advance(by: 169 * 60)  // 09:00 → 11:49
        let recalled = try await live.act("w1", "recall", staffToken: staff)
        XCTAssertEqual(recalled.status, 200, recalled.text)
        let page = try await live.send(.GET, "/t/\(t.token)")
        XCTAssertTrue(page.text.contains("再次叫号 11:49"), page.text)
        let english = try await live.send(.GET, "/t/\(t.token)?lang=en")
        XCTAssertTrue(english.text.contains("Called again at 11:49"), english.text)
    }

    func testTheWaitingPageShowsTheNumberNowCalledAtItsService() async throws {
        live = try await LiveHall.start(toml: Self.toml())
        _ = try await live.issueTicket("hukou")
        let second = try await live.issueTicket("hukou")
        let before = try await live.send(.GET, "/t/\(second.token)")
        XCTAssertFalse(before.text.contains("本业务正在叫号"), "nothing called yet")
        let staff = try await live.login("w1")
        _ = try await live.act("w1", "call-next", staffToken: staff)
        let page = try await live.send(.GET, "/t/\(second.token)")
        XCTAssertTrue(page.text.contains("本业务正在叫号 <b class=\"n\">A001</b>"), page.text)
        let english = try await live.send(.GET, "/t/\(second.token)?lang=en")
        XCTAssertTrue(english.text.contains("Now calling for this service: <b class=\"n\">A001</b>"), english.text)
        // A call at another service is not this service's.
        let social = try await live.issueTicket("social")
        let w2 = try await live.login("w2", employeeNo: "1002")
        _ = try await live.act("w2", "call-next", staffToken: w2)
        let still = try await live.send(.GET, "/t/\(second.token)")
        XCTAssertTrue(still.text.contains("<b class=\"n\">A001</b>"), "not \(social.number)")
    }
}
