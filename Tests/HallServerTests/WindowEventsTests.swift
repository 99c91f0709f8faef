import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// Server-sent window events: what a rating device follows.
final class WindowEventsTests: XCTestCase {
    var live: LiveHall!

    override func setUp() async throws {
        live = try await LiveHall.start(sseHeartbeat: 0.3)
    }

    override func tearDown() async throws {
        await live.stop()
    }

    func testRatingDeviceSeesCallAndCompletionWithinASecond() async throws {
        let stream = try await SSEReader.open(live, window: "w1", token: TestHallConfig.ratingW1Token)
        XCTAssertEqual(stream.status, 200)
        let staff = try await live.login("w1")
        let t = try await live.issueTicket("hukou")
        _ = try await live.act("w1", "call-next", staffToken: staff)
        let login = try await stream.nextEvent()
        XCTAssertEqual(login?.type, .staffLoggedIn)
        XCTAssertEqual(login?.staff?.employeeNo, "1001")
        let called = try await stream.nextEvent()
        XCTAssertEqual(called?.type, .ticketCalled)
        XCTAssertEqual(called?.ticket?.number, t.number)
        let start = ContinuousClock.now
        _ = try await live.act("w1", "complete", staffToken: staff)
        let completed = try await stream.nextEvent(timeout: .seconds(1))
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(1))
        XCTAssertEqual(completed?.type, .serviceCompleted)
        XCTAssertEqual(completed?.ticket?.id, t.id)
        XCTAssertNotNil(completed?.ticket?.completedAt)
        XCTAssertEqual(completed?.staff?.name, "张敏")
        XCTAssertEqual(completed?.windowId, "w1")
        XCTAssertLessThan(login!.id, called!.id)
        XCTAssertLessThan(called!.id, completed!.id)
    }

    func testResumeWithLastEventIdReplaysWhatWasMissed() async throws {
        let staff = try await live.login("w1")
        let first = try await SSEReader.open(live, window: "w1", token: TestHallConfig.ratingW1Token, lastEventId: "0")
        let login = try await first.nextEvent()
        XCTAssertEqual(login?.type, .staffLoggedIn)
        // While "disconnected", two more events happen.
        _ = try await live.issueTicket("hukou")
        _ = try await live.act("w1", "call-next", staffToken: staff)
        _ = try await live.act("w1", "complete", staffToken: staff)
        let resumed = try await SSEReader.open(live, window: "w1", token: TestHallConfig.ratingW1Token, lastEventId: String(login!.id))
        let types = [try await resumed.nextEvent()?.type, try await resumed.nextEvent()?.type]
        XCTAssertEqual(types, [.ticketCalled, .serviceCompleted])
        // Events of other windows never appear.
        let s2 = try await live.login("w2", employeeNo: "1002")
        _ = try await live.send(.POST, "/api/v1/windows/w2/logout", token: s2)
        assertNone(try await resumed.nextEvent(timeout: .milliseconds(500)))
    }

    func testHeartbeatCommentsKeepTheConnectionHonest() async throws {
        let stream = try await SSEReader.open(live, window: "w1", token: TestHallConfig.ratingW1Token)
        var sawHeartbeat = false
        for _ in 0..<5 {
            if let frame = try await stream.next(timeout: .seconds(2)), frame.comments.contains("heartbeat") {
                sawHeartbeat = true
                break
            }
        }
        XCTAssertTrue(sawHeartbeat)
    }

    func testOnlyTheWindowsOwnDevicesStaffOrAdminMayListen() async throws {
        assertEq(try await live.send(.GET, "/api/v1/windows/w2/events", token: TestHallConfig.ratingW1Token).status, 403)
        assertEq(try await live.send(.GET, "/api/v1/windows/w1/events", token: TestHallConfig.kioskToken).status, 403)
        assertEq(try await live.send(.GET, "/api/v1/windows/w1/events").status, 401)
        assertEq(try await live.send(.GET, "/api/v1/windows/w9/events", token: TestHallConfig.adminToken).status, 404)
        assertEq(try await live.send(.GET, "/api/v1/windows/w1/events", token: TestHallConfig.adminToken,
                                     headers: [("Last-Event-ID", "abc")]).status, 400)
        let staff = try await live.login("w1")
        let own = try await SSEReader.open(live, window: "w1", token: staff)
        XCTAssertEqual(own.status, 200)
    }

    /// A staff console's stream lasts as long as the staff session: after the logout event it ends, and the
    /// token cannot open it again; the window's rating device goes on hearing events.
    func testAStaffStreamEndsWithTheStaffSession() async throws {
        let staff = try await live.login("w1")
        let own = try await SSEReader.open(live, window: "w1", token: staff)
        let device = try await SSEReader.open(live, window: "w1", token: TestHallConfig.ratingW1Token)
        XCTAssertEqual(own.status, 200)
        _ = try await live.send(.POST, "/api/v1/windows/w1/logout", token: staff)
        var types: [String] = []
        let deadline = ContinuousClock.now + .seconds(5)  // heartbeats come every 0.3 s while a stream lives
        while !own.ended, ContinuousClock.now < deadline, let frame = try await own.next(timeout: .seconds(3)) {
            if let event = frame.event { types.append(event) }
        }
        XCTAssertTrue(own.ended, "the logged-out staff member's stream ended")
        XCTAssertEqual(types, ["staffLoggedOut"], "the logout itself is the last event it carries")
        assertEq(try await live.send(.GET, "/api/v1/windows/w1/events", token: staff).status, 401)
        let logout = try await device.nextEvent()
        XCTAssertEqual(logout?.type, .staffLoggedOut)
        let next = try await live.login("w1")
        let login = try await device.nextEvent()
        XCTAssertEqual(login?.type, .staffLoggedIn, "the device's stream goes on")
        XCTAssertFalse(device.ended)
        // A login of someone else at the window also ends the earlier session's stream.
        let replaced = try await SSEReader.open(live, window: "w1", token: next)
        _ = try await live.login("w1", employeeNo: "1002", takeover: true)
        let until = ContinuousClock.now + .seconds(5)
        while !replaced.ended, ContinuousClock.now < until, try await replaced.next(timeout: .seconds(3)) != nil {}
        XCTAssertTrue(replaced.ended, "the replaced session's stream ended")
    }

    func testStreamsEndOnGracefulShutdown() async throws {
        let stream = try await SSEReader.open(live, window: "w1", token: TestHallConfig.ratingW1Token)
        XCTAssertEqual(stream.status, 200)
        let start = ContinuousClock.now
        await live.stop()
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(5), "an open event stream does not hold up shutdown")
    }
}
