import Foundation
import Glibc
import GRDB
import HallAPI
@testable import HallServer
import XCTest

/// Issue 16 item 6: a stream resumed from old history is replayed page by page (bounded memory), old
/// window events are pruned on a schedule, and a resume from before the oldest kept event gets `reset`.
final class WindowEventRetentionTests: XCTestCase {
    var live: LiveHall!

    override func tearDown() async throws {
        await live?.stop()
        live = nil
    }

    func testStreamsResumedFromZeroHoldOnePageNotTheWholeHistory() async throws {
        live = try await LiveHall.start()
        let events = 20_000
        try await live.desk.database.write { db in
            let staff = StaffSummary(id: "s1", name: String(repeating: "张", count: 300), employeeNo: "1001", photoUrl: nil)
            let ticket = EventTicket(id: UUID().uuidString, number: "A001",
                                     service: ServiceRef(id: "hukou", name: LocalizedText(zh: "户籍办理", en: "Household registration"), prefix: "A"),
                                     completedAt: nil)
            for i in 0..<events {
                _ = try WindowEventStore.append(db, type: i % 2 == 0 ? .ticketCalled : .ticketRecalled, windowId: "w1",
                                                at: TestHallConfig.monday(9), ticket: ticket, staff: staff)
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        let before = Self.residentBytes()
        // Slow clients (curl reading 2 KB/s, in their own processes) resume from the very beginning.
        let slow = try (0..<4).map { _ in try curlStream(rateLimit: "2k", output: "/dev/null") }
        defer { for p in slow where p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        try await Task.sleep(for: .seconds(3))
        let grown = Self.residentBytes() - before
        XCTAssertLessThan(grown, 64 << 20, "4 streams resumed from 0 over \(events) events grew the server's memory by \(grown >> 20) MiB")

        // A client that reads gets the whole history, in order, once.
        let file = live.folder.appendingPathComponent("stream.txt")
        let reader = try curlStream(rateLimit: nil, output: file.path)
        defer { if reader.isRunning { kill(reader.processIdentifier, SIGKILL) } }
        var ids: [Int64] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while ids.count < events, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            ids = text.split(separator: "\n").compactMap { $0.hasPrefix("id: ") ? Int64($0.dropFirst(4)) : nil }
        }
        XCTAssertEqual(ids.count, events)
        XCTAssertEqual(ids, ids.sorted())
        XCTAssertEqual(Set(ids).count, events)
    }

    /// `curl` following w1's events from id 0 (ends after `maxSeconds`).
    private func curlStream(rateLimit: String?, output: String, maxSeconds: Int = 60) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-sN", "--max-time", String(maxSeconds), "-o", output, "-H", "Authorization: Bearer \(TestHallConfig.ratingW1Token)",
                       "-H", "Last-Event-ID: 0"] + (rateLimit.map { ["--limit-rate", $0] } ?? []) + [live.baseURL + "/api/v1/windows/w1/events"]
        try p.run()
        return p
    }

    func testOldEventsArePrunedOnScheduleAndAResumeFromBeforeThemIsToldToReload() async throws {
        var maintenance = LiveHall.testMaintenance
        maintenance.sweepSeconds = 0.1
        maintenance.windowEventDays = 30
        live = try await LiveHall.start(maintenance: maintenance)
        let staff = try await live.login("w1")
        _ = try await live.completedTicket(staffToken: staff)
        let awaited15 = try await eventCount()
        XCTAssertEqual(awaited15, 3)

        live.clock.advance(by: 29 * 86400)
        try await Task.sleep(for: .milliseconds(400))
        let awaited16 = try await eventCount()
        XCTAssertEqual(awaited16, 3, "events younger than windowEventDays are kept")

        live.clock.advance(by: 2 * 86400)
        let deadline = ContinuousClock.now + .seconds(5)
        while try await eventCount() > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        let awaited17 = try await eventCount()
        XCTAssertEqual(awaited17, 0, "the scheduled sweep deletes events older than 30 days")
        let horizon = try await live.desk.database.read { db in try WindowEventStore.prunedThrough(db) }
        XCTAssertGreaterThanOrEqual(horizon, 3)

        let fresh = try await SSEReader.open(live, window: "w1", token: TestHallConfig.ratingW1Token)
        _ = try await live.login("w1")
        let freshFirst = try await fresh.nextEvent()
        XCTAssertEqual(freshFirst?.type, .staffLoggedIn, "a stream that resumes nothing gets no reset")
        let stream = try await SSEReader.open(live, window: "w1", token: TestHallConfig.ratingW1Token, lastEventId: "1")
        var reset: SSEReader.Frame?
        for _ in 0..<5 {
            guard let frame = try await stream.next() else { break }
            if frame.event != nil {
                reset = frame
                break
            }
        }
        XCTAssertEqual(reset?.event, "reset", "a resume from before the oldest kept event is told so first")
        XCTAssertEqual(reset?.id, String(horizon))
        let body = try HallJSON.decoder().decode(WindowEventsReset.self, from: Data((reset?.data ?? "").utf8))
        XCTAssertEqual(body.prunedThrough, horizon)
        let awaited18 = try await stream.nextEvent()?.type
        XCTAssertEqual(awaited18, .staffLoggedIn, "then the stream goes on with the kept events")

        // A client already past the horizon gets no reset; the polling fallback says the same.
        let page = try await live.send(.GET, "/api/v1/windows/w1/recent-events?after=0", token: TestHallConfig.ratingW1Token)
            .decode(WindowEventPage.self)
        XCTAssertEqual(page.prunedThrough, horizon)
        XCTAssertEqual(page.events.map(\.type), [.staffLoggedIn])
        let current = try await live.send(.GET, "/api/v1/windows/w1/recent-events?after=\(horizon)", token: TestHallConfig.ratingW1Token)
            .decode(WindowEventPage.self)
        XCTAssertNil(current.prunedThrough)
    }

    private func eventCount() async throws -> Int {
        try await live.desk.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM windowEvent") ?? -1 }
    }

    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
