import Foundation

/// Locks an employee number out after repeated wrong PINs: 5 failures within 15 minutes → 15 minutes locked.
final class LoginLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [String: [Date]] = [:]
    let maxFailures = 5
    let window: TimeInterval = 15 * 60

    /// Seconds until the next attempt is allowed, or nil when allowed now.
    func lockedFor(_ key: String, now: Date) -> TimeInterval? {
        lock.withLock {
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[key] = recent
            guard recent.count >= maxFailures, let oldest = recent.first else { return nil }
            return window - now.timeIntervalSince(oldest)
        }
    }

    func recordFailure(_ key: String, now: Date) {
        lock.withLock { failures[key, default: []].append(now) }
    }

    func recordSuccess(_ key: String) {
        lock.withLock { _ = failures.removeValue(forKey: key) }
    }
}
