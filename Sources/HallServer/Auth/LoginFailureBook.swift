import Foundation

/// The tables `LoginGuard` counts failures in; each has its own limits.
public enum FailureTable: String, Sendable, CaseIterable {
    /// One address and one account.
    case pairs
    /// One address, any accounts.
    case addresses
    /// One configured staff account, from untrusted clients.
    case knownAccounts
    /// One well-formed employee number that is nobody's.
    case unknownAccounts
    /// One trusted console (a verified console cookie, or a window's own device).
    case consoles
}

/// A key in one of the tables: always a validated value (see `LoginGuard`), never raw client input.
public struct FailureKey: Hashable, Sendable {
    public var table: FailureTable
    public var key: String

    public init(_ table: FailureTable, _ key: String) {
        self.table = table
        self.key = key
    }

    /// The key with its table, as one string (`pairs|staff:s1@10.0.0.7`).
    public var qualified: String { table.rawValue + "|" + key }
}

/// How long failures count, and how much a book keeps.
public struct FailureLimits: Sendable {
    /// Seconds a failure counts.
    public var window: TimeInterval
    /// Timestamps kept per key, per table (the newest; more than the table's limit are never needed).
    public var keep: [FailureTable: Int]
    /// Keys kept per table: when a table is full, expired keys go first, then those whose newest failure is oldest.
    public var capacity: [FailureTable: Int]

    public init(window: TimeInterval, keep: [FailureTable: Int], capacity: [FailureTable: Int]) {
        self.window = window
        self.keep = keep
        self.capacity = capacity
    }
}

/// Where `LoginGuard` keeps recent failures: in memory for a store one server owns (SQLite), in the database for a
/// store several server instances share (PostgreSQL), so wrong PINs spread over the instances count together.
/// Every book is bounded by `FailureLimits`.
public protocol LoginFailureBook: Sendable {
    /// The failures of each of `keys` within the window before `now`, oldest first (keys without any are absent).
    func recent(_ keys: [FailureKey], now: Date) async throws -> [FailureKey: [Date]]
    /// One failure at `now` for each of `keys`.
    func record(_ keys: [FailureKey], now: Date) async throws
    /// Drops every failure of `keys`.
    func forget(_ keys: [FailureKey]) async throws
    /// Drops every failure of `accountKey` (`staff:s1`): its own table and its pairs with every address (unlocking it).
    func forgetAccount(_ accountKey: String) async throws
    /// Keys held in all tables together, as of this book's last write (for tests and the hostile-client run).
    var keyCount: Int { get }
}

/// Failures in this process's memory: one `RecentFailures` per table.
final class MemoryLoginFailures: LoginFailureBook, @unchecked Sendable {
    private let lock = NSLock()
    private var tables: [FailureTable: RecentFailures]

    init(_ limits: FailureLimits) {
        var tables: [FailureTable: RecentFailures] = [:]
        for table in FailureTable.allCases {
            tables[table] = RecentFailures(window: limits.window, keep: limits.keep[table] ?? 1, capacity: limits.capacity[table] ?? 1)
        }
        self.tables = tables
    }

    func recent(_ keys: [FailureKey], now: Date) -> [FailureKey: [Date]] {
        lock.withLock {
            var out: [FailureKey: [Date]] = [:]
            for k in keys {
                let list = tables[k.table]!.recent(k.key, now: now)
                if !list.isEmpty { out[k] = list }
            }
            return out
        }
    }

    func record(_ keys: [FailureKey], now: Date) {
        lock.withLock {
            for k in keys { tables[k.table]!.record(k.key, now: now) }
        }
    }

    func forget(_ keys: [FailureKey]) {
        lock.withLock {
            for k in keys { tables[k.table]!.forget(k.key) }
        }
    }

    func forgetAccount(_ accountKey: String) {
        lock.withLock {
            tables[.knownAccounts]!.forget(accountKey)
            for key in tables[.pairs]!.table.keys where key.hasPrefix(accountKey + "@") { tables[.pairs]!.forget(key) }
        }
    }

    var keyCount: Int { lock.withLock { tables.values.reduce(0) { $0 + $1.count } } }
}
