import Crypto
import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// The calling displays' API: the board snapshot, the hall's event stream (ordered, resumable, also across a
/// restart), the waiting counts, and the recall limit.
final class CallingBoardTests: XCTestCase {
    var live: LiveHall!

    override func setUp() async throws {
        live = try await LiveHall.start(sseHeartbeat: 0.3)
    }

    override func tearDown() async throws {
        await live.stop()
    }

    /// The next frame that carries a hall event (skipping `queues` and comments).
    private func nextHallEvent(_ stream: SSEReader, timeout: Duration = .seconds(5)) async throws -> HallEvent? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let frame = try await stream.next(timeout: deadline - ContinuousClock.now) else { return nil }
            guard frame.event == "hall", let data = frame.data else { continue }
            let event = try HallJSON.decoder().decode(HallEvent.self, from: Data(data.utf8))
            XCTAssertEqual(frame.id, String(event.id), "the SSE id is the event id")
            return event
        }
        return nil
    }

    private func board(token: String = TestHallConfig.kioskToken) async throws -> HallBoard {
        let reply = try await live.send(.GET, "/api/v1/hall/board", token: token)
        XCTAssertEqual(reply.status, 200, reply.text)
        return try reply.decode(HallBoard.self)
    }

    func testTheBoardShowsCallsWindowsWaitingCountsAndTheNewestEventId() async throws {
        let s1 = try await live.login("w1")
        _ = try await live.login("w2", employeeNo: "1002")
        let first = try await live.issueTicket("hukou")
        let second = try await live.issueTicket("hukou", priority: .elderly)
        _ = try await live.issueTicket("social")
        // The elderly ticket is called first (priority lane), then recalled.
        assertEq(try await live.act("w1", "call-next", staffToken: s1).status, 200)
        assertEq(try await live.act("w1", "recall", staffToken: s1).status, 200)
        let b = try await board()
        XCTAssertEqual(b.hallName.zh, "测试政务服务中心")
        XCTAssertEqual(b.recentCalls.map(\.number), [second.number], "one row per ticket: the recall replaced the call")
        XCTAssertEqual(b.recentCalls.first?.recall, 1)
        XCTAssertEqual(b.recentCalls.first?.priority, .elderly)
        XCTAssertEqual(b.recentCalls.first?.windowNumber, "1", "from the window's name 1号窗口")
        let w1 = b.windows.first { $0.id == "w1" }
        XCTAssertEqual(w1?.activity, .calling)
        XCTAssertEqual(w1?.ticketNumber, second.number)
        XCTAssertEqual(w1?.staff?.employeeNo, "1001")
        XCTAssertEqual(b.windows.first { $0.id == "w2" }?.activity, .open)
        XCTAssertEqual(b.windows.first { $0.id == "w3" }?.activity, .closed, "nobody logged in: 暂停服务")
        XCTAssertEqual(b.queues.first { $0.service.id == "hukou" }?.waiting, 1, "\(first.number) still waits")
        XCTAssertEqual(b.queues.first { $0.service.id == "social" }?.waiting, 1)
        let newest = try await live.desk.hallEventIds().latest
        XCTAssertEqual(b.lastEventId, newest)
        // Starting the service turns the window to serving; the call stays in the recent list.
        assertEq(try await live.act("w1", "start", staffToken: s1).status, 200)
        let after = try await board()
        XCTAssertEqual(after.windows.first { $0.id == "w1" }?.activity, .serving)
        XCTAssertEqual(after.recentCalls.map(\.number), [second.number])
    }

    func testTheStreamDeliversEveryWindowsEventsInOrderWithTheWindowAfterIt() async throws {
        let stream = try await SSEReader.open(live, path: "/api/v1/hall/calls/events", token: TestHallConfig.kioskToken)
        XCTAssertEqual(stream.status, 200)
        let s1 = try await live.login("w1")
        let s2 = try await live.login("w2", employeeNo: "1002")
        let a = try await live.issueTicket("hukou")
        let d = try await live.issueTicket("social")
        let start = ContinuousClock.now
        assertEq(try await live.act("w1", "call-next", staffToken: s1).status, 200)
        assertEq(try await live.act("w2", "call-next", staffToken: s2).status, 200)
        var events: [HallEvent] = []
        while events.count < 4, let e = try await nextHallEvent(stream) { events.append(e) }
        XCTAssertEqual(events.map(\.type), [.windowOpened, .windowOpened, .ticketCalled, .ticketCalled])
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(1), "calls reach the display within a second")
        XCTAssertEqual(events.map(\.id), events.map(\.id).sorted(), "ids grow in commit order")
        XCTAssertEqual(Set(events.map(\.id)).count, 4)
        XCTAssertEqual(events[2].call?.number, a.number)
        XCTAssertEqual(events[2].window.activity, .calling)
        XCTAssertEqual(events[2].window.ticketNumber, a.number)
        XCTAssertEqual(events[3].call?.number, d.number)
        XCTAssertEqual(events[3].call?.windowId, "w2")
        XCTAssertEqual(events[3].call?.windowName.zh, "2号窗口")
        // A logout leaves the window closed.
        _ = try await live.send(.POST, "/api/v1/windows/w2/logout", token: s2)
        let closed = try await nextHallEvent(stream)
        XCTAssertEqual(closed?.type, .windowClosed)
        XCTAssertEqual(closed?.window.activity, .closed)
        XCTAssertNil(closed?.window.staff)
    }

    func testADisplayResumesWithLastEventIdAlsoAcrossARestartOfTheServer() async throws {
        let s1 = try await live.login("w1")
        let board = try await board()
        for _ in 0..<3 { _ = try await live.issueTicket("hukou") }
        assertEq(try await live.act("w1", "call-next", staffToken: s1).status, 200)
        live.clock.advance(by: 300)   // 过号 only after [console] noShowAfterMinutes (5)
        assertEq(try await live.act("w1", "no-show", staffToken: s1).status, 200)
        // The server restarts (same database); the display was offline meanwhile and resumes from its snapshot's id.
        let folder = live.folder
        await live.stop()
        live = try await LiveHall.start(folder: folder, sseHeartbeat: 0.3)
        let s1again = try await live.login("w1")
        assertEq(try await live.act("w1", "call-next", staffToken: s1again).status, 200)
        let resumed = try await SSEReader.open(live, path: "/api/v1/hall/calls/events", token: TestHallConfig.kioskToken,
                                               lastEventId: String(board.lastEventId))
        var types: [HallEventType] = []
        while types.count < 5, let e = try await nextHallEvent(resumed) { types.append(e.type) }
        XCTAssertEqual(types, [.ticketCalled, .ticketNoShow, .windowClosed, .windowOpened, .ticketCalled],
                       "nothing the display missed is lost, in order (the new login ended the old session)")
    }

    func testWaitingCountsFollowTicketsIssuedAtMostOnceASecond() async throws {
        let stream = try await SSEReader.open(live, path: "/api/v1/hall/calls/events", token: TestHallConfig.kioskToken)
        _ = try await stream.next(timeout: .seconds(2))  // the greeting
        for _ in 0..<3 { _ = try await live.issueTicket("hukou") }
        var latest: HallQueuesUpdate?
        var messages = 0
        let deadline = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < deadline, let frame = try await stream.next(timeout: deadline - ContinuousClock.now) {
            guard frame.event == "queues", let data = frame.data else { continue }
            XCTAssertNil(frame.id, "counts are not replayed events")
            latest = try HallJSON.decoder().decode(HallQueuesUpdate.self, from: Data(data.utf8))
            messages += 1
            if latest?.queues.first(where: { $0.service.id == "hukou" })?.waiting == 3 { break }
        }
        XCTAssertEqual(latest?.queues.first { $0.service.id == "hukou" }?.waiting, 3)
        XCTAssertLessThanOrEqual(messages, 3, "at most one a second")
    }

    func testARecallOverTheLimitIsRefusedWithTheReasonAndEachRecallIsCounted() async throws {
        let s1 = try await live.login("w1")
        _ = try await live.issueTicket("hukou")
        assertEq(try await live.act("w1", "call-next", staffToken: s1).status, 200)
        for _ in 1...3 { assertEq(try await live.act("w1", "recall", staffToken: s1).status, 200) }
        let refused = try await live.act("w1", "recall", staffToken: s1)
        XCTAssertEqual(refused.status, 409)
        XCTAssertEqual(refused.errorCode, "recallLimitReached")
        XCTAssertTrue(refused.text.contains("recallLimit"), refused.text)
        let b = try await board()
        XCTAssertEqual(b.recentCalls.first?.recall, 3)
        assertEq(try await live.act("w1", "no-show", staffToken: s1).status, 200, "过号 is still possible")
    }

    func testOnlyKnownCallersMayWatchAndABadResumePointIsNamed() async throws {
        assertEq(try await live.send(.GET, "/api/v1/hall/board").status, 401)
        assertEq(try await live.send(.GET, "/api/v1/hall/calls/events").status, 401)
        assertEq(try await live.send(.GET, "/api/v1/hall/calls/events", token: TestHallConfig.adminToken,
                                           headers: [("Last-Event-ID", "yesterday")]).status, 400)
        assertEq(try await live.send(.GET, "/api/v1/hall/board", token: TestHallConfig.adminToken).status, 200)
    }
}

