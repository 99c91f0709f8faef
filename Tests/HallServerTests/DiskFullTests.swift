import Foundation
import Glibc
import GRDB
import HallAPI
@testable import HallServer
import XCTest

/// Issue 16 item 10: a full disk answers 503 `diskFull` with `Retry-After`, shows in `/healthz` and
/// `/metrics`, is logged once, and the server recovers by itself when space returns. The database sits
/// on a real, small tmpfs that the test fills up (needs root to mount; skipped otherwise).
final class DiskFullTests: XCTestCase {
    var live: LiveHall!
    var mountPoint: URL?

    override func tearDown() async throws {
        await live?.stop()
        live = nil
        if let mountPoint {
            _ = Self.run("/bin/umount", [mountPoint.path])
            try? FileManager.default.removeItem(at: mountPoint)
        }
    }

    func testAFullDiskAnswers503IsLoggedOnceAndRecoversWhenSpaceReturns() async throws {
        let folder = try mountSmallDisk(megabytes: 8)
        let log = LogLines()
        live = try await LiveHall.start(folder: folder, logger: log.logger(), logLevel: .info)
        let reserve = live.databasePath + "-reserve"
        XCTAssertTrue(FileManager.default.fileExists(atPath: reserve), "a reserve file is kept beside the database")
        let first = try await live.issueTicket("bulk")

        // The disk fills up (another program's log, say).
        let filler = folder.appendingPathComponent("filler")
        Self.fill(filler.path)
        var issuedWhileFilling = 0
        var refused: LiveHall.Reply?
        for _ in 0..<5000 {
            let r = try await live.issue("bulk")
            guard r.status == 201 else {
                refused = r
                break
            }
            issuedWhileFilling += 1
        }
        XCTAssertEqual(refused?.status, 503, refused?.text ?? "no write was refused on a full disk")
        XCTAssertEqual(refused?.errorCode, APIErrorCode.diskFull)
        XCTAssertEqual(refused?.headers.first(name: "Retry-After"), "1")
        XCTAssertTrue(refused?.text.contains("disk is full") == true, refused?.text ?? "")
        for _ in 0..<20 {
            let again = try await live.issue("bulk")
            XCTAssertEqual(again.status, 503)
            XCTAssertEqual(again.errorCode, APIErrorCode.diskFull)
        }
        let health = try await live.send(.GET, "/healthz")
        XCTAssertEqual(health.status, 503)
        let status = try health.decode(HealthStatus.self)
        XCTAssertEqual(status.status, "degraded")
        XCTAssertTrue(status.database.hasPrefix("disk full"), status.database)
        let metrics = try await live.send(.GET, "/metrics").text
        XCTAssertTrue(metrics.contains("\nhall_disk_full 1"), metrics)
        XCTAssertTrue(metrics.contains("\nhall_disk_full_refused_writes 21"), metrics)
        XCTAssertEqual(log.matching("disk is full").count, 1, "one clear line, not one per request")
        let awaited1 = try await live.send(.GET, "/api/v1/tickets/\(first.token)").status
        XCTAssertEqual(awaited1, 200, "reads go on")

        // Space returns: the server resumes by itself.
        try FileManager.default.removeItem(at: filler)
        let deadline = ContinuousClock.now + .seconds(10)
        while try await live.send(.GET, "/healthz").status != 200, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let awaited2 = try await live.send(.GET, "/healthz").decode(HealthStatus.self).status
        XCTAssertEqual(awaited2, "ok")
        let after = try await live.issueTicket("bulk")
        XCTAssertEqual(Int(after.number.dropFirst()), Int(first.number.dropFirst())! + issuedWhileFilling + 1,
                       "numbers stay gap-free across the full disk")
        let awaited3 = try await live.send(.GET, "/metrics").text.contains("\nhall_disk_full 0")
        XCTAssertTrue(awaited3)
        // The server takes writes again the moment it leaves the disk-full state and logs it just after.
        await log.waitFor("room again")
        XCTAssertEqual(log.matching("room again").count, 1)
        XCTAssertEqual(log.matching("disk is full").count, 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: reserve), "the reserve is made again")
    }

    /// The same without root: SQLite's own page limit (`max_page_count` on the writer) answers SQLITE_FULL.
    func testADatabaseAtItsPageLimitIsRefusedAsFullAndResumesWhenTheLimitIsRaised() async throws {
        let log = LogLines()
        live = try await LiveHall.start(logger: log.logger(), logLevel: .info)
        let first = try await live.issueTicket("bulk")
        try await live.desk.database.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        var issued = 0
        var refused: LiveHall.Reply?
        for _ in 0..<5000 {
            let r = try await live.issue("bulk")
            guard r.status == 201 else {
                refused = r
                break
            }
            issued += 1
        }
        XCTAssertEqual(refused?.status, 503, refused?.text ?? "no write was refused at the page limit")
        XCTAssertEqual(refused?.errorCode, APIErrorCode.diskFull)
        let degraded = try await live.send(.GET, "/healthz")
        XCTAssertEqual(degraded.status, 503)
        try await Task.sleep(for: .milliseconds(500))
        let stillFull = try await live.send(.GET, "/healthz").status
        XCTAssertEqual(stillFull, 503, "recovery probes keep failing while the database cannot grow")

        try await live.desk.database.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
        let deadline = ContinuousClock.now + .seconds(10)
        while try await live.send(.GET, "/healthz").status != 200, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let after = try await live.issueTicket("bulk")
        XCTAssertEqual(Int(after.number.dropFirst()), Int(first.number.dropFirst())! + issued + 1)
        // The server takes writes again the moment it leaves the disk-full state and logs it just after.
        await log.waitFor("room again")
        XCTAssertEqual(log.matching("disk is full").count, 1)
        XCTAssertEqual(log.matching("room again").count, 1)
    }

    /// A fresh tmpfs of `megabytes` MiB (root only: the test is skipped elsewhere).
    private func mountSmallDisk(megabytes: Int) throws -> URL {
        guard getuid() == 0 else { throw XCTSkip("mounting a small tmpfs needs root") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hallserver-fulldisk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", dir.path]) == 0 else {
            try? FileManager.default.removeItem(at: dir)
            throw XCTSkip("cannot mount a tmpfs here (no CAP_SYS_ADMIN)")
        }
        mountPoint = dir
        return dir
    }

    /// Writes `path` until the file system has no byte left.
    static func fill(_ path: String) {
        let fd = open(path, O_CREAT | O_WRONLY, 0o600)
        defer { close(fd) }
        for size in [1 << 20, 64 << 10, 4 << 10, 512] {
            let chunk = [UInt8](repeating: 0xAB, count: size)
            while chunk.withUnsafeBytes({ write(fd, $0.baseAddress, size) }) == size {}
        }
        fsync(fd)
    }

    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }
}
