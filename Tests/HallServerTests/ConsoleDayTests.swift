import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// "Done when" of the console: a clerk's whole day through the console's forms (what its keys press) — 200 tickets,
/// late citizens (过号 tried too early and refused, then confirmed; undone, requeued or called back with 特呼), breaks,
/// a transfer, a sign-out with a ticket at the window, a handover — without a wrong 过号 or a lost citizen.
final class ConsoleDayTests: LiveHallTestCase {
    func testAClerkDayOfTwoHundredTicketsLosesNobody() async throws {
        let live = try await start()
        var tickets: [IssuedTicket] = []
        for _ in 0..<200 { tickets.append(try await live.issueTicket("hukou")) }
        let byNumber = Dictionary(uniqueKeysWithValues: tickets.map { ($0.number, $0) })
        var clerk = try await ConsoleClient.signIn(live)
        var served = 0
        var tooEarlyRefused = 0
        var late: [IssuedTicket] = []   // missed, to come back later
        var step = 0
        var comebacks: [String: Int] = [:]

        /// The number the console says it called ("A023：已叫号"), nil when nobody waits.
        func called(_ page: LiveHall.Reply) -> IssuedTicket? {
            page.text.range(of: #"[A-Z]\d{3}：已(叫号|特呼)"#, options: .regularExpression)
                .flatMap { byNumber[String(page.text[$0].prefix(4))] }
        }
        func state(_ t: IssuedTicket) async throws -> TicketProgress {
            try await live.send(.GET, "/api/v1/tickets/\(t.token)", token: TestHallConfig.kioskToken).decode(TicketProgress.self)
        }
        func complete(_ t: IssuedTicket) async throws {
            live.clock.advance(by: 45)
            let done = try await clerk.act("complete")
            XCTAssertTrue(done.text.contains("\(t.number)：办结"), done.text)
            served += 1
        }

        while true {
            step += 1
            let page = try await clerk.act("call-next")
            guard let t = called(page) else {
                XCTAssertTrue(page.text.contains("暂无等候"), page.text)
                break
            }
            assertEq(try await state(t).status, .called, "\(t.number): the phone says 请到 1号窗口 first")
            switch step {
            case _ where step % 17 == 0:
                // The citizen is late: 过号 too early is refused; after two recalls it is allowed, confirmed.
                let early = try await clerk.post("/staff/action", [("action", "no-show"), ("confirm", "1")])
                XCTAssertEqual(early.answer.status, 409, "\(t.number): 过号 before the rule")
                tooEarlyRefused += 1
                _ = try await clerk.act("recall")
                live.clock.advance(by: 30)
                _ = try await clerk.act("recall")
                let ask = try await clerk.act("no-show")
                XCTAssertTrue(ask.text.contains("确认 \(t.number) 过号"), ask.text)
                let missed = try await clerk.act("no-show", [("confirm", "1")])
                XCTAssertTrue(missed.text.contains("\(t.number)：已过号"), missed.text)
                late.append(t)
            case 40:
                // Transferred to social (w1 serves it too: it comes back here later).
                let moved = try await clerk.act("transfer", [("serviceId", "social")])
                XCTAssertTrue(moved.text.contains("\(t.number)：已转移"), moved.text)
                assertEq(try await state(t).transferredFrom?.id, "hukou")
            case 60, 130:
                // A break (lunch, a meeting) with the ticket served first; the session stays; 叫下一位 is off meanwhile.
                _ = try await clerk.act("start")
                try await complete(t)
                let onBreak = try await clerk.act("break", [("reasonText", step == 60 ? "午休" : "会议")])
                XCTAssertTrue(onBreak.text.contains("暂停服务："), onBreak.text)
                let refused = try await clerk.post("/staff/action", [("action", "call-next")])
                XCTAssertEqual(refused.answer.status, 409)
                live.clock.advance(by: 20 * 60)
                _ = try await clerk.act("resume")
            case 100:
                // Signing out with the ticket at the window: back to the front; then a colleague takes the window over.
                let ask = try await clerk.post("/staff/logout", [])
                XCTAssertTrue(ask.page.text.contains("退回队首"), ask.page.text)
                _ = try await clerk.post("/staff/logout", [("ticket", "queue")])
                assertEq(try await state(t).waitingAhead, 0)
                _ = try await ConsoleClient.signIn(live, employeeNo: "1001")
                clerk = try await ConsoleClient.signIn(live, employeeNo: "1002", takeover: true)
            case 150:
                // A handover while serving: the colleague takes over and completes the ticket at the window.
                _ = try await clerk.act("start")
                clerk = try await ConsoleClient.signIn(live, employeeNo: "1001", takeover: true)
                try await complete(t)
            default:
                if step % 5 == 0 { _ = try await clerk.act("start") }
                try await complete(t)
            }
            // Late citizens come back: within the undo minutes (undo), later (过号重排 or 特呼).
            if let first = late.first, step % 17 == ((step / 17) % 3 == 0 ? 1 : 3) {
                late.removeFirst()
                let p = try await state(first)
                assertEq(p.status, .noShow)
                assertEq(p.window?.id, "w1", "the phone still says where it was called")
                switch (step / 17) % 3 {
                case 0:
                    let undone = try await clerk.post("/staff/action", [("action", "undo-no-show"), ("ticketId", first.id)])
                    if undone.answer.status == 303 {
                        comebacks["undo", default: 0] += 1
                        try await complete(first)
                    } else {
                        XCTAssertTrue(undone.answer.text.contains("noShowUndoMinutes"), undone.answer.text)
                        _ = try await clerk.act("requeue", [("ticketId", first.id)])
                    }
                case 1:
                    _ = try await clerk.act("requeue", [("ticketId", first.id)])
                    assertEq(try await state(first).status, .waiting)
                    comebacks["requeue", default: 0] += 1
                default:
                    let back = try await clerk.act("call-number", [("number", first.number.lowercased())])
                    XCTAssertTrue(back.text.contains("\(first.number)：已特呼"), back.text)
                    comebacks["call", default: 0] += 1
                    try await complete(first)
                }
            }
            live.clock.advance(by: 30)
        }
        // Whoever is still late comes back at the end of the day: 特呼.
        for t in late {
            _ = try await clerk.act("call-number", [("number", t.number)])
            try await complete(t)
        }
        // Nobody lost: every ticket was served, exactly once each, and the console counted them.
        var statuses: [TicketStatus: Int] = [:]
        for t in tickets { statuses[try await state(t).status, default: 0] += 1 }
        XCTAssertEqual(statuses, [.completed: 200], "every citizen served")
        XCTAssertEqual(served, 200)
        XCTAssertGreaterThanOrEqual(tooEarlyRefused, 10, "the early 过号 was tried and refused each time")
        for way in ["undo", "requeue", "call"] { XCTAssertGreaterThanOrEqual(comebacks[way] ?? 0, 2, "late citizens came back by \(way): \(comebacks)") }
        let page = try await clerk.page()
        XCTAssertTrue(page.text.contains("id=\"k-served\">200<"), "served today on the console")
        try await live.assertQueueCountsMatchTickets()
    }
}
