import Foundation
import GRDB
import HallAPI
@testable import HallServer
import XCTest

/// Issue 16 item 7: tickets still waiting when their hall day ends are closed as `expired` (未办理) —
/// lazily on every read and by the maintenance sweep — while a hall open across midnight keeps its queue.
final class HallDayEndTests: XCTestCase {
    var live: LiveHall!

    override func tearDown() async throws {
        await live?.stop()
        live = nil
    }

    /// Tuesday 2026-11-24 at `hh:mm` Beijing time.
    static func tuesday(_ hour: Int, _ minute: Int = 0) -> Date { TestHallConfig.monday(hour, minute) + 86400 }

    func testAWaitingTicketReadsExpiredAfterItsHallDayEndedEvenBeforeTheSweep() async throws {
        live = try await LiveHall.start()
        let staff = try await live.login("w1")
        let served = try await live.completedTicket(staffToken: staff)
        let left = try await live.issueTicket("hukou")
        live.clock.set(Self.tuesday(0, 30))

        let byToken = try await live.send(.GET, "/api/v1/tickets/\(left.token)").decode(TicketProgress.self)
        XCTAssertEqual(byToken.status, .expired)
        XCTAssertNil(byToken.waitingAhead, "an expired ticket has nobody ahead")
        XCTAssertNil(byToken.estimatedWaitMinutes)
        // The kiosk's lookup by number finds yesterday's ticket after midnight and says it expired.
        let byNumber = try await live.send(.GET, "/api/v1/tickets?number=\(left.number)", token: TestHallConfig.kioskToken)
        XCTAssertEqual(byNumber.status, 200, byNumber.text)
        XCTAssertEqual(try byNumber.decode(TicketProgress.self).status, .expired)
        XCTAssertEqual(try byNumber.decode(TicketProgress.self).id, left.id)
        // A served ticket keeps its status.
        let awaited4 = try await live.send(.GET, "/api/v1/tickets/\(served.token)").decode(TicketProgress.self).status
        XCTAssertEqual(awaited4, .completed)
        // The phone page says so in both languages.
        let zh = try await live.send(.GET, "/t/\(left.token)")
        XCTAssertTrue(zh.text.contains("未办理"), zh.text)
        XCTAssertFalse(zh.text.contains("等候中"), "the phone page must not say waiting forever")
        let en = try await live.send(.GET, "/t/\(left.token)?lang=en")
        XCTAssertTrue(en.text.contains("Not served"), en.text)
        // Nothing was written yet: the read alone says expired.
        let stored = try await live.desk.database.read { db in try String.fetchOne(db, sql: "SELECT status FROM ticket WHERE id = ?", arguments: [left.id]) }
        XCTAssertEqual(stored, "waiting")
        // The report counts it as 未办理.
        let report = try await live.send(.GET, "/api/v1/reports/satisfaction?from=2026-11-23&by=service", token: TestHallConfig.adminToken)
            .decode(SatisfactionReport.self)
        XCTAssertEqual(report.total.expiredTickets, 1)
        XCTAssertEqual(report.groups.first { $0.key == "hukou" }?.expiredTickets, 1)
        let csv = try await live.send(.GET, "/api/v1/reports/satisfaction.csv?from=2026-11-23&by=service", token: TestHallConfig.adminToken)
        XCTAssertTrue(csv.text.contains("未办理 expired"), csv.text)
    }