/// The phone page follows the call live: its title and words when called, its live link's messages.
final class PhoneLiveTests: XCTestCase {
    var live: LiveHall!

    override func setUp() async throws {
        live = try await LiveHall.start(sseHeartbeat: 0.3)
    }

    override func tearDown() async throws {
        await live.stop()
    }

    /// The next `progress` message of a phone page's live link.
    private func nextProgress(_ stream: SSEReader, timeout: Duration = .seconds(5)) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let frame = try await stream.next(timeout: deadline - ContinuousClock.now) else { return nil }
            if frame.event == "progress" { return frame.data }
        }
        return nil
    }

    func testTheLinkSaysWhenTheTicketIsCalledRecalledAndServedAndThePageSaysWhereToGo() async throws {
        let staff = try await live.login("w1")
        let first = try await live.issueTicket("hukou")
        let mine = try await live.issueTicket("hukou")
        let token = mine.token
        let page = try await live.send(.GET, "/t/\(token)")
        XCTAssertTrue(page.text.contains("id=\"live\""), "a waiting ticket's page follows the live link")
        let link = try await SSEReader.open(live, path: "/t/\(token)/events", token: "")
        assertEq(try await nextProgress(link), "waiting.-.0.1.0", "one ahead")
        // The ticket ahead is called: one fewer ahead, within about a second.
        let start = ContinuousClock.now
        assertEq(try await live.act("w1", "call-next", staffToken: staff).status, 200)
        assertEq(try await nextProgress(link), "waiting.-.0.0.0")
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(2))
        assertEq(try await live.act("w1", "complete", staffToken: staff).status, 200)
        assertEq(try await live.act("w1", "call-next", staffToken: staff).status, 200)
        assertEq(try await nextProgress(link), "called.w1.0.-1.0")
        let called = try await live.send(.GET, "/t/\(token)")
        XCTAssertTrue(called.text.contains("<title>请到1号窗口 · \(mine.number)"), called.text)
        XCTAssertTrue(called.text.contains("data-called=\"1\""))
        XCTAssertTrue(called.text.contains("navigator.vibrate"))
        assertEq(try await live.act("w1", "recall", staffToken: staff).status, 200)
        assertEq(try await nextProgress(link), "called.w1.1.-1.0", "a recall shows again")
        let recalled = try await live.send(.GET, "/t/\(token)")
        XCTAssertTrue(recalled.text.contains("<title>重呼 请到1号窗口"))
        assertEq(try await live.act("w1", "start", staffToken: staff).status, 200)
        assertEq(try await nextProgress(link), "serving.w1.0.-1.0")
        assertEq(try await live.act("w1", "complete", staffToken: staff).status, 200)
        assertEq(try await nextProgress(link), "completed.w1.0.-1.0")
        assertNone(try await nextProgress(link, timeout: .seconds(1)), "the link ends with the ticket")
        let done = try await live.send(.GET, "/t/\(token)")
        XCTAssertFalse(done.text.contains("id=\"live\""), "the rating form is never wiped by a reload")
        _ = first
    }

    func testOnlyThePagesOwnScriptMayRunAndOnlyAgainstThisServer() async throws {
        let ticket = try await live.issueTicket("hukou")
        let page = try await live.send(.GET, "/t/\(ticket.token)")
        let policy = try XCTUnwrap(page.headers.first(name: "Content-Security-Policy"))
        let hash = Data(SHA256.hash(data: Data(PhonePage.liveScript.utf8))).base64EncodedString()
        XCTAssertTrue(policy.contains("script-src 'sha256-\(hash)'"), policy)
        XCTAssertTrue(policy.contains("connect-src 'self'"), policy)
        XCTAssertTrue(policy.hasPrefix("default-src 'none'"), policy)
        XCTAssertFalse(policy.contains("unsafe-inline'; script") || policy.contains("script-src 'unsafe"), policy)
        // Other pages run no script at all.
        let staffPage = try await live.send(.GET, "/staff")
        XCTAssertFalse(staffPage.headers.first(name: "Content-Security-Policy")?.contains("script-src") ?? true)
    }

    func testAnUnknownTokenHasNoLink() async throws {
        assertEq(try await live.send(.GET, "/t/notARealTokenAtAll1234/events").status, 404)
    }
}

