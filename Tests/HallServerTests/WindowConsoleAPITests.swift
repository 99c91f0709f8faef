import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// The console's moves in the JSON window API, over HTTP with a staff bearer session: 特呼, undoing a 过号 within its
/// minutes, 过号重排 at its place, the break — with the console's rules and refusals (as error codes).
final class WindowConsoleAPITests: LiveHallTestCase {
    private func progress(_ live: LiveHall, _ t: IssuedTicket) async throws -> TicketProgress {
        try await live.send(.GET, "/api/v1/tickets/\(t.token)", token: TestHallConfig.kioskToken).decode(TicketProgress.self)
    }

    private func post<T: Encodable>(_ live: LiveHall, _ route: HallRoute, _ window: String = "w1", token: String?, _ body: T) async throws -> LiveHall.Reply {
        try await live.send(.POST, route.path(window), token: token, json: body)
    }

    func testCallNumberUndoAndRequeueFollowTheConsoleRules() async throws {
        let live = try await start()
        var tickets: [IssuedTicket] = []
        for _ in 0..<6 { tickets.append(try await live.issueTicket("hukou")) }
        let bulk = try await live.issueTicket("bulk")
        let token = try await live.login("w1")

        // 特呼 as typed (lower case, full-width digits): A003 is called out of turn.
        let called = try await post(live, HallRoutes.windowCallNumber, token: token, CallNumberRequest(number: "a００3"))
        XCTAssertEqual(called.status, 200, called.text)
        assertEq(try called.decode(WindowActionResult.self).ticket?.number, tickets[2].number)
        assertEq(try await progress(live, tickets[2]).status, .called)
        // Not while a ticket is at the window; not an unknown number; not another window's service.
        let busy = try await post(live, HallRoutes.windowCallNumber, token: token, CallNumberRequest(number: tickets[3].number))
        XCTAssertEqual(busy.status, 409, busy.text)
        assertEq(busy.errorCode, APIErrorCode.windowBusy)
        assertEq(try await live.act("w1", "complete", staffToken: token).status, 200)
        let unknown = try await post(live, HallRoutes.windowCallNumber, token: token, CallNumberRequest(number: "Z999"))
        XCTAssertEqual(unknown.status, 404, unknown.text)
        assertEq(unknown.errorCode, APIErrorCode.unknownTicket)
        let elsewhere = try await post(live, HallRoutes.windowCallNumber, token: token, CallNumberRequest(number: bulk.number))
        XCTAssertEqual(elsewhere.status, 403, elsewhere.text)
        assertEq(elsewhere.errorCode, APIErrorCode.serviceNotAtWindow)
        let done = try await post(live, HallRoutes.windowCallNumber, token: token, CallNumberRequest(number: tickets[2].number))
        XCTAssertEqual(done.status, 409, done.text)
        assertEq(done.errorCode, APIErrorCode.invalidTransition)
        // Only this window's clerk.
        assertEq(try await post(live, HallRoutes.windowCallNumber, token: nil, CallNumberRequest(number: "A1")).status, 401)
        let other = try await post(live, HallRoutes.windowCallNumber, "w2", token: token, CallNumberRequest(number: "A1"))
        assertEq(other.status, 403)
        assertEq(other.errorCode, APIErrorCode.forbidden)

        // 过号 then undo within [console] noShowUndoMinutes (3): served at the window again; a second undo changes nothing.
        assertEq(try await live.act("w1", "call-next", staffToken: token).decode(WindowActionResult.self).ticket?.id, tickets[0].id)
        live.clock.advance(by: 300)
        assertEq(try await live.act("w1", "no-show", staffToken: token).status, 200)
        live.clock.advance(by: 170)
        let undone = try await post(live, HallRoutes.windowUndoNoShow, token: token, MissedTicketRequest(ticketId: tickets[0].id))
        XCTAssertEqual(undone.status, 200, undone.text)
        assertEq(try undone.decode(WindowActionResult.self).ticket?.status, .serving)
        let again = try await post(live, HallRoutes.windowUndoNoShow, token: token, MissedTicketRequest(ticketId: tickets[0].id))
        XCTAssertEqual(again.status, 409, again.text)
        assertEq(again.errorCode, APIErrorCode.windowBusy, "the ticket is at the window")
        assertEq(try await progress(live, tickets[0]).status, .serving)
        assertEq(try await live.act("w1", "complete", staffToken: token).status, 200)
        let afterwards = try await post(live, HallRoutes.windowUndoNoShow, token: token, MissedTicketRequest(ticketId: tickets[0].id))
        XCTAssertEqual(afterwards.status, 409, afterwards.text)
        assertEq(afterwards.errorCode, APIErrorCode.invalidTransition)
        assertEq(try await progress(live, tickets[0]).status, .completed)

        // Too late to undo: refused naming the setting; 过号重排 puts the citizen behind [console] requeueBehind (2).
        assertEq(try await live.act("w1", "call-next", staffToken: token).decode(WindowActionResult.self).ticket?.id, tickets[1].id)
        live.clock.advance(by: 300)
        assertEq(try await live.act("w1", "no-show", staffToken: token).status, 200)
        live.clock.advance(by: 181)
        let late = try await post(live, HallRoutes.windowUndoNoShow, token: token, MissedTicketRequest(ticketId: tickets[1].id))
        XCTAssertEqual(late.status, 409, late.text)
        assertEq(late.errorCode, APIErrorCode.invalidTransition)
        XCTAssertTrue(late.text.contains("noShowUndoMinutes"), late.text)
        let requeued = try await post(live, HallRoutes.windowRequeue, token: token, MissedTicketRequest(ticketId: tickets[1].id))
        XCTAssertEqual(requeued.status, 200, requeued.text)
        let answer = try requeued.decode(RequeueAnswer.self)
        assertEq(answer.ticket.id, tickets[1].id)
        assertEq(answer.ticket.status, .waiting)
        assertEq(answer.ahead, 2)
        assertEq(try await progress(live, tickets[1]).waitingAhead, 2)
        let twice = try await post(live, HallRoutes.windowRequeue, token: token, MissedTicketRequest(ticketId: tickets[1].id))
        XCTAssertEqual(twice.status, 409, twice.text)
        assertEq(twice.errorCode, APIErrorCode.invalidTransition)
        let malformed = try await live.send(.POST, HallRoutes.windowRequeue.path("w1"), token: token, body: Data("{}".utf8))
        assertEq(malformed.status, 400)
        assertEq(malformed.errorCode, APIErrorCode.malformedJSON)
        // The queue goes on in that order: A004, A005, then the requeued A002.
        var order: [String] = []
        for _ in 0..<3 {
            order.append(try await live.act("w1", "call-next", staffToken: token).decode(WindowActionResult.self).ticket?.number ?? "-")
            _ = try await live.act("w1", "complete", staffToken: token)
        }
        assertEq(order, [tickets[3].number, tickets[4].number, tickets[1].number])
        // A missed citizen who comes back later is called with 特呼.
        let recalled = try await post(live, HallRoutes.windowCallNumber, token: token, CallNumberRequest(number: tickets[5].number))
        assertEq(try recalled.decode(WindowActionResult.self).ticket?.status, .called)
        try await live.assertQueueCountsMatchTickets()
    }