    func testTheSweepClosesEndedDaysOnceAndLeavesTodayAlone() async throws {
        live = try await LiveHall.start()
        let monday = [try await live.issueTicket("hukou"), try await live.issueTicket("social")]
        live.clock.set(Self.tuesday(9))
        let today = try await live.issueTicket("hukou")

        let awaited5 = try await live.desk.expireEndedHallDays()
        XCTAssertEqual(awaited5, 2)
        let awaited6 = try await live.desk.expireEndedHallDays()
        XCTAssertEqual(awaited6, 0, "closing is idempotent")
        let rows = try await live.desk.database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, status, endedAt FROM ticket ORDER BY serial").map { ($0[0] as String, $0[1] as String, $0[2] as Date?) }
        }
        XCTAssertEqual(rows.map(\.1), ["expired", "expired", "waiting"])
        XCTAssertEqual(rows.map(\.0), monday.map(\.id) + [today.id])
        XCTAssertEqual(rows[0].2, Self.tuesday(9), "endedAt is when the sweep closed it")
        try await live.assertQueueCountsMatchTickets()
        let hall = try await live.hall()
        XCTAssertEqual(hall.services.first { $0.id == "hukou" }?.waitingCount, 1, "only today's ticket waits")
        // Staff calling today get today's ticket, never yesterday's.
        let staff = try await live.login("w1")
        let called = try await live.act("w1", "call-next", staffToken: staff).decode(WindowActionResult.self)
        XCTAssertEqual(called.ticket?.id, today.id)
        let metrics = try await live.send(.GET, "/metrics").text
        XCTAssertTrue(metrics.contains("hall_tickets_expired_total{service=\"hukou\"} 1"), metrics)
    }

    func testTheScheduledSweepRunsWithoutAnyRead() async throws {
        var maintenance = LiveHall.testMaintenance
        maintenance.sweepSeconds = 0.1
        live = try await LiveHall.start(maintenance: maintenance)
        let t = try await live.issueTicket("hukou")
        try await Task.sleep(for: .milliseconds(300))
        let awaited7 = try await status(of: t.id)
        XCTAssertEqual(awaited7, "waiting", "the sweep leaves an open hall day alone")
        live.clock.set(Self.tuesday(0, 1))
        let deadline = ContinuousClock.now + .seconds(5)
        while try await status(of: t.id) != "expired", ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let awaited8 = try await status(of: t.id)
        XCTAssertEqual(awaited8, "expired", "the background sweep closes the ended hall day")
    }

    func testAHallOpenAcrossMidnightKeepsServingItsQueue() async throws {
        // Open every evening until 02:00 the next morning.
        let night = TestHallConfig.toml().split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasPrefix("hours = { monday") ? #"hours = { everyDay = ["00:00-02:00", "18:00-24:00"] }"# : String($0)
        }.joined(separator: "\n")
        live = try await LiveHall.start(now: TestHallConfig.monday(23), toml: night)
        let first = try await live.issueTicket("hukou")
        let second = try await live.issueTicket("hukou")
        XCTAssertEqual(first.hallDay, "2026-11-23")

        live.clock.set(Self.tuesday(1, 0))
        let awaited9 = try await live.desk.expireEndedHallDays()
        XCTAssertEqual(awaited9, 0, "the hall day runs on past midnight")
        let progress = try await live.send(.GET, "/api/v1/tickets/\(second.token)").decode(TicketProgress.self)
        XCTAssertEqual(progress.status, .waiting)
        XCTAssertEqual(progress.waitingAhead, 1)
        let awaited10 = try await live.hall().services.first { $0.id == "hukou" }?.waitingCount
        XCTAssertEqual(awaited10, 2)
        let staff = try await live.login("w1")
        let called = try await live.act("w1", "call-next", staffToken: staff).decode(WindowActionResult.self)
        XCTAssertEqual(called.ticket?.id, first.id, "yesterday's queue is still served after midnight")
        XCTAssertEqual(called.waitingForWindow, 1)
        let board = try await live.hall()
        XCTAssertEqual(board.windows.first { $0.id == "w1" }?.currentTicketNumber, first.number, "kiosks see the call after midnight")
        let device = try await live.send(.GET, "/api/v1/windows/w1", token: TestHallConfig.ratingW1Token).decode(WindowState.self)
        XCTAssertEqual(device.window.currentTicketNumber, first.number, "the rating device sees it too")

        live.clock.set(Self.tuesday(2, 0))
        let awaited11 = try await live.send(.GET, "/api/v1/tickets/\(second.token)").decode(TicketProgress.self).status
        XCTAssertEqual(awaited11, .expired)
        let awaited12 = try await live.desk.expireEndedHallDays()
        XCTAssertEqual(awaited12, 1, "closed once the session past midnight ended")
        let awaited13 = try await status(of: first.id)
        XCTAssertEqual(awaited13, "called", "a called ticket is not expired")
    }

    private func status(of id: String) async throws -> String? {
        try await live.desk.database.read { db in try String.fetchOne(db, sql: "SELECT status FROM ticket WHERE id = ?", arguments: [id]) }
    }
}
