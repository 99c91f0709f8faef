import Foundation
import GRDB

extension DiskGuard {
    /// True when `error` means the disk (or the database's page limit) has no room.
    func isDiskFull(_ error: Error) -> Bool {
        guard let e = error as? DatabaseError else { return false }
        if e.resultCode == .SQLITE_FULL { return true }
        // ENOSPC on fsync, ftruncate or the shared-memory file comes back as an I/O error.
        return e.resultCode == .SQLITE_IOERR && (Self.freeBytes(folder) ?? Int.max) < 1 << 20
    }

    /// Enters the disk-full state because of the SQLite error `error` (see `enterFull(cause:)`).
    @discardableResult
    func enterFull(_ error: Error) -> Bool {
        enterFull(cause: Self.describe(error))
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? DatabaseError { return "SQLite \(e.resultCode): \(e.message ?? "no message")" }
        return "\(error)"
    }
}
