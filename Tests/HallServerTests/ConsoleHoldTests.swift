import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// The console shows a break and a hold as the clerk set them (issue 20): the break's reason, since when and for how
/// long; a held service's reason, until when and the time left — beside the service, on the current ticket and on
/// every waiting ticket of it — in Chinese and English, server-rendered (no script needed), and the live link says
/// when a hold starts, changes or ends by itself. Monday 2026-11-23 09:00 Beijing; w1 serves hukou (A) and social (D).
final class ConsoleHoldTests: XCTestCase {
    var live: LiveHall!

    override func tearDown() async throws {
        await live?.stop()
        live = nil
    }

    /// The next `console` message of the live link.
    private func next(_ stream: SSEReader, timeout: Duration = .seconds(5)) async throws -> String? {
        try await stream.nextData(event: "console", timeout: timeout)
    }

    private static func fingerprint(_ page: String) throws -> String {
        try XCTUnwrap(page.range(of: #"data-fp="[0-9a-f]+""#, options: .regularExpression).map { String(page[$0].dropFirst(9).dropLast()) })
    }

    /// The waiting-list row of ticket `number`.
    private static func row(_ number: String, in page: String) -> String? {
        guard let cell = page.range(of: "<td class=\"n\">\(number)</td>") else { return nil }
        let start = page[..<cell.lowerBound].range(of: "<tr", options: .backwards)?.lowerBound ?? cell.lowerBound
        guard let end = page[cell.upperBound...].range(of: "</tr>") else { return nil }
        return String(page[start..<end.upperBound])
    }

    func testAHeldServiceSaysWhyAndUntilWhenBesideItOnTheCurrentTicketAndOnItsWaitingTickets() async throws {
        live = try await LiveHall.start(sseHeartbeat: 1)
        let first = try await live.issueTicket("hukou")
        let second = try await live.issueTicket("hukou")
        let social = try await live.issueTicket("social")
        let clerk = try await ConsoleClient.signIn(live)
        let called = try await clerk.act("call-next")
        XCTAssertTrue(called.text.contains("\(first.number)：已叫号"), called.text)

        // Asked first: a reason and until when, not a bare button.
        let plain = try await clerk.page()
        XCTAssertTrue(plain.text.contains("href=\"/staff?confirm=hold-service&amp;service=hukou\""), "the hold asks first")
        let ask = try await clerk.page("confirm=hold-service&service=hukou")
        XCTAssertTrue(ask.text.contains("本窗口暂停办理「户籍办理」？"), ask.text)
        XCTAssertTrue(ask.text.contains("Hold Household registration at this window?"))
        XCTAssertTrue(ask.text.contains("name=\"reason\"") && ask.text.contains("type=\"time\" name=\"until\""), "reason and until asked")
        XCTAssertTrue(ask.text.contains(HTML.hidden("scope", "window")))

        let link = try await SSEReader.open(live, path: "/staff/events", token: "", cookie: clerk.cookie)
        let before = try await next(link)
        assertEq(before, try Self.fingerprint(plain.text))
        let held = try await clerk.post("/staff/service", [("serviceId", "hukou"), ("scope", "window"), ("paused", "1"),
                                                           ("reason", "系统故障"), ("until", "10:30")])
        XCTAssertEqual(held.answer.status, 303, held.answer.text)
        let page = held.page.text
        XCTAssertTrue(page.contains("本窗口暂停办理该事项"), "the action is confirmed")

        // Beside the service: reason, until, time left; both languages; the way back.
        let note = "本窗口暂停办理：系统故障 · 至 10:30（还剩 "
        XCTAssertTrue(page.contains(note), page)
        XCTAssertTrue(page.contains("Held at this window: 系统故障 · until 10:30 ("), page)
        XCTAssertTrue(page.contains(">90:00</span>"), "an hour and a half left, on a countdown")
        XCTAssertTrue(page.contains("data-until=\"\(Int(TestHallConfig.monday(10, 30).timeIntervalSince1970 * 1000))\""),
                      "the script counts down to the hold's end")
        XCTAssertTrue(page.contains("本窗口恢复"), "the way back")
        // On the current ticket (its service is held: the next call skips it).
        let current = try XCTUnwrap(page.range(of: "<div class=\"cur-hold\">").map { String(page[$0.lowerBound...].prefix(600)) })
        XCTAssertTrue(current.contains("系统故障") && current.contains("至 10:30"), current)
        // On its waiting ticket, not on the other service's.
        let heldRow = try XCTUnwrap(Self.row(second.number, in: page), page)
        XCTAssertTrue(heldRow.hasPrefix("<tr class=\"held\">"), heldRow)
        XCTAssertTrue(heldRow.contains("本窗口暂停：系统故障 · 至 10:30"), heldRow)
        XCTAssertTrue(heldRow.contains("held here until 10:30"), heldRow)
        let otherRow = try XCTUnwrap(Self.row(social.number, in: page))
        XCTAssertFalse(otherRow.contains("hold"), otherRow)

        // The live link says so, and the panel it fetches shows it.
        let afterHold = try await next(link)
        XCTAssertNotNil(afterHold)
        XCTAssertNotEqual(afterHold, before, "holding changes the console")
        let panel = try await clerk.page("part=live")
        XCTAssertTrue(panel.text.contains(note), "the live panel shows the hold")

        // Held again with another time: the note changes, live too.
        _ = try await clerk.post("/staff/service", [("serviceId", "hukou"), ("scope", "window"), ("paused", "1"),
                                                    ("reason", "等待材料"), ("until", "09:45")])
        let changed = try await next(link)
        XCTAssertNotEqual(changed, afterHold, "a changed note changes the console")
        let again = try await clerk.page()
        XCTAssertTrue(again.text.contains("本窗口暂停办理：等待材料 · 至 09:45（还剩 "), again.text)
        XCTAssertTrue(again.text.contains(">45:00</span>"))
        XCTAssertFalse(again.text.contains("系统故障"), "the old note is gone")

        // A minute later the countdown says so. The called ticket is completed (so nothing else changes with time);
        // at 09:45 the hold ends by itself and the link says it.
        live.clock.set(TestHallConfig.monday(9, 1))
        let minuteLater = try await clerk.page()
        XCTAssertTrue(minuteLater.text.contains(">44:00</span>"), minuteLater.text)
        _ = try await clerk.act("complete")
        let completed = try await next(link)
        XCTAssertNotEqual(completed, changed)
        live.clock.set(TestHallConfig.monday(9, 45))
        let ended = try await next(link)
        XCTAssertNotNil(ended, "the hold's end reaches the live link (at the next heartbeat read)")
        XCTAssertNotEqual(ended, completed)
        let after = try await clerk.page()
        XCTAssertFalse(after.text.contains("等待材料"), "the hold is over")
        XCTAssertFalse(try XCTUnwrap(Self.row(second.number, in: after.text)).contains("held"))
        XCTAssertTrue(after.text.contains("confirm=hold-service&amp;service=hukou"), "and can be held again")
    }

    func testAHoldWithoutUntilSaysItLastsUntilServedAgainAndResumingClearsIt() async throws {
        live = try await LiveHall.start()
        _ = try await live.issueTicket("hukou")
        let clerk = try await ConsoleClient.signIn(live)
        let held = try await clerk.post("/staff/service", [("serviceId", "social"), ("scope", "window"), ("paused", "1")]).page.text
        XCTAssertTrue(held.contains("本窗口暂停办理 · 恢复前一直暂停"), held)
        XCTAssertTrue(held.contains("Held at this window · until you serve it again"), held)
        XCTAssertFalse(held.contains("class=\"timer\" data-until"), "no countdown without an until")
        let resumed = try await clerk.post("/staff/service", [("serviceId", "social"), ("scope", "window"), ("paused", "0")]).page.text
        XCTAssertTrue(resumed.contains("本窗口恢复办理该事项"), resumed)
        XCTAssertFalse(resumed.contains("class=\"hold\""), "no hold shown")
    }

    func testABreakShowsItsReasonSinceWhenAndHowLongInBothLanguages() async throws {
        live = try await LiveHall.start()
        let clerk = try await ConsoleClient.signIn(live)
        live.clock.set(TestHallConfig.monday(9, 10))
        let onBreak = try await clerk.act("break", [("reason", "午休")])
        XCTAssertTrue(onBreak.text.contains("暂停服务：午休 · 09:10 起 · 已暂停 "), onBreak.text)
        XCTAssertTrue(onBreak.text.contains("On a break: 午休 since 09:10 (0:00)"), onBreak.text)
        XCTAssertTrue(onBreak.text.contains("data-since=\"\(Int(TestHallConfig.monday(9, 10).timeIntervalSince1970 * 1000))\""),
                      "the script counts the break up")
        live.clock.set(TestHallConfig.monday(9, 22).addingTimeInterval(30))
        let later = try await clerk.page("part=live")
        XCTAssertTrue(later.text.contains("已暂停 <span class=\"timer\""), later.text)
        XCTAssertTrue(later.text.contains(">12:30</span>"), "twelve and a half minutes on the break")
        XCTAssertTrue(later.text.contains("since 09:10 (12:30)"), later.text)
    }
}
