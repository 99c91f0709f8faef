import Foundation
import GRDB
import HallAPI

/// The outbox's tables and named migrations. Times are Unix seconds (REAL).
enum OutboxSchema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: ratings") { db in
            try db.execute(sql: """
                CREATE TABLE rating (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    ratingId TEXT NOT NULL UNIQUE,
                    ticketKey TEXT NOT NULL,
                    submission TEXT NOT NULL,
                    storedAt REAL NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'rejected', 'conflict')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    lastAttemptAt REAL,
                    nextAttemptAt REAL,
                    lastError TEXT,
                    serverRecord TEXT,
                    finishedAt REAL
                );
                CREATE INDEX rating_due ON rating (state, nextAttemptAt);
                CREATE INDEX rating_ticket ON rating (ticketKey, state);
                """)
        }
        return m
    }

    static let encoder = HallJSON.encoder()
    static let decoder = HallJSON.decoder()

    static func entry(_ row: Row) -> OutboxEntry? {
        let json: String = row["submission"]
        guard let submission = try? decoder.decode(RatingSubmission.self, from: Data(json.utf8)),
              let state = OutboxState(rawValue: row["state"]) else { return nil }
        let record = (row["serverRecord"] as String?).flatMap { try? decoder.decode(RatingRecord.self, from: Data($0.utf8)) }
        return OutboxEntry(
            ratingId: row["ratingId"], submission: submission, state: state,
            storedAt: Date(timeIntervalSince1970: row["storedAt"]), attempts: row["attempts"],
            lastAttemptAt: (row["lastAttemptAt"] as Double?).map(Date.init(timeIntervalSince1970:)),
            nextAttemptAt: state == .pending ? (row["nextAttemptAt"] as Double?).map(Date.init(timeIntervalSince1970:)) : nil,
            lastError: row["lastError"], serverRecord: record,
            finishedAt: (row["finishedAt"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    static func json(_ record: RatingRecord) -> String? {
        (try? encoder.encode(record)).map { String(decoding: $0, as: UTF8.self) }
    }
}
