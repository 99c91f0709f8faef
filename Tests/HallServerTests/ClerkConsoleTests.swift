import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// The clerk's console rules over HTTP: 过号 only after recalls or minutes and confirmed, undo within its minutes,
/// 过号重排 at its place, 特呼, sign-out choices, takeover, the break, and pause scope.
final class ClerkConsoleTests: LiveHallTestCase {
    private func progress(_ live: LiveHall, _ t: IssuedTicket) async throws -> TicketProgress {
        try await live.send(.GET, "/api/v1/tickets/\(t.token)", token: TestHallConfig.kioskToken).decode(TicketProgress.self)
    }

    func testNoShowNeedsRecallsOrMinutesAndAConfirmation() async throws {
        let live = try await start()
        let t = try await live.issueTicket("hukou")
        let clerk = try await ConsoleClient.signIn(live)
        let called = try await clerk.act("call-next")
        XCTAssertTrue(called.text.contains("重呼 2 次或 5 分钟后"), "the rule is on the button")
        XCTAssertNotNil(called.text.range(of: #"<button type="submit" class="btn " disabled>过号"#, options: .regularExpression), called.text)
        // The API refuses too, saying why.
        let token = try await live.login("w1")
        let early = try await live.act("w1", "no-show", staffToken: token)
        XCTAssertEqual(early.status, 409)
        XCTAssertTrue(early.text.contains("noShowAfterRecalls"), early.text)
        assertEq(try await progress(live, t).status, .called, "the phone shows 请到 1号窗口 first")
        // After two recalls: allowed, but only confirmed.
        _ = try await live.act("w1", "recall", staffToken: token)
        _ = try await live.act("w1", "recall", staffToken: token)
        let clerk2 = try await ConsoleClient.signIn(live, takeover: true)
        let ask = try await clerk2.post("/staff/action", [("action", "no-show")])
        XCTAssertEqual(ask.answer.status, 303)
        XCTAssertTrue(ask.page.text.contains("确认 \(t.number) 过号？"), ask.page.text)
        assertEq(try await progress(live, t).status, .called, "nothing happens before the confirmation")
        let done = try await clerk2.act("no-show", [("confirm", "1")])
        XCTAssertTrue(done.text.contains("\(t.number)：已过号"), done.text)
        assertEq(try await progress(live, t).status, .noShow)
        // The citizen's phone says what the hall can do for a late citizen (requeue, 特呼), not "take a new number".
        let phone = try await live.send(.GET, "/t/\(t.token)")
        XCTAssertTrue(phone.text.contains("已过号") && phone.text.contains("工作人员可为您重新排队，无需重新取号"), phone.text)
        XCTAssertFalse(phone.text.contains("过号请重新取号"), phone.text)
        let phoneEn = try await live.send(.GET, "/t/\(t.token)?lang=en")
        XCTAssertTrue(phoneEn.text.contains("staff can put you back in the queue"), phoneEn.text)
    }

    func testMinutesAloneAllowTheNoShow() async throws {
        let live = try await start()
        _ = try await live.issueTicket("hukou")
        let token = try await live.login("w1")
        _ = try await live.act("w1", "call-next", staffToken: token)
        live.clock.advance(by: 299)
        assertEq(try await live.act("w1", "no-show", staffToken: token).status, 409)
        live.clock.advance(by: 1)
        assertEq(try await live.act("w1", "no-show", staffToken: token).status, 200)
    }

    func testUndoWorksOnlyWithinItsMinutesAndRequeuePutsTheCitizenBehindTwo() async throws {
        let live = try await start()
        var tickets: [IssuedTicket] = []
        for _ in 0..<5 { tickets.append(try await live.issueTicket("hukou")) }
        let clerk = try await ConsoleClient.signIn(live)
        _ = try await clerk.act("call-next")
        live.clock.advance(by: 300)
        _ = try await clerk.act("no-show", [("confirm", "1")])
        live.clock.advance(by: 170)   // within 3 minutes
        let undone = try await clerk.act("undo-no-show", [("ticketId", tickets[0].id)])
        XCTAssertTrue(undone.text.contains("已撤销过号"), undone.text)
        assertEq(try await progress(live, tickets[0]).status, .serving)
        _ = try await clerk.act("complete")
        _ = try await clerk.act("call-next")
        live.clock.advance(by: 300)
        _ = try await clerk.act("no-show", [("confirm", "1")])
        live.clock.advance(by: 181)   // too late to undo
        let late = try await clerk.post("/staff/action", [("action", "undo-no-show"), ("ticketId", tickets[1].id)])
        XCTAssertEqual(late.answer.status, 409)
        XCTAssertTrue(late.answer.text.contains("noShowUndoMinutes"), late.answer.text)
        assertEq(try await progress(live, tickets[1]).status, .noShow)
        // 过号重排: behind [console] requeueBehind (2) of the three still waiting.
        let requeued = try await clerk.act("requeue", [("ticketId", tickets[1].id)])
        XCTAssertTrue(requeued.text.contains("已重新排队"), requeued.text)
        let back = try await progress(live, tickets[1])
        assertEq(back.status, .waiting)
        assertEq(back.waitingAhead, 2)
        assertEq(back.requeued, true)
        var order: [String] = []
        for _ in 0..<4 {
            let page = try await clerk.act("call-next")
            order.append(try XCTUnwrap(page.text.range(of: #"A\d{3}：已叫号"#, options: .regularExpression).map { String(page.text[$0].prefix(4)) }))
            _ = try await clerk.act("complete")
        }
        XCTAssertEqual(order, [tickets[2].number, tickets[3].number, tickets[1].number, tickets[4].number])
        try await live.assertQueueCountsMatchTickets()
    }

    func testCallANumberBringsBackALateCitizen() async throws {
        let live = try await start()
        let first = try await live.issueTicket("hukou")
        _ = try await live.issueTicket("hukou")
        let clerk = try await ConsoleClient.signIn(live)
        _ = try await clerk.act("call-next")
        live.clock.advance(by: 600)
        _ = try await clerk.act("no-show", [("confirm", "1")])
        let page = try await clerk.act("call-number", [("number", "a" + first.number.dropFirst())])
        XCTAssertTrue(page.text.contains("\(first.number)：已特呼"), page.text)
        let p = try await progress(live, first)
        assertEq(p.status, .called)
        assertEq(p.window?.id, "w1")
        let busy = try await clerk.post("/staff/action", [("action", "call-number"), ("number", "A002")])
        XCTAssertEqual(busy.answer.status, 409, "one ticket at a time")
        try await live.assertQueueCountsMatchTickets()
    }

    func testSignOutWithATicketAsksAndEachChoiceTellsThePhone() async throws {
        let live = try await start()
        let t = try await live.issueTicket("hukou")
        let other = try await live.issueTicket("hukou")
        var clerk = try await ConsoleClient.signIn(live)
        _ = try await clerk.act("call-next")
        let ask = try await clerk.post("/staff/logout", [])
        XCTAssertEqual(ask.answer.headers.first(name: "Location"), "/staff?confirm=sign-out")
        XCTAssertTrue(ask.page.text.contains("退回队首"), ask.page.text)
        assertEq(try await live.hall().windows.first { $0.id == "w1" }?.isOpen, true, "still signed in")
        // Back to the front of the queue: ahead of the ticket that waited behind it.
        let out = try await clerk.post("/staff/logout", [("ticket", "queue")])
        XCTAssertEqual(out.answer.status, 303)
        assertEq(try await live.hall().windows.first { $0.id == "w1" }?.isOpen, false)
        let back = try await progress(live, t)
        assertEq(back.status, .waiting)
        assertEq(back.waitingAhead, 0)
        assertEq(try await progress(live, other).waitingAhead, 1)
        // Transfer: the phone says where to.
        clerk = try await ConsoleClient.signIn(live)
        _ = try await clerk.act("call-next")
        _ = try await clerk.post("/staff/logout", [("ticket", "transfer"), ("serviceId", "social")])
        let moved = try await progress(live, t)
        assertEq(moved.service.id, "social")
        assertEq(moved.transferredFrom?.id, "hukou")
        let phone = try await live.send(.GET, "/t/\(t.token)")
        XCTAssertTrue(phone.text.contains("已转至社保业务"), phone.text)
        // Complete.
        clerk = try await ConsoleClient.signIn(live)
        _ = try await clerk.act("call-next")
        _ = try await clerk.post("/staff/logout", [("ticket", "complete")])
        // w1 serves social too: the transferred ticket, earlier in issue order, was called and is completed.
        assertEq(try await progress(live, t).status, .completed)
        assertEq(try await progress(live, other).status, .waiting)
        try await live.assertQueueCountsMatchTickets()
    }

    func testASecondLoginAsksBeforeTakingOverAndNamesWhoIsDisplaced() async throws {
        let live = try await start()
        _ = try await ConsoleClient.signIn(live, employeeNo: "1001")
        let ask = try await live.send(.POST, "/staff/login", body: Data("windowId=w1&employeeNo=1002&pin=\(TestHallConfig.pin)".utf8),
                                      contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(ask.status, 409)
        XCTAssertTrue(ask.text.contains("张敏"), ask.text)
        XCTAssertTrue(ask.text.contains("1001"), ask.text)
        assertEq(try await live.hall().windows.first { $0.id == "w1" }?.staff?.employeeNo, "1001", "nobody displaced yet")
        _ = try await ConsoleClient.signIn(live, employeeNo: "1002", takeover: true)
        assertEq(try await live.hall().windows.first { $0.id == "w1" }?.staff?.employeeNo, "1002")
        // The same clerk signing in again is no takeover.
        _ = try await ConsoleClient.signIn(live, employeeNo: "1002")
    }

    func testABreakKeepsTheSessionShowsItsReasonAndCallsNobody() async throws {
        let live = try await start()
        _ = try await live.issueTicket("hukou")
        let clerk = try await ConsoleClient.signIn(live)
        let onBreak = try await clerk.act("break", [("reason", "午休")])
        XCTAssertTrue(onBreak.text.contains("暂停服务：午休"), onBreak.text)
        let w1 = try await live.hall().windows.first { $0.id == "w1" }
        assertEq(w1?.isOpen, true)
        assertEq(w1?.breakReason, "午休")
        let board = try await live.send(.GET, "/api/v1/hall/board", token: TestHallConfig.adminToken).decode(HallBoard.self)
        let window = board.windows.first { $0.id == "w1" }
        assertEq(window?.activity, .paused)
        assertEq(window?.pauseReason?.zh, "午休")
        let refused = try await clerk.post("/staff/action", [("action", "call-next")])
        XCTAssertEqual(refused.answer.status, 409)
        _ = try await clerk.act("resume")
        assertEq(try await live.hall().windows.first { $0.id == "w1" }?.breakReason, nil)
        let calledAfter = try await clerk.act("call-next")
        XCTAssertTrue(calledAfter.text.contains("A001：已叫号"), calledAfter.text)
    }

    func testAWindowHoldsItsShareAndAWholePauseSaysWhyAndUntil() async throws {
        let live = try await start()
        _ = try await live.issueTicket("hukou")
        let social = try await live.issueTicket("social")
        let clerk = try await ConsoleClient.signIn(live)
        _ = try await clerk.post("/staff/service", [("serviceId", "hukou"), ("scope", "window"), ("paused", "1")])
        assertEq(try await live.hall().services.first { $0.id == "hukou" }?.state, .open, "kiosks keep issuing")
        let page = try await clerk.act("call-next")
        XCTAssertTrue(page.text.contains("\(social.number)：已叫号"), "w1 skips the held service: \(page.text)")
        // The whole service: asked first, then paused with a reason and a time.
        let ask = try await clerk.page("confirm=pause-service&service=hukou")
        XCTAssertTrue(ask.text.contains("暂停全部取号机"), ask.text)
        _ = try await clerk.post("/staff/service", [("serviceId", "hukou"), ("paused", "1"), ("reason", "系统维护"), ("until", "10:30")])
        let services = try await live.hall().services
        let hukou = try XCTUnwrap(services.first { $0.id == "hukou" })
        assertEq(hukou.state, .paused)
        assertEq(hukou.pauseReason, "系统维护")
        XCTAssertNotNil(hukou.pausedUntil)
        let refused = try await live.issue("hukou")
        XCTAssertEqual(refused.status, 409)
    }
}
