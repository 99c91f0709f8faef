import Foundation
import GRDB
import HallAPI
import Logging

/// The device's durable store of submitted ratings: a SQLite file in WAL mode with
/// `synchronous=FULL` (a committed rating survives a power cut).
///
/// ```swift
/// let outbox = try RatingOutbox(path: "/var/lib/hallkiosk/outbox.sqlite")
/// let stored = try outbox.store(submission)   // durable on return → show "thank you"
/// ```
/// One instance per file and process. Thread-safe; `store` blocks for one commit (an fsync,
/// a few milliseconds).
public final class RatingOutbox: Sendable {
    /// The database file.
    public let path: String
    /// How long delivered ratings are kept locally before they are pruned. Default 7 days.
    public let deliveredRetention: TimeInterval
    let pool: DatabasePool
    let now: @Sendable () -> Date
    let logger: Logger
    /// Rung on every change the sender should look at (a new rating, a dismissal).
    let doorbell = Doorbell()

    /// SQLite page cache per connection, KiB. The outbox's queries use indexes and touch few pages.
    static let pageCacheKiB = 256

    /// Opens (creating if needed) the outbox at `path` and migrates it. Pending ratings from an
    /// earlier run stay pending and are sent by the next `OutboxSender`.
    /// - Parameters:
    ///   - now: the device clock (tests inject a fake).
    /// - Throws: `OutboxError` with kind `unwritable`, `diskFull` or `corrupt` naming the file and the fix.
    public init(path: String, deliveredRetention: TimeInterval = 7 * 86400,
                now: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "hallkiosk.outbox")) throws(OutboxError) {
        self.path = path
        self.deliveredRetention = deliveredRetention
        self.now = now
        self.logger = logger
        do {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw OutboxError(kind: .unwritable, description:
                    "rating outbox '\(path)': the folder '\(folder)' does not exist; create it (writable by the kiosk user) or set outbox.path elsewhere")
            }
            var config = Configuration()
            config.busyMode = .timeout(10)
            config.label = "outbox"
            // Memory stays flat for months: a small page cache per connection (SQLite's default is 2 MB each, and
            // the file holds a week of delivered ratings) and at most two readers (the sender and the admin screen).
            config.maximumReaderCount = 2
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -\(Self.pageCacheKiB)") }
            pool = try DatabasePool(path: path, configuration: config)
            try OutboxSchema.migrator.migrate(pool)
            // DatabasePool sets synchronous=NORMAL on its writer after opening; FULL survives power loss.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw OutboxError.from(error, path: path, doing: "opening")
        }
    }

    /// Whether a rating could be stored now: writes (and removes) a row as big as a rating in one durable transaction,
    /// so a disk that is full, read-only or failing answers exactly as `store` would.
    /// - Throws: `OutboxError` (`diskFull`, `unwritable`, `corrupt`, `storage`) naming the file and the fix.
    public func checkWritable() throws(OutboxError) {
        do {
            try pool.write { db in
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS writeProbe (payload TEXT NOT NULL)")
                try db.execute(sql: "INSERT INTO writeProbe (payload) VALUES (?)", arguments: [String(repeating: "x", count: 2048)])
                try db.execute(sql: "DELETE FROM writeProbe")
            }
        } catch {
            throw OutboxError.from(error, path: path, doing: "checking that ratings can be stored")
        }
    }

    /// Stores a submitted rating in one transaction; returns once it is durable on disk.
    ///
    /// The same `ratingId` with the same content again (a double tap, a retried call) is not stored twice:
    /// the answer says `wasAlreadyStored`. The rating is checked against the rules the server will apply
    /// (a 差评 from the citizen needs a reason; known level, channel and source), so a rating that could
    /// never be delivered is refused here, where the UI can still say so.
    /// - Throws: `OutboxError` — `invalidRating` (the UI's mistake), or `diskFull` / `unwritable` /
    ///   `corrupt` (`blocksNewRatings`: stop offering ratings at this device and tell hall IT).
    @discardableResult
    public func store(_ submission: RatingSubmission) throws(OutboxError) -> StoredRating {
        try Self.validate(submission)
        let json: String
        do {
            json = String(decoding: try OutboxSchema.encoder.encode(submission), as: UTF8.self)
        } catch {
            throw OutboxError(kind: .invalidRating, description: "rating '\(submission.ratingId)' cannot be encoded: \(error)")
        }
        let at = now()
        let ticketKey = submission.ticketId.map { "id:\($0)" } ?? submission.ticketToken.map { "token:\($0)" } ?? "rating:\(submission.ratingId)"
        let stored: StoredRating
        do {
            stored = try pool.write { db -> StoredRating in
                if let row = try Row.fetchOne(db, sql: "SELECT submission, storedAt FROM rating WHERE ratingId = ?",
                                              arguments: [submission.ratingId]) {
                    guard row["submission"] as String == json else {
                        throw OutboxError(kind: .invalidRating, description:
                            "ratingId '\(submission.ratingId)' is already stored for a different rating; make a new ratingId for each prompt")
                    }
                    return StoredRating(ratingId: submission.ratingId, storedAt: Date(timeIntervalSince1970: row["storedAt"]),
                                        wasAlreadyStored: true)
                }
                try db.execute(sql: """
                    INSERT INTO rating (ratingId, ticketKey, submission, storedAt, state, attempts, nextAttemptAt)
                    VALUES (?, ?, ?, ?, 'pending', 0, ?)
                    """, arguments: [submission.ratingId, ticketKey, json, at.timeIntervalSince1970, at.timeIntervalSince1970])
                return StoredRating(ratingId: submission.ratingId, storedAt: at, wasAlreadyStored: false)
            }
        } catch {
            let failure = OutboxError.from(error, path: path, doing: "storing rating '\(submission.ratingId)'")
            logger.error("rating not stored", metadata: ["rating.id": "\(submission.ratingId)", "error": "\(failure.description)"])
            throw failure
        }
        if !stored.wasAlreadyStored {
            logger.info("rating stored", metadata: ["rating.id": "\(submission.ratingId)", "rating.channel": "\(submission.channel)"])
        }
        doorbell.ring()
        return stored
    }

    /// Counts per state (without the sender's live fields; `OutboxSender.status` adds those).
    public func counts() throws(OutboxError) -> OutboxStatus {
        do {
            return try pool.read { db in
                var status = OutboxStatus()
                for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM rating GROUP BY state") {
                    let n: Int = row["n"]
                    switch OutboxState(rawValue: row["state"]) {
                    case .pending: status.pending = n
                    case .delivered: status.delivered = n
                    case .rejected: status.rejected = n
                    case .conflict: status.conflicts = n
                    case nil: break
                    }
                }
                return status
            }
        } catch {
            throw OutboxError.from(error, path: path, doing: "counting ratings")
        }
    }

    /// Ratings in the given states, oldest first (for the admin screen: `[.rejected, .conflict]`).
    public func entries(in states: Set<OutboxState>, limit: Int = 200) throws(OutboxError) -> [OutboxEntry] {
        let names = states.map(\.rawValue)
        do {
            return try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT * FROM rating WHERE state IN (\(names.map { _ in "?" }.joined(separator: ","))) ORDER BY seq LIMIT ?
                    """, arguments: StatementArguments(names + [String(limit)])).compactMap(OutboxSchema.entry)
            }
        } catch {
            throw OutboxError.from(error, path: path, doing: "listing ratings")
        }
    }

    /// One rating by id, in whatever state.
    public func entry(ratingId: String) throws(OutboxError) -> OutboxEntry? {
        do {
            return try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM rating WHERE ratingId = ?", arguments: [ratingId]).flatMap(OutboxSchema.entry)
            }
        } catch {
            throw OutboxError.from(error, path: path, doing: "reading rating '\(ratingId)'")
        }
    }

    /// Admin: removes a rejected or conflicting rating after it was looked at. Pending and delivered
    /// ratings are never removed this way. Returns false when there is no such held-back rating.
    @discardableResult
    public func dismiss(ratingId: String) throws(OutboxError) -> Bool {
        let removed: Bool
        do {
            removed = try pool.write { db in
                try db.execute(sql: "DELETE FROM rating WHERE ratingId = ? AND state IN ('rejected', 'conflict')", arguments: [ratingId])
                return db.changesCount > 0
            }
        } catch {
            throw OutboxError.from(error, path: path, doing: "dismissing rating '\(ratingId)'")
        }
        if removed { doorbell.ring() }
        return removed
    }

    /// The writer connection's `synchronous` setting (2 = FULL), for `doctor` and tests.
    public func synchronousMode() throws(OutboxError) -> Int {
        do {
            return try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
        } catch {
            throw OutboxError.from(error, path: path, doing: "reading PRAGMA synchronous")
        }
    }

    /// The database's journal mode (`wal`).
    public func journalMode() throws(OutboxError) -> String {
        do {
            return try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
        } catch {
            throw OutboxError.from(error, path: path, doing: "reading PRAGMA journal_mode")
        }
    }

    /// Refuses ratings the hall server would refuse for good.
    static func validate(_ s: RatingSubmission) throws(OutboxError) {
        func invalid(_ why: String) -> OutboxError {
            OutboxError(kind: .invalidRating, description: "rating '\(s.ratingId)' not stored: \(why)")
        }
        // The same content rules as the hall server (RatingSubmission.checkedContent), so nothing waits here that
        // the server would refuse for good.
        do {
            _ = try s.checkedContent()
        } catch {
            throw invalid(error.message)
        }
        guard s.ratingId.unicodeScalars.count <= 64 else { throw invalid("ratingId must be a UUID (got \(s.ratingId.unicodeScalars.count) characters)") }
        guard s.namesATicket else { throw invalid(RatingSubmission.namesNoTicket) }
    }
}
