import Foundation
import GRDB
import HallAPI
@testable import HallServer
import XCTest

/// `HallBackup` on the real database of a running server.
final class HallBackupTests: XCTestCase {
    var live: LiveHall!
    var folder: String!

    override func setUp() async throws {
        live = try await LiveHall.start()
        folder = live.folder.appendingPathComponent("backups").path
    }

    override func tearDown() async throws {
        await live.stop()
        try? FileManager.default.removeItem(at: live.folder)
    }

    func ticketCount(in path: String) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM ticket") ?? -1 }
    }

    func journalModeAndCheck(_ path: String) throws -> (String?, [String]) {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try String.fetchAll(db, sql: "PRAGMA integrity_check"))
        }
    }

    func testACopyHoldsEveryCommittedTicketIsCheckedAndSelfContained() async throws {
        // Given 12 tickets issued
        for _ in 1...12 { _ = try await live.issueTicket("bulk") }

        // When backing up
        let outcome = try HallBackup.run(databasePath: live.databasePath, folder: folder, keep: 3,
                                         now: Date(timeIntervalSince1970: 1_795_000_000))

        // Then the copy is named by the UTC time, holds the 12 tickets and is one file in rollback-journal mode
        XCTAssertEqual((outcome.path as NSString).lastPathComponent, "hallserver-20261118T110640Z.sqlite")
        XCTAssertEqual(try ticketCount(in: outcome.path), 12)
        XCTAssertGreaterThan(outcome.bytes, 0)
        let (mode, check) = try journalModeAndCheck(outcome.path)
        XCTAssertEqual(mode, "delete")
        XCTAssertEqual(check, ["ok"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasSuffix(".sqlite") }
        XCTAssertEqual(leftovers, [], "no -wal, -shm or .partial files next to the copies")
    }

    func testOnlyTheNewestCopiesAreKept() throws {
        let base = Date(timeIntervalSince1970: 1_795_000_000)
        var made: [String] = []
        for day in 0..<4 {
            made.append(try HallBackup.run(databasePath: live.databasePath, folder: folder, keep: 2,
                                           now: base.addingTimeInterval(Double(day) * 86400)).path)
        }
        XCTAssertEqual(HallBackup.copies(in: folder), [made[3], made[2]], "newest first, two kept")
        // Two in the same second get distinct names, and the later one counts as newer.
        let again = try HallBackup.run(databasePath: live.databasePath, folder: folder, keep: 2, now: base.addingTimeInterval(3 * 86400))
        XCTAssertTrue(again.path.hasSuffix("-2.sqlite"), again.path)
        XCTAssertEqual(again.removed, [made[2]])
        XCTAssertEqual(Set(HallBackup.copies(in: folder)), [made[3], again.path])
    }

    func testTheServerKeepsIssuingWhileBackupsRun() async throws {
        for _ in 1...20 { _ = try await live.issueTicket("bulk") }
        let databasePath = live.databasePath
        let folder = self.folder!
        // Backups in a loop on another thread while 32 kiosks' worth of tickets are issued.
        let backups = Task.detached { () -> [String] in
            var paths: [String] = []
            for i in 0..<6 {
                paths.append(try HallBackup.run(databasePath: databasePath, folder: folder, keep: 10,
                                                now: Date(timeIntervalSince1970: 1_795_000_000 + Double(i))).path)
            }
            return paths
        }
        let live = self.live!
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<120 { group.addTask { try await live.issue("bulk").status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        let paths = try await backups.value
        XCTAssertEqual(statuses.filter { $0 != 201 }, [], "every ticket issued during the backups")
        XCTAssertEqual(paths.count, 6)
        for path in paths {
            let count = try ticketCount(in: path)
            XCTAssertTrue((20...140).contains(count), "a consistent snapshot between 20 and 140 tickets, got \(count)")
        }
        XCTAssertEqual(try ticketCount(in: live.databasePath), 140)
    }

    func testFailuresSayWhatAndWhere() throws {
        XCTAssertThrowsError(try HallBackup.run(databasePath: live.folder.appendingPathComponent("nope.sqlite").path,
                                                folder: folder, keep: 3)) { error in
            XCTAssertTrue("\(error)".contains("no database at"), "\(error)")
            XCTAssertTrue("\(error)".contains("check --db"), "\(error)")
        }
        let blocked = live.folder.appendingPathComponent("a-file").path
        FileManager.default.createFile(atPath: blocked, contents: Data("x".utf8))
        XCTAssertThrowsError(try HallBackup.run(databasePath: live.databasePath, folder: blocked + "/backups", keep: 3)) { error in
            XCTAssertTrue("\(error)".contains("cannot create the backup folder"), "\(error)")
            XCTAssertTrue("\(error)".contains("ReadWritePaths="), "\(error)")
        }
        let notADatabase = live.folder.appendingPathComponent("text.sqlite").path
        try String(repeating: "not a database ", count: 500).write(toFile: notADatabase, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try HallBackup.run(databasePath: notADatabase, folder: folder, keep: 3)) { error in
            XCTAssertTrue("\(error)".contains("backup of '\(notADatabase)'"), "\(error)")
        }
        XCTAssertEqual(HallBackup.copies(in: folder), [], "no copy left from failed runs")
    }

    func testBackupSettingsDefaultsAndValidation() throws {
        XCTAssertEqual(try BackupSettings().validated().folder, "/var/lib/hallserver/backups")
        XCTAssertEqual(try BackupSettings().validated().keep, 14)
        XCTAssertEqual(try BackupSettings(folder: "/mnt/usb", keep: 30).validated().keep, 30)
        XCTAssertThrowsError(try BackupSettings(folder: "relative/path").validated())
        XCTAssertThrowsError(try BackupSettings(keep: 0).validated())
    }

    /// A backup folder outside the service's state folder needs a systemd drop-in; check-config says which one.
    func testAFolderOutsideTheStateFolderNeedsReadWritePaths() {
        XCTAssertNil(BackupSettings().serviceWriteAccessAdvice)
        XCTAssertNil(BackupSettings(folder: "/var/lib/hallserver/backups/../nightly").serviceWriteAccessAdvice)
        let advice = BackupSettings(folder: "/mnt/hall-backup/").serviceWriteAccessAdvice ?? ""
        XCTAssertTrue(advice.contains("systemctl edit hallserver-backup") && advice.contains("ReadWritePaths=/mnt/hall-backup"), advice)
        XCTAssertNotNil(BackupSettings(folder: "/var/lib/hallserver-old").serviceWriteAccessAdvice, "a look-alike prefix is outside")
    }
}
