import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// An API login at an occupied window asks first (409 naming who is there) and takes over only when told; a pause
/// with a reason and an "until" tells kiosks why and when, and the service reopens by itself then — on every instance.
final class LoginTakeoverAndPauseTests: LiveHallTestCase {
    private func login(_ live: LiveHall, _ window: String, _ employeeNo: String, pin: String = TestHallConfig.pin,
                       takeover: Bool? = nil) async throws -> LiveHall.Reply {
        try await live.send(.POST, HallRoutes.windowLogin.path(window),
                            json: StaffLoginRequest(employeeNo: employeeNo, pin: pin, takeover: takeover))
    }

    func testALoginAtAnOccupiedWindowAsksFirstAndTakesOverOnlyWhenTold() async throws {
        let live = try await start()
        let first = try await live.login("w1")
        // Asked: 409 naming the clerk there by work name and number, nothing else about them.
        let asked = try await login(live, "w1", "1002")
        XCTAssertEqual(asked.status, 409, asked.text)
        assertEq(asked.errorCode, APIErrorCode.windowBusy)
        assertEq(try asked.decode(WindowOccupiedBody.self).signedIn, WindowOccupant(name: "张敏", employeeNo: "1001"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: asked.body) as? [String: Any])
        assertEq(Set((json["signedIn"] as? [String: Any] ?? [:]).keys), ["name", "employeeNo"])
        XCTAssertTrue(asked.text.contains("takeover"), "the message says how to take over: \(asked.text)")
        // takeover false asks the same; a wrong PIN is told nothing about who is there.
        assertEq(try await login(live, "w1", "1002", takeover: false).status, 409)
        let wrong = try await login(live, "w1", "1002", pin: "000000")
        assertEq(wrong.status, 401)
        XCTAssertFalse(wrong.text.contains("张敏"), wrong.text)
        // The first clerk was not signed out by being asked about.
        _ = try await live.issueTicket("hukou")
        assertEq(try await live.act("w1", "call-next", staffToken: first).status, 200)
        // The same clerk signing in again at their own window is not a takeover.
        let again = try await login(live, "w1", "1001")
        XCTAssertEqual(again.status, 200, again.text)
        let current = try again.decode(StaffLoginResponse.self).staffToken

        let taken = try await login(live, "w1", "1002", takeover: true)
        XCTAssertEqual(taken.status, 200, taken.text)
        let second = try taken.decode(StaffLoginResponse.self).staffToken
        assertEq(try await live.act("w1", "complete", staffToken: current).status, 401, "the displaced session ended")
        assertEq(try await live.act("w1", "complete", staffToken: second).status, 200)
        // The events say who displaced whom.
        let page = try await live.send(.GET, HallRoutes.windowRecentEvents.path("w1") + "?after=0", token: second).decode(WindowEventPage.self)
        let outs = page.events.filter { $0.type == .staffLoggedOut }
        assertEq(outs.last?.staff?.employeeNo, "1001")
        assertEq(outs.last?.displacedBy?.employeeNo, "1002")
        assertEq(outs.dropLast().map { $0.displacedBy == nil }, Array(repeating: true, count: outs.count - 1),
                 "re-signing in at one's own window displaces nobody")
        assertEq(page.events.last { $0.type == .staffLoggedIn }?.staff?.employeeNo, "1002")
    }

    func testAPauseWithUntilTellsKiosksWhyAndWhenAndReopensByItself() async throws {
        let live = try await start()
        let until = live.clock.now() + 600
        let paused = try await live.send(.POST, HallRoutes.pauseService.path("hukou"), token: TestHallConfig.adminToken,
                                         json: ServicePauseRequest(reason: "系统维护", until: until))
        XCTAssertEqual(paused.status, 200, paused.text)
        let answered = try paused.decode(ServiceStatus.self)
        assertEq(answered.state, .paused)
        assertEq(answered.pauseReason, "系统维护")
        assertEq(answered.pausedUntil, until)
        let refused = try await live.issue("hukou")
        assertEq(refused.status, 409)
        assertEq(refused.errorCode, APIErrorCode.servicePaused)

        // No one resumes it: at "until" the kiosk's services list shows it open again and numbers are issued.
        live.clock.advance(by: 599)
        assertEq(try await hukou(live).state, .paused)
        live.clock.advance(by: 1)
        let reopened = try await hukou(live)
        assertEq(reopened.state, .open)
        XCTAssertNil(reopened.pauseReason)
        XCTAssertNil(reopened.pausedUntil)
        _ = try await live.issueTicket("hukou")

        // A plain pause after that is a pause again (the old note does not end it), until resumed by hand.
        let plain = try await live.send(.POST, HallRoutes.pauseService.path("hukou"), token: TestHallConfig.adminToken)
        XCTAssertEqual(plain.status, 200, plain.text)
        live.clock.advance(by: 3600)
        let still = try await hukou(live)
        assertEq(still.state, .paused)
        XCTAssertNil(still.pauseReason)
        XCTAssertNil(still.pausedUntil)
        assertEq(try await live.send(.POST, HallRoutes.resumeService.path("hukou"), token: TestHallConfig.adminToken).status, 200)
        assertEq(try await hukou(live).state, .open)

        // The window's clerk pauses a service of the window with a reason only; bad notes are refused saying why.
        let token = try await live.login("w1")
        let clerk = try await live.send(.POST, HallRoutes.pauseService.path("social"), token: token,
                                        json: ServicePauseRequest(reason: "系统升级", until: nil))
        assertEq(try clerk.decode(ServiceStatus.self).pauseReason, "系统升级")
        let now = live.clock.now()
        let bad: [ServicePauseRequest] = [
            ServicePauseRequest(reason: "x", until: now - 1),
            ServicePauseRequest(reason: nil, until: now + 8 * 86400),
            ServicePauseRequest(reason: String(repeating: "长", count: ConsoleRules.reasonLimit + 1), until: nil),
        ]
        for note in bad {
            let r = try await live.send(.POST, HallRoutes.pauseService.path("hukou"), token: TestHallConfig.adminToken, json: note)
            XCTAssertEqual(r.status, 400, r.text)
            assertEq(r.errorCode, APIErrorCode.badRequest)
        }
        assertEq(try await hukou(live).state, .open, "a refused pause pauses nothing")
        let elsewhere = try await live.send(.POST, HallRoutes.pauseService.path("bulk"), token: token,
                                            json: ServicePauseRequest(reason: "x", until: nil))
        assertEq(elsewhere.errorCode, APIErrorCode.serviceNotAtWindow)
    }

