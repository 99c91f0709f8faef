import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// Staff login and the ticket lifecycle at windows.
final class WindowCallingTests: XCTestCase {
    var live: LiveHall!

    override func setUp() async throws {
        live = try await LiveHall.start()
    }

    override func tearDown() async throws {
        try await live.assertQueueCountsMatchTickets()
        await live.stop()
    }

    func testWholeLifecycle() async throws {
        let t = try await live.issueTicket("hukou")
        let staff = try await live.login("w1")
        let called = try await live.act("w1", "call-next", staffToken: staff).decode(WindowActionResult.self)
        XCTAssertEqual(called.ticket?.number, "A001")
        XCTAssertEqual(called.ticket?.status, .called)
        XCTAssertEqual(called.ticket?.window?.name.zh, "1号窗口")
        var progress = try await live.send(.GET, "/api/v1/tickets/\(t.token)").decode(TicketProgress.self)
        XCTAssertEqual(progress.status, .called)
        XCTAssertEqual(progress.window?.id, "w1")
        XCTAssertNil(progress.waitingAhead)

        assertEq(try await live.act("w1", "recall", staffToken: staff).status, 200)
        let serving = try await live.act("w1", "start", staffToken: staff).decode(WindowActionResult.self)
        XCTAssertEqual(serving.ticket?.status, .serving)
        assertEq(try await live.act("w1", "recall", staffToken: staff).errorCode, APIErrorCode.invalidTransition)
        live.clock.advance(by: 240)
        let done = try await live.act("w1", "complete", staffToken: staff).decode(WindowActionResult.self)
        XCTAssertEqual(done.ticket?.status, .completed)
        XCTAssertEqual(done.ticket?.staff?.employeeNo, "1001")
        progress = try await live.send(.GET, "/api/v1/tickets/\(t.token)").decode(TicketProgress.self)
        XCTAssertEqual(progress.status, .completed)
        XCTAssertTrue(progress.rating.canRate)
        assertEq(try await live.act("w1", "complete", staffToken: staff).errorCode, APIErrorCode.invalidTransition)
        let empty = try await live.act("w1", "call-next", staffToken: staff).decode(WindowActionResult.self)
        XCTAssertNil(empty.ticket, "queue empty")
    }

    func testPriorityTicketsAreCalledFirstAndWindowsTakeOnlyTheirServices() async throws {
        _ = try await live.issueTicket("hukou")
        _ = try await live.issueTicket("social")
        let elderly = try await live.issueTicket("social", priority: .elderly)
        XCTAssertEqual(elderly.waitingAhead, 0, "the priority lane is ahead of normal tickets")
        let w2 = try await live.login("w2", employeeNo: "1002")
        let first = try await live.act("w2", "call-next", staffToken: w2).decode(WindowActionResult.self)
        XCTAssertEqual(first.ticket?.number, elderly.number)
        let busy = try await live.act("w2", "call-next", staffToken: w2)
        XCTAssertEqual(busy.errorCode, APIErrorCode.windowBusy)
        live.clock.advance(by: 300)   // 过号 only after [console] noShowAfterMinutes (5)
        _ = try await live.act("w2", "no-show", staffToken: w2)
        let second = try await live.act("w2", "call-next", staffToken: w2).decode(WindowActionResult.self)
        XCTAssertEqual(second.ticket?.number, "D001", "w2 serves only social")
        _ = try await live.act("w2", "complete", staffToken: w2)
        assertNone(try await live.act("w2", "call-next", staffToken: w2).decode(WindowActionResult.self).ticket)
    }

    func testTransferKeepsNumberAndPlaceByIssueTime() async throws {
        let early = try await live.issueTicket("hukou")     // A001, first in the hall
        _ = try await live.issueTicket("social")            // D001
        _ = try await live.issueTicket("social")            // D002
        let s1 = try await live.login("w1")
        _ = try await live.act("w1", "call-next", staffToken: s1)   // A001
        let moved = try await live.act("w1", "transfer", staffToken: s1, transferTo: "social").decode(WindowActionResult.self)
        XCTAssertEqual(moved.ticket?.status, .waiting)
        XCTAssertEqual(moved.ticket?.service.id, "social")
        XCTAssertEqual(moved.ticket?.waitingAhead, 0, "issued before D001 and D002, so it keeps the front place")
        let s2 = try await live.login("w2", employeeNo: "1002")
        let next = try await live.act("w2", "call-next", staffToken: s2).decode(WindowActionResult.self)
        XCTAssertEqual(next.ticket?.id, early.id)
        XCTAssertEqual(next.ticket?.number, "A001")
        assertEq(try await live.act("w1", "transfer", staffToken: s1, transferTo: "nope").errorCode, APIErrorCode.unknownService)
    }

    func testLoginRulesAndStaffTokens() async throws {
        let bad = try await live.send(.POST, "/api/v1/windows/w1/login", json: StaffLoginRequest(employeeNo: "1001", pin: "000000"))
        XCTAssertEqual(bad.status, 401)
        XCTAssertEqual(bad.errorCode, APIErrorCode.loginFailed)
        let staff = try await live.login("w1")
        assertEq(try await live.act("w2", "call-next", staffToken: staff).status, 403, "token is for w1")
        // The same person logging in at w2 ends the w1 session.
        let again = try await live.login("w2")
        assertEq(try await live.act("w1", "call-next", staffToken: staff).status, 401)
        assertEq(try await live.send(.POST, "/api/v1/windows/w2/logout", token: again).status, 204)
        assertEq(try await live.act("w2", "call-next", staffToken: again).status, 401)
        // Sessions expire.
        let third = try await live.login("w1")
        live.clock.advance(by: 13 * 3600)
        assertEq(try await live.act("w1", "call-next", staffToken: third).status, 401)
    }

    func testRepeatedWrongPinsLockTheEmployeeNumberOut() async throws {
        for _ in 0..<5 {
            _ = try await live.send(.POST, "/api/v1/windows/w1/login", json: StaffLoginRequest(employeeNo: "1002", pin: "111111"))
        }
        let locked = try await live.send(.POST, "/api/v1/windows/w1/login", json: StaffLoginRequest(employeeNo: "1002", pin: TestHallConfig.pin))
        XCTAssertEqual(locked.status, 429)
        XCTAssertEqual(locked.errorCode, APIErrorCode.tooManyAttempts)
        live.clock.advance(by: 16 * 60)
        _ = try await live.login("w1", employeeNo: "1002")
    }

    func testEstimateLearnsFromCompletions() async throws {
        let staff = try await live.login("w1")
        for _ in 0..<6 {
            _ = try await live.issueTicket("hukou")
            _ = try await live.act("w1", "call-next", staffToken: staff)
            live.clock.advance(by: 20 * 60)
            _ = try await live.act("w1", "complete", staffToken: staff)
        }
        _ = try await live.issueTicket("hukou")
        let t = try await live.issueTicket("hukou")
        // Seed 6 min weighs as 3 completions; six completions took 20 min: (3×6 + 6×20) / 9 ≈ 15.3 min.
        XCTAssertEqual(t.estimatedWaitMinutes, 16)
    }
}
