import Foundation
import HallAPI
import Logging

/// Keeps the hall server honest and recoverable when the disk under its database fills up.
///
/// - A write that fails with `SQLITE_FULL` (or an I/O error while the disk has no room) turns the
///   server *disk-full*: one error line in the log, `/healthz` degraded, the `hall_disk_full` gauge 1,
///   and every write answers 503 `diskFull` with `Retry-After` at once, without touching the disk.
/// - On entering that state the reserve file (`<database>-reserve`, made at start) is deleted and the
///   WAL checkpointed and truncated, so SQLite has room to fold its journal into the database.
/// - `recoverIfPossible()` (run by `HallMaintenance` every few seconds) leaves the state once the space
///   is back: the reserve can be made again and a probe write commits. One line says so.
final class DiskGuard: @unchecked Sendable {
    /// The reserve file kept beside the database.
    let reservePath: String
    let reserveBytes: Int
    let folder: String
    /// Seconds clients are told to wait (`Retry-After`).
    let retryAfterSeconds: Int
    private let logger: Logger
    private let lock = NSLock()
    private var fullReason: String?
    private var refusals = 0

    init(databasePath: String, reserveBytes: Int, retryAfterSeconds: Int, logger: Logger) {
        reservePath = databasePath + "-reserve"
        self.reserveBytes = reserveBytes
        folder = URL(fileURLWithPath: databasePath).deletingLastPathComponent().path
        self.retryAfterSeconds = retryAfterSeconds
        self.logger = logger
    }

    /// Why the server is disk-full now; nil when it is not.
    var reason: String? { lock.withLock { fullReason } }
    /// Writes refused because the disk was full, since start.
    var refusedWrites: Int { lock.withLock { refusals } }

    /// The 503 every write gets while the disk is full (counted as a refusal).
    func refusal() -> HallError {
        lock.withLock { refusals += 1 }
        return HallError(.diskFull,
                         "the hall server's disk is full, so nothing was saved; free space on \(folder) — the server resumes by itself",
                         retryAfterSeconds: retryAfterSeconds)
    }

    /// Enters the disk-full state (logging once, with `cause`: the storage engine's error in words) and frees the
    /// reserve. Returns true on the transition: the caller then checkpoints the WAL with the freed room.
    @discardableResult
    func enterFull(cause: String) -> Bool {
        let entered: Bool = lock.withLock {
            guard fullReason == nil else { return false }
            fullReason = "disk full: \(cause); free space on \(folder)"
            return true
        }
        guard entered else { return false }
        let hadReserve = FileManager.default.fileExists(atPath: reservePath)
        try? FileManager.default.removeItem(atPath: reservePath)
        logger.error("database disk is full: writes answer 503 diskFull until space is freed; free space on \(folder)",
                     metadata: ["error": "\(cause)", "reserve.released.bytes": "\(hadReserve ? reserveBytes : 0)",
                                "free.bytes": "\(Self.freeBytes(folder) ?? -1)"])
        return true
    }

    /// Leaves the disk-full state after a write committed (logging once).
    func leaveFull() {
        let was: String? = lock.withLock {
            defer { fullReason = nil }
            return fullReason
        }
        if was != nil {
            logger.notice("database disk has room again: writes resume", metadata: ["free.bytes": "\(Self.freeBytes(folder) ?? -1)"])
        }
    }

    /// Makes the reserve file if it is missing and the disk has room for it and as much again.
    /// - Returns: true when the reserve exists afterwards.
    @discardableResult
    func ensureReserve() -> Bool {
        if FileManager.default.fileExists(atPath: reservePath) { return true }
        guard reserveBytes > 0 else { return true }
        guard let free = Self.freeBytes(folder), free >= 2 * reserveBytes else { return false }
        let fd = open(reservePath, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // Real blocks (zeros written), not a sparse file: the room must exist when it is given back.
        let chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var left = reserveBytes
        while left > 0 {
            let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress, min(left, chunk.count)) }
            guard n > 0 else {
                unlink(reservePath)
                return false
            }
            left -= n
        }
        guard fsync(fd) == 0 else {
            unlink(reservePath)
            return false
        }
        return true
    }

    /// Bytes available to this process on the file system holding `folder`.
    static func freeBytes(_ folder: String) -> Int? {
        var s = statvfs()
        guard statvfs(folder, &s) == 0 else { return nil }
        return Int(s.f_bavail) * Int(s.f_frsize)
    }
}
