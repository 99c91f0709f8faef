import Foundation
import HallAPI
import HallTestSupport
@testable import KioskApp
import KioskCore
import KioskHTTP
@testable import KioskOutbox
import KioskSDL
import Logging
import XCTest

/// The outbox's disk fills up while the device runs (issue 6: "refuse new ratings with a message instead of losing
/// them silently"): the screens are told at once, and told again when a real write succeeds.
final class RatingStorageTests: XCTestCase {
    func testAFullDiskStopsRatingsUntilAWriteSucceedsAgain() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rating-storage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try KioskProcess.writeConfig(in: folder, serverURL: "http://127.0.0.1:9",
                                                  extra: "[rating]\noutboxPath = \"outbox.sqlite\"")
        let settings = try KioskSettings.load(path: config)
        let client = try HallClient(configuration: HallClientConfiguration(baseURL: settings.serverURL, deviceId: settings.deviceId,
                                                                           deviceToken: settings.deviceToken))
        defer { Task { await client.shutdown() } }
        let ratings = RatingServices(settings: settings, client: client, logger: Logger(label: "test"), probeSeconds: 0.2)
        defer { ratings.stop() }
        let outbox = try XCTUnwrap(ratings.outbox)
        XCTAssertEqual(outbox.path, folder.appendingPathComponent("outbox.sqlite").standardizedFileURL.path,
                       "a relative outboxPath is beside the config")
        XCTAssertNil(ratings.storageProblem)

        // SQLite's page limit makes the file "full" exactly as a full file system does (SQLITE_FULL).
        try outbox.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        let inbox = EventInbox()
        var events: [KioskEvent] = []
        func waitFor(_ what: String, _ condition: ([KioskEvent]) -> Bool) {
            let deadline = Date().addingTimeInterval(10)
            while !condition(events), Date() < deadline {
                events += inbox.drain()
                Thread.sleep(forTimeInterval: 0.02)
            }
            XCTAssertTrue(condition(events), "\(what); events: \(events)")
        }
        var index = 0
        func rate() {
            index += 1
            ratings.perform(.storeRating(RatingSubmission(ratingId: UUID().uuidString, ticketId: "t-\(index)", channel: .kiosk,
                                                          level: .veryDissatisfied, reasons: [.attitude, .efficiency],
                                                          source: .active)),
                            inbox: inbox, images: ImageStore())
        }
        // The page limit leaves room for a few ratings at most; the first that does not fit stops ratings.
        for _ in 0..<200 where !events.contains(where: { if case .ratingStorageChanged(.some) = $0 { true } else { false } }) {
            rate()
            waitFor("an answer to the rating") { evts in
                evts.contains { if case .ratingStoreFailed = $0 { true } else { false } }
                    || evts.filter { if case .ratingStored = $0 { true } else { false } }.count == index
            }
        }
        let problem = try XCTUnwrap(ratings.storageProblem, "a full disk blocks ratings")
        XCTAssertTrue(problem.contains("the disk is full") && problem.contains("outbox.sqlite"), problem)
        XCTAssertTrue(events.contains(.ratingStorageChanged(problem: problem)))

        // Still full: the probe keeps failing and the problem stays; nothing is announced twice.
        Thread.sleep(forTimeInterval: 0.6)
        events += inbox.drain()
        XCTAssertNotNil(ratings.storageProblem)
        XCTAssertEqual(events.filter { $0 == .ratingStorageChanged(problem: nil) }.count, 0)

        // Space again: the probe's real write succeeds and ratings are offered again.
        try outbox.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
        waitFor("ratings offered again") { $0.contains(.ratingStorageChanged(problem: nil)) }
        XCTAssertNil(ratings.storageProblem)
        let before = try outbox.counts().pending
        func storedCount(_ list: [KioskEvent]) -> Int { list.filter { if case .ratingStored = $0 { true } else { false } }.count }
        let storedBefore = storedCount(events)
        rate()
        waitFor("the next rating stored") { storedCount($0) == storedBefore + 1 }
        XCTAssertEqual(try outbox.counts().pending, before + 1)
    }
}
