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

    /// Forgets delivered ratings finished before `cutoff`. Returns how many.
    @discardableResult
    func pruneDelivered(before cutoff: Date) throws -> Int {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM rating WHERE state = 'delivered' AND finishedAt < ?", arguments: [cutoff.timeIntervalSince1970])
            return db.changesCount
        }
    }
}