    func testABreakStartsAndEndsOverTheAPIWithTheConsoleRules() async throws {
        let live = try await start()
        let token = try await live.login("w1")
        let t = try await live.issueTicket("hukou")
        // Not while a ticket is at the window.
        _ = try await live.act("w1", "call-next", staffToken: token)
        let busy = try await post(live, HallRoutes.windowBreak, token: token, WindowBreakRequest(reason: "午休"))
        XCTAssertEqual(busy.status, 409, busy.text)
        assertEq(busy.errorCode, APIErrorCode.windowBusy)
        _ = try await live.act("w1", "complete", staffToken: token)
        assertEq(try await progress(live, t).status, .completed)

        for bad in ["  ", String(repeating: "长", count: ConsoleRules.reasonLimit + 1)] {
            let refused = try await post(live, HallRoutes.windowBreak, token: token, WindowBreakRequest(reason: bad))
            XCTAssertEqual(refused.status, 400, refused.text)
            assertEq(refused.errorCode, APIErrorCode.badRequest)
        }
        let start = live.clock.now()
        let onBreak = try await post(live, HallRoutes.windowBreak, token: token, WindowBreakRequest(reason: " 午休 "))
        XCTAssertEqual(onBreak.status, 200, onBreak.text)
        assertEq(try onBreak.decode(WindowBreakState.self), WindowBreakState(windowId: "w1", breakReason: "午休", since: start))
        // The same break again changes nothing (one event, the same start).
        live.clock.advance(by: 60)
        let repeated = try await post(live, HallRoutes.windowBreak, token: token, WindowBreakRequest(reason: "午休"))
        assertEq(try repeated.decode(WindowBreakState.self).since, start)
        let page = try await live.send(.GET, HallRoutes.windowRecentEvents.path("w1") + "?after=0", token: token).decode(WindowEventPage.self)
        assertEq(page.events.filter { $0.type == .windowPaused }.map(\.breakReason), ["午休"])
        // Kiosks and the window's screen say why; nobody is called meanwhile.
        let hall = try await live.send(.GET, "/api/v1/hall", token: TestHallConfig.kioskToken).decode(HallStatus.self)
        assertEq(hall.windows.first { $0.id == "w1" }?.breakReason, "午休")
        _ = try await live.issueTicket("hukou")
        let refused = try await live.act("w1", "call-next", staffToken: token)
        XCTAssertEqual(refused.status, 409, refused.text)
        assertEq(refused.errorCode, APIErrorCode.invalidTransition)

        let back = try await live.send(.POST, HallRoutes.windowEndBreak.path("w1"), token: token)
        XCTAssertEqual(back.status, 200, back.text)
        assertEq(try back.decode(WindowBreakState.self), WindowBreakState(windowId: "w1", breakReason: nil, since: nil))
        let backAgain = try await live.send(.POST, HallRoutes.windowEndBreak.path("w1"), token: token)
        assertEq(try backAgain.decode(WindowBreakState.self), WindowBreakState(windowId: "w1", breakReason: nil, since: nil))
        let events = try await live.send(.GET, HallRoutes.windowRecentEvents.path("w1") + "?after=0", token: token).decode(WindowEventPage.self)
        assertEq(events.events.filter { $0.type == .windowResumed }.count, 1)
        assertEq(try await live.act("w1", "call-next", staffToken: token).status, 200)
        assertEq(try await live.send(.POST, HallRoutes.windowEndBreak.path("w1"), token: "not-a-token").status, 401)
    }

