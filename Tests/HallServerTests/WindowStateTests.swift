import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// `GET /api/v1/windows/{id}` (the rating device's idle screen) and `recent-events` (polling fallback).
final class WindowStateTests: XCTestCase {
    func state(_ live: LiveHall, _ window: String = "w1", token: String = TestHallConfig.ratingW1Token) async throws -> LiveHall.Reply {
        try await live.send(.GET, "/api/v1/windows/\(window)", token: token)
    }

    func rate(_ live: LiveHall, _ ticket: IssuedTicket, _ level: RatingLevel, source: RatingSource = .active) async throws {
        let s = RatingSubmission(ratingId: UUID().uuidString, ticketId: ticket.id, channel: .windowDevice, deviceId: "rating-w1",
                                 level: level, reasons: level.isBad ? [.attitude] : [], source: source)
        let r = try await live.send(.POST, "/api/v1/ratings", token: TestHallConfig.ratingW1Token,
                                    headers: [("Idempotency-Key", s.ratingId)], json: s)
        XCTAssertEqual(r.status, 201, r.text)
    }

    func testClosedThenStaffedWithTheTicketServedAndNoFigureUnlessEnabled() async throws {
        let live = try await LiveHall.start()
        defer { Task { await live.stop() } }
        // Nobody logged in: the window is closed.
        let closed = try await state(live).decode(WindowState.self)
        XCTAssertFalse(closed.window.isOpen)
        XCTAssertNil(closed.window.staff)
        XCTAssertNil(closed.staffSatisfaction)
        XCTAssertEqual(closed.window.name.zh, "1号窗口")
        XCTAssertEqual(closed.serverTime, live.clock.now())

        let staff = try await live.login("w1")
        let t = try await live.issueTicket("hukou")
        _ = try await live.act("w1", "call-next", staffToken: staff)
        let open = try await state(live).decode(WindowState.self)
        XCTAssertTrue(open.window.isOpen)
        XCTAssertEqual(open.window.staff?.id, "s1")
        XCTAssertEqual(open.window.staff?.employeeNo, "1001")
        XCTAssertEqual(open.window.currentTicketNumber, t.number)
        XCTAssertNil(open.staffSatisfaction, "the hall does not show the figure unless it says so")
        // lastEventId is the newest event: the stream from there starts with the next one.
        let page = try await live.send(.GET, "/api/v1/windows/w1/recent-events?after=\(open.lastEventId)", token: staff)
            .decode(WindowEventPage.self)
        XCTAssertEqual(page.events, [])
        _ = try await live.act("w1", "complete", staffToken: staff)
        let next = try await live.send(.GET, "/api/v1/windows/w1/recent-events?after=\(open.lastEventId)", token: staff)
            .decode(WindowEventPage.self)
        XCTAssertEqual(next.events.map(\.type), [.serviceCompleted])
        XCTAssertEqual(next.events.first?.ticket?.id, t.id)
        let after = try await state(live).decode(WindowState.self)
        XCTAssertNil(after.window.currentTicketNumber)
        XCTAssertEqual(after.lastEventId, next.lastEventId)
    }

    /// The rating device learns of a break (暂停服务) from the window's state and events, with the clerk's words.
    func testABreakAndItsReasonReachTheRatingDevice() async throws {
        let live = try await LiveHall.start()
        defer { Task { await live.stop() } }
        let clerk = try await ConsoleClient.signIn(live)
        let before = try await state(live).decode(WindowState.self)
        XCTAssertNil(before.window.breakReason)
        _ = try await clerk.act("break", [("reason", "午休"), ("reasonText", "午休 · 13:30 回来")])
        let paused = try await state(live).decode(WindowState.self)
        XCTAssertTrue(paused.window.isOpen, "the session stays")
        XCTAssertEqual(paused.window.breakReason, "午休 · 13:30 回来")
        let events = try await live.send(.GET, "/api/v1/windows/w1/recent-events?after=\(before.lastEventId)",
                                         token: TestHallConfig.ratingW1Token).decode(WindowEventPage.self)
        XCTAssertEqual(events.events.map(\.type), [.windowPaused])
        XCTAssertEqual(events.events.first?.breakReason, "午休 · 13:30 回来")
        XCTAssertEqual(events.events.first?.staff?.employeeNo, "1001")
        _ = try await clerk.act("resume")
        let back = try await state(live).decode(WindowState.self)
        XCTAssertNil(back.window.breakReason)
        let resumed = try await live.send(.GET, "/api/v1/windows/w1/recent-events?after=\(events.lastEventId)",
                                          token: TestHallConfig.ratingW1Token).decode(WindowEventPage.self)
        XCTAssertEqual(resumed.events.map(\.type), [.windowResumed])
    }

