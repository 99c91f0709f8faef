import Crypto
import Foundation
import HallAPI

/// The admin pages' sessions: a random 256-bit cookie per login, kept server-side (only its SHA-256), ending at
/// logout, after `lifetime`, or after `idle` without a request. The cookie says nothing about the admin token, so
/// a copy of `hall.toml` (or of a backup) does not open a session, and logout revokes it. At most `capacity` live at
/// once (the oldest end first).
///
/// Where they are kept is the `book`'s business: in memory for a store one server owns (SQLite; a restart of the
/// server logs the admin out), in the database for a store several server instances share (PostgreSQL), so a
/// session started on one instance works on the others and a logout on one ends it on all.
final class AdminSessions: Sendable {
    let lifetime: TimeInterval
    let idle: TimeInterval
    let capacity: Int
    private let book: any AdminSessionBook

    init(book: any AdminSessionBook = MemoryAdminSessions(), lifetime: TimeInterval = 12 * 3600, idle: TimeInterval = 2 * 3600,
         capacity: Int = 64) {
        self.book = book
        self.lifetime = lifetime
        self.idle = idle
        self.capacity = capacity
    }

    /// Starts a session; returns the cookie value (43 URL-safe characters).
    func start(now: Date, random: any RandomSource) async throws -> String {
        let token = random.urlSafeToken(byteCount: 32)
        try await book.start(Self.digest(token), now: now, rules: rules)
        return token
    }

    /// True when `token` is a live session (and counts as its use).
    func isLive(_ token: String, now: Date) async throws -> Bool {
        guard token.utf8.count <= 64 else { return false }
        return try await book.use(Self.digest(token), now: now, rules: rules)
    }

    /// Ends the session behind `token` (logout).
    func end(_ token: String) async throws {
        try await book.end(Self.digest(token))
    }

    /// Live sessions as the book last saw them (for tests).
    var count: Int { book.count }

    private var rules: AdminSessionRules { AdminSessionRules(lifetime: lifetime, idle: idle, capacity: capacity) }

    private static func digest(_ token: String) -> String { Hex.encode(SHA256.hash(data: Data(token.utf8))) }
}

/// How long admin sessions last and how many there may be.
public struct AdminSessionRules: Sendable {
    /// Seconds from the start after which a session ends.
    public var lifetime: TimeInterval
    /// Seconds without a request after which a session ends.
    public var idle: TimeInterval
    /// Most sessions at once; starting one more ends the oldest.
    public var capacity: Int

    /// Whether a session started at `created` and last used at `lastUsed` is still live at `now`.
    public func isLive(created: Date, lastUsed: Date, now: Date) -> Bool {
        now.timeIntervalSince(created) < lifetime && now.timeIntervalSince(lastUsed) < idle
    }
}

/// Where admin sessions are kept, by the SHA-256 (hex) of their cookie.
public protocol AdminSessionBook: Sendable {
    /// Keeps a new session (dropping ended ones, and the oldest when `rules.capacity` are live).
    func start(_ tokenHash: String, now: Date, rules: AdminSessionRules) async throws
    /// True when the session is live at `now`, which then counts as its use; an ended session is dropped.
    func use(_ tokenHash: String, now: Date, rules: AdminSessionRules) async throws -> Bool
    /// Drops the session (logout).
    func end(_ tokenHash: String) async throws
    /// Sessions kept, as of this book's last write (for tests).
    var count: Int { get }
}

/// Admin sessions in this process's memory (a store one server owns).
final class MemoryAdminSessions: AdminSessionBook, @unchecked Sendable {
    private struct Entry {
        var created: Date
        var lastUsed: Date
    }

    private let lock = NSLock()
    private var sessions: [String: Entry] = [:]

    func start(_ tokenHash: String, now: Date, rules: AdminSessionRules) {
        lock.withLock {
            sessions = sessions.filter { rules.isLive(created: $0.value.created, lastUsed: $0.value.lastUsed, now: now) }
            if sessions.count >= rules.capacity, let oldest = sessions.min(by: { $0.value.created < $1.value.created }) {
                sessions[oldest.key] = nil
            }
            sessions[tokenHash] = Entry(created: now, lastUsed: now)
        }
    }

    func use(_ tokenHash: String, now: Date, rules: AdminSessionRules) -> Bool {
        lock.withLock {
            guard var entry = sessions[tokenHash] else { return false }
            guard rules.isLive(created: entry.created, lastUsed: entry.lastUsed, now: now) else {
                sessions[tokenHash] = nil
                return false
            }
            entry.lastUsed = now
            sessions[tokenHash] = entry
            return true
        }
    }

    func end(_ tokenHash: String) {
        lock.withLock { _ = sessions.removeValue(forKey: tokenHash) }
    }

    var count: Int { lock.withLock { sessions.count } }
}
