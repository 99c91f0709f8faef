import Foundation
import GRDB
import HallAPI
import Logging

/// The embedded hall store: one SQLite file (WAL, `synchronous=FULL`, named migrations, see `HallDatabase`).
///
/// Reads run on the pool's reader connections; every write goes through the group-commit writer, which commits
/// the writes that arrive together in one transaction (one fsync for many tickets) and serialises them all, which
/// gives `HallStore`'s per-service and per-window serialisation for free.
public final class SQLiteHallStore: HallStore {
    /// The database file under the store (tests and tools look into it).
    public let database: HallDatabase

    public init(database: HallDatabase) {
        self.database = database
    }

    /// Opens (creating and migrating if needed) the SQLite file at `path`; see `HallDatabase.init`.
    public convenience init(path: String, reserveBytes: Int = HallDatabase.defaultReserveBytes, retryAfterSeconds: Int = 10,
                            logger: Logger = Logger(label: "hallserver")) throws {
        self.init(database: try HallDatabase(path: path, reserveBytes: reserveBytes, retryAfterSeconds: retryAfterSeconds, logger: logger))
    }

    public var health: StoreHealth {
        StoreHealth(refusingWrites: database.diskFullReason,
                    problemAtOpen: database.synchronousAtOpen == 2 ? nil : "synchronous is not FULL",
                    refusedWrites: database.diskGuard.refusedWrites)
    }

    public func recoverWrites(now: Date) async -> Bool {
        await database.recoverFromFullDiskIfPossible(now: now)
    }

    // MARK: Start (also synchronous: the SQLite file opens before the server is built)

    public func serverKey(named name: String, make: @escaping @Sendable () -> [UInt8]) async throws -> [UInt8] {
        try database.serverKey(name, make: make)
    }

    public func recentServiceMinutes(serviceIds: [String], perService: Int) async throws -> [String: [Double]] {
        try recentServiceMinutesNow(serviceIds: serviceIds, perService: perService)
    }

    public func newestStoredTime() async throws -> Date? {
        try newestStoredTimeNow()
    }

    /// `recentServiceMinutes`, read now on the calling thread.
    func recentServiceMinutesNow(serviceIds: [String], perService: Int) throws -> [String: [Double]] {
        try database.pool.read { db in
            var out: [String: [Double]] = [:]
            for serviceId in serviceIds {
                let rows = try Row.fetchAll(db, sql: """
                    SELECT calledAt, startedAt, completedAt FROM ticket
                    WHERE serviceId = ? AND completedAt IS NOT NULL ORDER BY completedAt DESC LIMIT ?
                    """, arguments: [serviceId, perService])
                let minutes = rows.compactMap { row -> Double? in
                    guard let end: Date = row["completedAt"], let start: Date = row["startedAt"] ?? row["calledAt"] else { return nil }
                    return end.timeIntervalSince(start) / 60
                }
                out[serviceId] = Array(minutes.reversed())
            }
            return out
        }
    }

    /// `newestStoredTime`, read now on the calling thread.
    func newestStoredTimeNow() throws -> Date? {
        try database.pool.read { db in
            let candidates = try [
                Date.fetchOne(db, sql: "SELECT MAX(issuedAt) FROM ticket"),
                Date.fetchOne(db, sql: "SELECT MAX(completedAt) FROM ticket"),
                Date.fetchOne(db, sql: "SELECT MAX(receivedAt) FROM rating"),
            ]
            return candidates.compactMap { $0 }.max()
        }
    }

    // MARK: Shared reads

    /// Windows with a staff member logged in at `now`: window id → staff id.
    static func openWindows(_ db: Database, at now: Date) throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT windowId, staffId FROM staffSession WHERE endedAt IS NULL AND expiresAt > ?
            """), arguments: [now]) {
            out[row[0]] = row[1]
        }
        return out
    }

    /// `?, ?, …` for `count` values.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }

    static let recordEncoder = HallJSON.encoder()
    static let recordDecoder = HallJSON.decoder()
}
