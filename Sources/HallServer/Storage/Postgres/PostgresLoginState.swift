import Foundation
import PostgresNIO

/// Admin page sessions in the `admin_session` table (only the SHA-256 of each cookie), so every instance of the hall
/// knows them. Ended sessions are deleted whenever one starts; the table never holds more than `rules.capacity` per
/// hall after a start (starts are serialised by a lock row).
final class PostgresAdminSessions: AdminSessionBook, @unchecked Sendable {
    private let database: PostgresDatabase
    private let hallId: String
    private let counted = CountBox()

    init(database: PostgresDatabase, hallId: String) {
        self.database = database
        self.hallId = hallId
    }

    func start(_ tokenHash: String, now: Date, rules: AdminSessionRules) async throws {
        let hallId = self.hallId
        let count = try await database.transaction("admin session start") { tx in
            try await tx.lock(hallId: hallId, "admin-sessions")
            try await tx.execute("""
                DELETE FROM admin_session WHERE hall_id = \(hallId)
                  AND (created_at <= \(now - rules.lifetime) OR last_used_at <= \(now - rules.idle))
                """)
            let live = try await tx.first("SELECT COUNT(*) FROM admin_session WHERE hall_id = \(hallId)")?.decode(Int.self) ?? 0
            if live >= rules.capacity {
                try await tx.execute("""
                    DELETE FROM admin_session WHERE hall_id = \(hallId) AND token_hash IN (
                        SELECT token_hash FROM admin_session WHERE hall_id = \(hallId) ORDER BY created_at LIMIT \(live - rules.capacity + 1))
                    """)
            }
            try await tx.execute("""
                INSERT INTO admin_session (hall_id, token_hash, created_at, last_used_at) VALUES (\(hallId), \(tokenHash), \(now), \(now))
                """)
            return min(live, rules.capacity - 1) + 1
        }
        counted.set(count)
    }

    func use(_ tokenHash: String, now: Date, rules: AdminSessionRules) async throws -> Bool {
        let hallId = self.hallId
        return try await database.transaction("admin session use") { tx in
            // GREATEST: instances whose clocks differ a little never move the last use back.
            if try await tx.first("""
                UPDATE admin_session SET last_used_at = GREATEST(last_used_at, \(now))
                WHERE hall_id = \(hallId) AND token_hash = \(tokenHash)
                  AND created_at > \(now - rules.lifetime) AND last_used_at > \(now - rules.idle)
                RETURNING 1
                """) != nil { return true }
            try await tx.execute("DELETE FROM admin_session WHERE hall_id = \(hallId) AND token_hash = \(tokenHash)")
            return false
        }
    }

    func end(_ tokenHash: String) async throws {
        let hallId = self.hallId
        let count = try await database.transaction("admin session end") { tx in
            try await tx.execute("DELETE FROM admin_session WHERE hall_id = \(hallId) AND token_hash = \(tokenHash)")
            return try await tx.first("SELECT COUNT(*) FROM admin_session WHERE hall_id = \(hallId)")?.decode(Int.self) ?? 0
        }
        counted.set(count)
    }

    var count: Int { counted.value }
}

/// Failed logins in the `login_failure` table, one row per failure and key (`FailureKey.qualified`), so wrong PINs
/// spread over the hall's instances count together. Bounded like the memory book: a key keeps its newest
/// `limits.keep` failures, failures older than the window are deleted at every write, and a table over its
/// `limits.capacity` keys loses the keys whose newest failure is oldest. Writes are serialised by a lock row.
///
/// Two instances may each check a PIN at the same moment, so at most one attempt per instance beyond a limit can be
/// checked before the lock is seen (one instance alone checks one PIN at a time: `PinCheckGate`).
final class PostgresLoginFailures: LoginFailureBook, @unchecked Sendable {
    private let database: PostgresDatabase
    private let hallId: String
    private let limits: FailureLimits
    private let counted = CountBox()

