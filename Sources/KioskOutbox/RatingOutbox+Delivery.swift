import Foundation
import GRDB
import HallAPI
import KioskHTTP

/// A pending rating picked for sending.
struct DueRating: Sendable {
    var ratingId: String
    var submission: RatingSubmission
    var attempts: Int
}

/// What one attempt came to, to be written back.
struct AttemptOutcome: Sendable {
    var ratingId: String
    var delivery: RatingDelivery
    /// For `retryLater`: when this rating may be tried again.
    var nextAttemptAt: Date?
}

/// The sender's side of the store.
extension RatingOutbox {
    /// A pending rating is eligible when no older pending rating is about the same ticket
    /// (a follow-up rating, assessNumber 2, must reach the server after the first one).
    private static let eligible = """
        state = 'pending' AND NOT EXISTS (
            SELECT 1 FROM rating older WHERE older.state = 'pending' AND older.ticketKey = rating.ticketKey AND older.seq < rating.seq)
        """

    /// Up to `limit` eligible ratings due at `now`, the longest waiting first.
    func dueRatings(now: Date, limit: Int) throws -> [DueRating] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT ratingId, submission, attempts FROM rating
                WHERE \(Self.eligible) AND nextAttemptAt <= ? ORDER BY nextAttemptAt, seq LIMIT ?
                """, arguments: [now.timeIntervalSince1970, limit]).compactMap { row in
                let json: String = row["submission"]
                guard let s = try? OutboxSchema.decoder.decode(RatingSubmission.self, from: Data(json.utf8)) else { return nil }
                return DueRating(ratingId: row["ratingId"], submission: s, attempts: row["attempts"])
            }
        }
    }

    /// The earliest time an eligible pending rating is due (nil when nothing is pending).
    func nextDue() throws -> Date? {
        try pool.read { db in
            try Double.fetchOne(db, sql: "SELECT MIN(nextAttemptAt) FROM rating WHERE \(Self.eligible)")
                .map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Writes the outcomes of a batch of attempts in one transaction.
    func record(_ outcomes: [AttemptOutcome], at now: Date) throws {
        let t = now.timeIntervalSince1970
        try pool.write { db in
            for o in outcomes {
                switch o.delivery {
                case .delivered(let record):
                    try db.execute(sql: """
                        UPDATE rating SET state = 'delivered', attempts = attempts + 1, lastAttemptAt = ?, finishedAt = ?,
                            serverRecord = ?, lastError = NULL, nextAttemptAt = NULL
                        WHERE ratingId = ? AND state = 'pending'
                        """, arguments: [t, t, OutboxSchema.json(record), o.ratingId])
                case .conflict(let existing, let message):
                    try db.execute(sql: """
                        UPDATE rating SET state = 'conflict', attempts = attempts + 1, lastAttemptAt = ?, finishedAt = ?,
                            serverRecord = ?, lastError = ?, nextAttemptAt = NULL
                        WHERE ratingId = ? AND state = 'pending'
                        """, arguments: [t, t, OutboxSchema.json(existing), "409 alreadyRated: \(message)", o.ratingId])
                case .rejected(let status, let code, let message):
                    try db.execute(sql: """
                        UPDATE rating SET state = 'rejected', attempts = attempts + 1, lastAttemptAt = ?, finishedAt = ?,
                            lastError = ?, nextAttemptAt = NULL
                        WHERE ratingId = ? AND state = 'pending'
                        """, arguments: [t, t, "\(status) \(code): \(message)", o.ratingId])
                case .retryLater(_, let reason):
                    try db.execute(sql: """
                        UPDATE rating SET attempts = attempts + 1, lastAttemptAt = ?, lastError = ?, nextAttemptAt = ?
                        WHERE ratingId = ? AND state = 'pending'
                        """, arguments: [t, reason, (o.nextAttemptAt ?? now).timeIntervalSince1970, o.ratingId])
                }
            }
        }
    }

    /// Makes every pending rating due at `now` ("send now").
    func makeAllDue(now: Date) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE rating SET nextAttemptAt = ? WHERE state = 'pending' AND nextAttemptAt > ?",
                           arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970])
        }
    }

    /// The device clock was set by `seconds` (negative: back): moves the times of every pending rating stored at or
    /// before `storedBefore` (the last reading before the change) by the same amount — the retry time, so each wait
    /// stays what the backoff chose, and the stored and last-attempt times, so all of them stay on one clock.
    /// Ratings stored after the change are on the new clock already; a forward change never reaches them.
    /// Returns how many moved.
    @discardableResult
    func shiftSchedule(by seconds: Double, storedBefore: Date) throws -> Int {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE rating SET nextAttemptAt = nextAttemptAt + ?1, storedAt = storedAt + ?1, lastAttemptAt = lastAttemptAt + ?1
                WHERE state = 'pending' AND storedAt <= ?2
                """, arguments: [seconds, storedBefore.timeIntervalSince1970])
            return db.changesCount
        }
    }

    /// Brings retry times later than `latest` back to it: no backoff waits that long, so such a time was set with
    /// a clock that was ahead (e.g. set back while the device was off). Returns how many moved.
    @discardableResult
    func limitSchedule(to latest: Date) throws -> Int {
        try pool.write { db in
            try db.execute(sql: "UPDATE rating SET nextAttemptAt = ? WHERE state = 'pending' AND nextAttemptAt > ?",
                           arguments: [latest.timeIntervalSince1970, latest.timeIntervalSince1970])
            return db.changesCount
        }
    }

    /// Forgets delivered ratings finished before `cutoff`. Returns how many.
    @discardableResult
    func pruneDelivered(before cutoff: Date) throws -> Int {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM rating WHERE state = 'delivered' AND finishedAt < ?", arguments: [cutoff.timeIntervalSince1970])
            return db.changesCount
        }
    }
}
