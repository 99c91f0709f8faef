import Foundation
import GRDB
import HallAPI

extension HallDatabase {
    /// While the disk is full: checkpoints and truncates the WAL, makes the reserve file again once there
    /// is room for it, then tries a probe write that needs new pages. When that commits, writes resume
    /// (logged once).
    /// Does nothing while the disk is not full.
    /// - Returns: true when the database takes writes (again).
    @discardableResult
    public func recoverFromFullDiskIfPossible(now: Date) async -> Bool {
        guard diskGuard.reason != nil else { return true }
        _ = try? await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        // Resume only with the reserve back in place: else the next burst of writes fills the disk again
        // with nothing left to recover with.
        guard diskGuard.ensureReserve() else { return false }
        do {
            // Room for a real write, not only a row that fits a page already there: 64 KiB of new pages
            // (given back to the free list at once), then the probe's time.
            try await writer.write(probe: true) { db in
                try db.execute(sql: "INSERT OR REPLACE INTO serverState (key, value) VALUES ('diskProbe', zeroblob(65536))")
                try db.execute(sql: "INSERT OR REPLACE INTO serverState (key, value) VALUES ('diskProbe', ?)",
                               arguments: [RFC3339.format(now, in: TimeZone(identifier: "UTC")!)])
            }
        } catch {
            return false
        }
        diskGuard.leaveFull()
        return true
    }
}