    func testCallingDisplaysShowThePauseAndHearItReopenWithinSeconds() async throws {
        let live = try await LiveHall.start(sseHeartbeat: 0.3)
        self.live = live
        let until = live.clock.now() + 600
        let paused = try await live.send(.POST, HallRoutes.pauseService.path("hukou"), token: TestHallConfig.adminToken,
                                         json: ServicePauseRequest(reason: "系统维护", until: until))
        XCTAssertEqual(paused.status, 200, paused.text)
        let board = try await live.send(.GET, HallRoutes.hallBoard.path(), token: TestHallConfig.kioskToken).decode(HallBoard.self)
        let shown = try XCTUnwrap(board.queues.first { $0.service.id == "hukou" })
        assertEq(shown, BoardQueue(service: shown.service, waiting: 0, paused: true, pauseReason: "系统维护", pausedUntil: until))
        assertEq(board.queues.first { $0.service.id == "social" }?.paused, nil)

        let stream = try await SSEReader.open(live, path: HallRoutes.hallCallEvents.path(), token: TestHallConfig.kioskToken)
        _ = try await stream.next(timeout: .seconds(2))  // the greeting
        let beat = try await stream.next(timeout: .seconds(2))  // sent after the stream read what it shows
        assertEq(beat?.comments, ["heartbeat"])
        live.clock.advance(by: 600)
        // Nobody resumes, issues or calls: the stream says it reopened by itself within seconds.
        var reopened: BoardQueue?
        let start = ContinuousClock.now
        let deadline = start + .seconds(5)
        while ContinuousClock.now < deadline, let frame = try await stream.next(timeout: deadline - ContinuousClock.now) {
            guard frame.event == "queues", let data = frame.data else { continue }
            let hukou = try HallJSON.decoder().decode(HallQueuesUpdate.self, from: Data(data.utf8)).queues.first { $0.service.id == "hukou" }
            if hukou?.paused == nil { reopened = hukou; break }
        }
        XCTAssertEqual(reopened, BoardQueue(service: shown.service, waiting: 0), "the display heard the service reopen")
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(2), "at the next wake-up after the counts interval (1 s), not the 10-beat re-read")
    }

    func testAnotherInstanceSeesThePauseAndItsEnd() async throws {
        try XCTSkipUnless(LiveHall.usesPostgres, "several instances share a hall on PostgreSQL only (HALL_TEST_STORE=postgres)")
        let a = try await start()
        let b = try await LiveHall.start(folder: a.folder)
        do {
            try await pauseEndsOnEveryInstance(a, b)
        } catch {
            await b.stop()
            throw error
        }
        await b.stop()
    }

    private func pauseEndsOnEveryInstance(_ a: LiveHall, _ b: LiveHall) async throws {
        let until = a.clock.now() + 300
        let paused = try await a.send(.POST, HallRoutes.pauseService.path("hukou"), token: TestHallConfig.adminToken,
                                      json: ServicePauseRequest(reason: "系统维护", until: until))
        XCTAssertEqual(paused.status, 200, paused.text)
        let seen = try await hukou(b)
        assertEq(seen.state, .paused)
        assertEq(seen.pauseReason, "系统维护")
        assertEq(seen.pausedUntil, until)
        assertEq(try await b.issue("hukou").errorCode, APIErrorCode.servicePaused)
        // Time passes on both; nobody calls anything on either instance.
        a.clock.advance(by: 300)
        b.clock.advance(by: 300)
        assertEq(try await hukou(b).state, .open)
        _ = try await b.issueTicket("hukou")
        assertEq(try await hukou(a).state, .open)
    }

    private func hukou(_ live: LiveHall) async throws -> ServiceStatus {
        let hall = try await live.send(.GET, HallRoutes.hall.path(), token: TestHallConfig.kioskToken).decode(HallStatus.self)
        return try XCTUnwrap(hall.services.first { $0.id == "hukou" })
    }
}
