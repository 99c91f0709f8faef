import Foundation
import GRDB
import HallAPI
@testable import KioskOutbox
import XCTest

/// The outbox store on real SQLite files: durability settings, idempotent stores, refusals, full disks.
final class OutboxStoreTests: XCTestCase {
    func testStoreIsDurableWALWithFullSyncAndSurvivesReopening() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("outbox.sqlite").path

        // Given a new outbox
        var outbox: RatingOutbox? = try RatingOutbox(path: path)
        XCTAssertEqual(try outbox!.journalMode(), "wal")
        XCTAssertEqual(try outbox!.synchronousMode(), 2, "synchronous=FULL re-applied after DatabasePool set NORMAL")

        // When three ratings are stored and the outbox is closed
        let ratings = (1...3).map { Demo.rating("ticket-\($0)") }
        for r in ratings {
            let stored = try outbox!.store(r)
            XCTAssertFalse(stored.wasAlreadyStored)
        }
        outbox = nil

        // Then a fresh process (a new instance on the file) finds them pending, unchanged
        let reopened = try RatingOutbox(path: path)
        XCTAssertEqual(try reopened.counts().pending, 3)
        let pending = try reopened.entries(in: [.pending])
        XCTAssertEqual(pending.map(\.ratingId), ratings.map(\.ratingId))
        XCTAssertEqual(pending[0].submission.ticketId, "ticket-1")
        XCTAssertEqual(pending[0].submission.level, "satisfied")
        XCTAssertEqual(pending[0].attempts, 0)
        // And another reader sees the committed rows straight from the file
        let raw = try DatabaseQueue(path: path)
        XCTAssertEqual(try raw.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM rating WHERE state = 'pending'") }, 3)
    }

    func testTheSameRatingTwiceIsStoredOnceAndAReusedIdIsRefused() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outbox = try RatingOutbox(path: folder.appendingPathComponent("o.sqlite").path)
        let r = Demo.rating("t-1", .verySatisfied)

        XCTAssertFalse(try outbox.store(r).wasAlreadyStored)
        XCTAssertTrue(try outbox.store(r).wasAlreadyStored, "a double tap stores nothing new")
        XCTAssertEqual(try outbox.counts().pending, 1)

        var other = r
        other.level = RatingLevel.satisfied.rawValue
        XCTAssertThrowsError(try outbox.store(other)) { error in
            let e = error as! OutboxError
            XCTAssertEqual(e.kind, .invalidRating)
            XCTAssertFalse(e.blocksNewRatings)
            XCTAssertTrue(e.description.contains(r.ratingId), e.description)
        }
        XCTAssertEqual(try outbox.entry(ratingId: r.ratingId)?.submission.level, "verySatisfied")
    }

    func testRatingsTheServerWouldRefuseAreRefusedAtOnce() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outbox = try RatingOutbox(path: folder.appendingPathComponent("o.sqlite").path)
        let cases: [(RatingSubmission, String)] = [
            (Demo.rating("t", .dissatisfied), "at least one reason"),
            (Demo.rating("t", .veryDissatisfied, id: "short"), "UUID"),
            ({ var r = Demo.rating("t"); r.level = "great"; return r }(), "unknown level 'great'"),
            ({ var r = Demo.rating("t", .dissatisfied, reasons: [.attitude]); r.reasons.append("rude"); return r }(), "unknown reason 'rude'"),
            ({ var r = Demo.rating("t"); r.ticketId = nil; return r }(), "needs ticketId"),
        ]
        for (rating, expected) in cases {
            XCTAssertThrowsError(try outbox.store(rating), expected) { error in
                XCTAssertEqual((error as? OutboxError)?.kind, .invalidRating)
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
            }
        }
        // A systemDefault 差评 (the hall's timeout rule) needs no reason; a 差评 with a reason is fine.
        XCTAssertNoThrow(try outbox.store(RatingSubmission(ratingId: UUID().uuidString, ticketId: "t2", channel: .windowDevice,
                                                           level: .dissatisfied, source: .systemDefault)))
        XCTAssertNoThrow(try outbox.store(Demo.rating("t3", .veryDissatisfied, reasons: [.attitude, .efficiency])))
        XCTAssertEqual(try outbox.counts().pending, 2)
    }

    func testAFullDiskIsAClearErrorAndKeepsWhatWasStored() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outbox = try RatingOutbox(path: folder.appendingPathComponent("o.sqlite").path)
        try outbox.store(Demo.rating("before"))
        // SQLite's page limit makes the database "full" exactly as a full file system does (SQLITE_FULL).
        let pages = try outbox.pool.writeWithoutTransaction { db -> Int in
            let count = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(count)")
            return count
        }
        XCTAssertGreaterThan(pages, 0)
        var failure: OutboxError?
        for i in 0..<200 {
            do {
                try outbox.store(Demo.rating("fill-\(i)", .dissatisfied, reasons: [.other]))
            } catch {
                failure = error
                break
            }
        }
        let e = try XCTUnwrap(failure, "the page limit was never hit")
        XCTAssertEqual(e.kind, .diskFull)
        XCTAssertTrue(e.blocksNewRatings)
        XCTAssertTrue(e.description.contains("disk is full") && e.description.contains("o.sqlite"), e.description)
        XCTAssertEqual(try outbox.entries(in: [.pending]).first?.submission.ticketId, "before")
    }

    func testAnUnwritablePlaceIsAClearErrorNamingTheFix() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("no/such/folder/outbox.sqlite").path
        XCTAssertThrowsError(try RatingOutbox(path: missing)) { error in
            let e = error as! OutboxError
            XCTAssertEqual(e.kind, .unwritable)
            XCTAssertTrue(e.description.contains("does not exist") && e.description.contains("outbox.path"), e.description)
        }
        // A folder where the file should be (SQLITE_CANTOPEN).
        let clash = folder.appendingPathComponent("clash.sqlite")
        try FileManager.default.createDirectory(at: clash, withIntermediateDirectories: true)
        XCTAssertThrowsError(try RatingOutbox(path: clash.path)) { error in
            XCTAssertEqual((error as? OutboxError)?.kind, .unwritable, "\(error)")
        }
        // A file that is not a database.
        let junk = folder.appendingPathComponent("junk.sqlite")
        try Data(repeating: 0x41, count: 8192).write(to: junk)
        XCTAssertThrowsError(try RatingOutbox(path: junk.path)) { error in
            XCTAssertEqual((error as? OutboxError)?.kind, .corrupt, "\(error)")
            XCTAssertTrue("\(error)".contains("move it aside"), "\(error)")
        }
    }
}