    func testAHeldShareWithUntilIsCalledAgainByItself() async throws {
        let live = try await start()
        let token = try await live.login("w1")
        let hukou = try await live.issueTicket("hukou")
        let social = try await live.issueTicket("social")
        let until = live.clock.now() + 600
        let held = try await post(live, HallRoutes.windowHold, token: token, WindowHoldRequest(serviceId: "hukou", reason: " 系统故障 ", until: until))
        XCTAssertEqual(held.status, 200, held.text)
        assertEq(try held.decode(WindowHolds.self), WindowHolds(windowId: "w1", holds: [WindowServiceHold(serviceId: "hukou", reason: "系统故障", until: until)]))
        // The window skips the held service; kiosks keep issuing it.
        assertEq(try await live.act("w1", "call-next", staffToken: token).decode(WindowActionResult.self).ticket?.id, social.id)
        _ = try await live.act("w1", "complete", staffToken: token)
        assertEq(try await live.act("w1", "call-next", staffToken: token).decode(WindowActionResult.self).ticket?.id, nil)
        let later = try await live.issueTicket("hukou")
        // At "until" the window calls it again without anyone ending the hold.
        live.clock.advance(by: 600)
        assertEq(try await live.act("w1", "call-next", staffToken: token).decode(WindowActionResult.self).ticket?.id, hukou.id)
        _ = try await live.act("w1", "complete", staffToken: token)

        // A hold without a note lasts until it is ended; bad notes and other windows' services are refused.
        let plain = try await post(live, HallRoutes.windowHold, token: token, WindowHoldRequest(serviceId: "social"))
        assertEq(try plain.decode(WindowHolds.self).holds, [WindowServiceHold(serviceId: "social")])
        live.clock.advance(by: 3600)
        let stillHeld = try await post(live, HallRoutes.windowHold, token: token, WindowHoldRequest(serviceId: "social"))
        assertEq(try stillHeld.decode(WindowHolds.self).holds, [WindowServiceHold(serviceId: "social")])
        _ = try await live.issueTicket("social")
        assertEq(try await live.act("w1", "call-next", staffToken: token).decode(WindowActionResult.self).ticket?.id, later.id)
        _ = try await live.act("w1", "complete", staffToken: token)
        assertEq(try await live.act("w1", "call-next", staffToken: token).decode(WindowActionResult.self).ticket?.id, nil,
                 "an hour later the plain hold still holds")
        let now = live.clock.now()
        for bad in [WindowHoldRequest(serviceId: "hukou", until: now), WindowHoldRequest(serviceId: "hukou", until: now + 8 * 86400),
                    WindowHoldRequest(serviceId: "hukou", reason: String(repeating: "长", count: ConsoleRules.reasonLimit + 1))] {
            let refused = try await post(live, HallRoutes.windowHold, token: token, bad)
            XCTAssertEqual(refused.status, 400, refused.text)
            assertEq(refused.errorCode, APIErrorCode.badRequest)
        }
        let elsewhere = try await post(live, HallRoutes.windowHold, token: token, WindowHoldRequest(serviceId: "bulk"))
        assertEq(elsewhere.status, 403)
        assertEq(elsewhere.errorCode, APIErrorCode.serviceNotAtWindow)
        let unheld = try await post(live, HallRoutes.windowUnhold, token: token, WindowHoldRequest(serviceId: "social", reason: "ignored"))
        XCTAssertEqual(unheld.status, 200, unheld.text)
        assertEq(try unheld.decode(WindowHolds.self), WindowHolds(windowId: "w1", holds: []))
        let again = try await post(live, HallRoutes.windowUnhold, token: token, WindowHoldRequest(serviceId: "social"))
        assertEq(try again.decode(WindowHolds.self), WindowHolds(windowId: "w1", holds: []))
    }
}
