import Foundation

/// Recent failures per key, bounded in every direction: each key keeps at most `keep` timestamps (the newest),
/// entries older than `window` are dropped, and the table holds at most `capacity` keys — when it is full the
/// expired keys go first, then the keys whose newest failure is oldest. Not thread-safe: its owner locks.
///
/// Keys must be validated values (a socket's address, a configured staff id), never raw client input.
struct RecentFailures {
    let window: TimeInterval
    let keep: Int
    let capacity: Int
    private(set) var table: [String: [Date]] = [:]

    init(window: TimeInterval, keep: Int, capacity: Int) {
        self.window = window
        self.keep = max(1, keep)
        self.capacity = max(1, capacity)
    }

    /// Failures of `key` within the window, oldest first.
    func recent(_ key: String, now: Date) -> [Date] {
        (table[key] ?? []).filter { now.timeIntervalSince($0) < window }
    }

    /// Seconds until `key` has fewer than `limit` failures in the window again; nil when it has fewer now.
    func lockedFor(_ key: String, limit: Int, now: Date) -> TimeInterval? {
        Self.lockedFor(recent(key, now: now), limit: limit, window: window, now: now)
    }

    /// Seconds until `recent` (failures within `window`, oldest first) holds fewer than `limit` failures again; nil
    /// when it holds fewer now.
    static func lockedFor(_ recent: [Date], limit: Int, window: TimeInterval, now: Date) -> TimeInterval? {
        guard recent.count >= limit else { return nil }
        // The lock lifts when the limit-th newest failure leaves the window.
        let pivot = recent[recent.count - limit]
        return max(1, window - now.timeIntervalSince(pivot))
    }

    mutating func record(_ key: String, now: Date) {
        var list = recent(key, now: now)
        list.append(now)
        if list.count > keep { list.removeFirst(list.count - keep) }
        if table[key] == nil && table.count >= capacity { makeRoom(now: now) }
        table[key] = list
    }

    mutating func forget(_ key: String) {
        table[key] = nil
    }

    /// Drops expired keys; if none expired, the quarter of keys whose newest failure is oldest.
    private mutating func makeRoom(now: Date) {
        table = table.filter { key, list in list.last.map { now.timeIntervalSince($0) < window } ?? false }
        guard table.count >= capacity else { return }
        let drop = table.sorted { ($0.value.last ?? .distantPast) < ($1.value.last ?? .distantPast) }.prefix(max(1, capacity / 4))
        for (key, _) in drop { table[key] = nil }
    }

    var count: Int { table.count }
}