/// The clerk's console shows the recalls against the limit and turns 重呼 off at the limit, saying why.
final class ConsoleRecallTests: XCTestCase {
    func testTheRecallButtonCountsAndStopsAtTheLimit() async throws {
        let live = try await LiveHall.start()
        defer { Task { await live.stop() } }
        _ = try await live.issueTicket("hukou")
        let login = try await live.send(.POST, "/staff/login", body: Data("windowId=w1&employeeNo=1001&pin=\(TestHallConfig.pin)".utf8),
                                        contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(login.status, 303)
        let session = String(try XCTUnwrap(login.headers.first(name: "Set-Cookie")).split(separator: ";")[0])
        let console = try await live.send(.GET, "/staff", headers: [("Cookie", session)])
        let csrf = try XCTUnwrap(console.text.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression)
            .map { String(console.text[$0]).split(separator: "\"")[3] })
        // The console answers a form with a redirect back to itself (a reload never posts again): follow it.
        let clerk = ConsoleClient(live: live, cookie: session, csrf: csrf)
        func act(_ action: String) async throws -> String {
            try await clerk.act(action).text
        }
        let calledPage = try await act("call-next")
        XCTAssertTrue(calledPage.contains("重呼 0/3"), calledPage)
        var page = ""
        for _ in 1...3 { page = try await act("recall") }
        XCTAssertTrue(page.contains("已重呼 3/3 次"), page)
        XCTAssertTrue(page.contains("达到上限：请过号或开始办理"), page)
        XCTAssertNotNil(page.range(of: #"<button type="submit" class="btn " disabled>重呼 3/3"#, options: .regularExpression), page)
        let refused = try await act("recall")
        XCTAssertTrue(refused.contains("recallLimit"), "a recall forced past the button is refused with the reason: \(refused)")
    }
}