    init(database: PostgresDatabase, hallId: String, limits: FailureLimits) {
        self.database = database
        self.hallId = hallId
        self.limits = limits
    }

    func recent(_ keys: [FailureKey], now: Date) async throws -> [FailureKey: [Date]] {
        let hallId = self.hallId
        let byName = Dictionary(keys.map { ($0.qualified, $0) }, uniquingKeysWith: { a, _ in a })
        let since = now - limits.window
        return try await database.read("login failures") { tx in
            var out: [FailureKey: [Date]] = [:]
            for row in try await tx.rows("""
                SELECT key, failed_at FROM login_failure
                WHERE hall_id = \(hallId) AND key = ANY(\(Array(byName.keys))) AND failed_at > \(since)
                ORDER BY failed_at, id
                """) {
                let (name, at) = try row.decode((String, Date).self)
                if let key = byName[name] { out[key, default: []].append(at.wholeMilliseconds) }
            }
            return out
        }
    }

    func record(_ keys: [FailureKey], now: Date) async throws {
        let hallId = self.hallId
        let limits = self.limits
        let count = try await database.transaction("login failure") { tx in
            try await tx.lock(hallId: hallId, "login-failures")
            try await tx.execute("DELETE FROM login_failure WHERE hall_id = \(hallId) AND failed_at <= \(now - limits.window)")
            for key in keys {
                try await tx.execute("""
                    INSERT INTO login_failure (hall_id, book, key, failed_at) VALUES (\(hallId), \(key.table.rawValue), \(key.qualified), \(now))
                    """)
                try await tx.execute("""
                    DELETE FROM login_failure WHERE hall_id = \(hallId) AND key = \(key.qualified) AND id NOT IN (
                        SELECT id FROM login_failure WHERE hall_id = \(hallId) AND key = \(key.qualified)
                        ORDER BY failed_at DESC, id DESC LIMIT \(limits.keep[key.table] ?? 1))
                    """)
            }
            for table in Set(keys.map(\.table)) {
                let capacity = limits.capacity[table] ?? 1
                let held = try await tx.first("""
                    SELECT COUNT(DISTINCT key) FROM login_failure WHERE hall_id = \(hallId) AND book = \(table.rawValue)
                    """)?.decode(Int.self) ?? 0
                guard held > capacity else { continue }
                // As the memory book: a quarter of the table, the keys whose newest failure is oldest.
                try await tx.execute("""
                    DELETE FROM login_failure WHERE hall_id = \(hallId) AND book = \(table.rawValue) AND key IN (
                        SELECT key FROM login_failure WHERE hall_id = \(hallId) AND book = \(table.rawValue)
                        GROUP BY key ORDER BY MAX(failed_at) LIMIT \(held - capacity + max(1, capacity / 4)))
                    """)
            }
            return try await tx.first("SELECT COUNT(DISTINCT key) FROM login_failure WHERE hall_id = \(hallId)")?.decode(Int.self) ?? 0
        }
        counted.set(count)
    }

    func forget(_ keys: [FailureKey]) async throws {
        let hallId = self.hallId
        let names = keys.map(\.qualified)
        try await database.transaction("login success") { tx in
            try await tx.execute("DELETE FROM login_failure WHERE hall_id = \(hallId) AND key = ANY(\(names))")
        }
    }

    func forgetAccount(_ accountKey: String) async throws {
        let hallId = self.hallId
        let own = FailureKey(.knownAccounts, accountKey).qualified
        let pairs = FailureKey(.pairs, accountKey + "@").qualified
        try await database.transaction("unlock account") { tx in
            try await tx.execute("DELETE FROM login_failure WHERE hall_id = \(hallId) AND (key = \(own) OR left(key, \(Int32(pairs.count))) = \(pairs))")
        }
    }

    var keyCount: Int { counted.value }
}

/// A count as of the last write (the books' `count` and `keyCount`).
final class CountBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = 0
    func set(_ value: Int) { lock.withLock { stored = value } }
    var value: Int { lock.withLock { stored } }
}