    func testStaffSatisfactionCountsActiveRatingsOfTheLastDays() async throws {
        let toml = TestHallConfig.toml().replacingOccurrences(of: "[[services]]\nid = \"hukou\"",
                                                              with: "[ratings]\nshowStaffSatisfaction = true\nstaffSatisfactionDays = 30\n\n[[services]]\nid = \"hukou\"")
        let live = try await LiveHall.start(toml: toml)
        defer { Task { await live.stop() } }
        let staff = try await live.login("w1")
        let none = try await state(live).decode(WindowState.self)
        XCTAssertEqual(none.staffSatisfaction, StaffSatisfaction(staffId: "s1", from: "2026-10-25", to: "2026-11-23", activeRatings: 0, goodRatings: 0))
        XCTAssertNil(none.staffSatisfaction?.goodRate, "no ratings yet is not 0 %")

        for level in [RatingLevel.verySatisfied, .basicallySatisfied, .dissatisfied] {
            try await rate(live, try await live.completedTicket(staffToken: staff), level)
        }
        // A systemDefault rating is counted apart, not in the figure.
        try await rate(live, try await live.completedTicket(staffToken: staff), .satisfied, source: .systemDefault)
        let rated = try await state(live).decode(WindowState.self)
        let figure = try XCTUnwrap(rated.staffSatisfaction)
        XCTAssertEqual(figure.activeRatings, 3)
        XCTAssertEqual(figure.goodRatings, 2)
        XCTAssertEqual(try XCTUnwrap(figure.goodRate), 2.0 / 3.0, accuracy: 1e-9)

        // 31 days later the old ratings have left the window.
        live.clock.advance(by: 31 * 86400)
        let later = try await live.login("w1")
        XCTAssertFalse(later.isEmpty)
        let aged = try await state(live).decode(WindowState.self)
        XCTAssertEqual(aged.staffSatisfaction?.activeRatings, 0)
    }

    func testOnlyThisWindowsDeviceStaffOrAdminMayRead() async throws {
        let live = try await LiveHall.start()
        defer { Task { await live.stop() } }
        let staffW2 = try await live.login("w2", employeeNo: "1002")
        let staffW1 = try await live.login("w1")
        for path in ["/api/v1/windows/w1", "/api/v1/windows/w1/recent-events"] {
            let device = try await live.send(.GET, path, token: TestHallConfig.ratingW1Token)
            XCTAssertEqual(device.status, 200, path)
            let ownStaff = try await live.send(.GET, path, token: staffW1)
            XCTAssertEqual(ownStaff.status, 200, path)
            let admin = try await live.send(.GET, path, token: TestHallConfig.adminToken)
            XCTAssertEqual(admin.status, 200, path)
            let kiosk = try await live.send(.GET, path, token: TestHallConfig.kioskToken)
            XCTAssertEqual(kiosk.status, 403, path)
            XCTAssertEqual(kiosk.errorCode, APIErrorCode.forbidden)
            let otherStaff = try await live.send(.GET, path, token: staffW2)
            XCTAssertEqual(otherStaff.status, 403, path)
            let anonymous = try await live.send(.GET, path)
            XCTAssertEqual(anonymous.status, 401, path)
        }
        let unknown = try await live.send(.GET, "/api/v1/windows/w9", token: TestHallConfig.adminToken)
        XCTAssertEqual(unknown.status, 404)
        XCTAssertEqual(unknown.errorCode, APIErrorCode.unknownWindow)
    }

    func testRecentEventsPagesInOrder() async throws {
        let live = try await LiveHall.start()
        defer { Task { await live.stop() } }
        let start = try await live.send(.GET, "/api/v1/windows/w1/recent-events", token: TestHallConfig.ratingW1Token)
            .decode(WindowEventPage.self)
        XCTAssertEqual(start.events, [], "without after: nothing, and where to start")
        let staff = try await live.login("w1")  // staffLoggedIn
        for _ in 0..<3 { _ = try await live.completedTicket(staffToken: staff) }  // 3 × (called, completed)
        var seen: [WindowEvent] = []
        var after = start.lastEventId
        var pages = 0
        while true {
            let page = try await live.send(.GET, "/api/v1/windows/w1/recent-events?after=\(after)&limit=2", token: staff)
                .decode(WindowEventPage.self)
            seen += page.events
            after = page.lastEventId
            pages += 1
            if !page.hasMore { break }
        }
        XCTAssertEqual(seen.map(\.type), [.staffLoggedIn, .ticketCalled, .serviceCompleted, .ticketCalled, .serviceCompleted,
                                          .ticketCalled, .serviceCompleted])
        XCTAssertEqual(seen.map(\.id), seen.map(\.id).sorted())
        XCTAssertEqual(Set(seen.map(\.id)).count, 7)
        XCTAssertEqual(pages, 4)
        for bad in ["after=-1", "after=x", "limit=0", "limit=501"] {
            let r = try await live.send(.GET, "/api/v1/windows/w1/recent-events?\(bad)", token: staff)
            XCTAssertEqual(r.status, 400, bad)
            XCTAssertTrue(r.text.contains("got '"), r.text)
        }
    }

    func testStaffSatisfactionDaysIsValidated() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("hall.toml").path
        let toml = TestHallConfig.toml().replacingOccurrences(of: "[[services]]\nid = \"hukou\"",
                                                              with: "[ratings]\nstaffSatisfactionDays = 0\n\n[[services]]\nid = \"hukou\"")
        try toml.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try HallConfig.load(from: path)) { error in
            XCTAssertTrue("\(error)".contains("ratings.staffSatisfactionDays: 0 is out of range 1…366"), "\(error)")
        }
        try toml.replacingOccurrences(of: "staffSatisfactionDays = 0", with: "showStaffSatisfaction = \"yes\"")
            .write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try HallConfig.load(from: path)) { error in
            XCTAssertTrue("\(error)".contains("showStaffSatisfaction"), "\(error)")
        }
    }
}
