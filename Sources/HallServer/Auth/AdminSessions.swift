import Crypto
import Foundation
import HallAPI

/// The admin pages' sessions: a random 256-bit cookie per login, kept server-side (only its SHA-256), ending at
/// logout, after `lifetime`, or after `idle` without a request. The cookie says nothing about the admin token, so
/// a copy of `hall.toml` (or of a backup) does not open a session, and logout revokes it. Sessions live in memory:
/// a restart of the server logs the admin out. At most `capacity` live at once (the oldest end first).
final class AdminSessions: @unchecked Sendable {
    private struct Entry {
        var created: Date
        var lastUsed: Date
    }

    let lifetime: TimeInterval
    let idle: TimeInterval
    let capacity: Int
    private let lock = NSLock()
    private var sessions: [String: Entry] = [:]

    init(lifetime: TimeInterval = 12 * 3600, idle: TimeInterval = 2 * 3600, capacity: Int = 64) {
        self.lifetime = lifetime
        self.idle = idle
        self.capacity = capacity
    }

    /// Starts a session; returns the cookie value (43 URL-safe characters).
    func start(now: Date, random: any RandomSource) -> String {
        let token = random.urlSafeToken(byteCount: 32)
        lock.withLock {
            dropExpired(now: now)
            if sessions.count >= capacity, let oldest = sessions.min(by: { $0.value.created < $1.value.created }) {
                sessions[oldest.key] = nil
            }
            sessions[Self.digest(token)] = Entry(created: now, lastUsed: now)
        }
        return token
    }

    /// True when `token` is a live session (and counts as its use).
    func isLive(_ token: String, now: Date) -> Bool {
        guard token.utf8.count <= 64 else { return false }
        let key = Self.digest(token)
        return lock.withLock {
            guard var entry = sessions[key] else { return false }
            guard now.timeIntervalSince(entry.created) < lifetime, now.timeIntervalSince(entry.lastUsed) < idle else {
                sessions[key] = nil
                return false
            }
            entry.lastUsed = now
            sessions[key] = entry
            return true
        }
    }

    /// Ends the session behind `token` (logout).
    func end(_ token: String) {
        let key = Self.digest(token)
        lock.withLock { _ = sessions.removeValue(forKey: key) }
    }

    /// Live sessions (for tests).
    var count: Int { lock.withLock { sessions.count } }

    private func dropExpired(now: Date) {
        sessions = sessions.filter { now.timeIntervalSince($0.value.created) < lifetime && now.timeIntervalSince($0.value.lastUsed) < idle }
    }

    private static func digest(_ token: String) -> String { Hex.encode(SHA256.hash(data: Data(token.utf8))) }
}
