import Foundation

/// Time for the sender: now and sleeping. Tests inject a fake to check schedules without waiting.
public protocol OutboxClock: Sendable {
    /// The current device time (wall clock: stored in the outbox; NTP or hall IT may set it back or forward).
    func now() -> Date
    /// Seconds on a monotonic clock (never set): tells a wall clock that was set from time that passed.
    func uptime() -> Double
    /// Sleeps `seconds` of monotonic time (throws when the task is cancelled).
    func sleep(seconds: Double) async throws
}

/// The real clock.
public struct SystemOutboxClock: OutboxClock {
    public init() {}
    public func now() -> Date { Date() }
    /// CLOCK_MONOTONIC.
    public func uptime() -> Double { ProcessInfo.processInfo.systemUptime }
    public func sleep(seconds: Double) async throws {
        try await Task.sleep(for: .milliseconds(Int64(max(0, seconds) * 1000)))
    }
}

/// Uniform random numbers in [0, 1) for the jitter. Tests inject a fixed sequence.
public protocol OutboxRandom: Sendable {
    /// The next number in [0, 1).
    func unit() -> Double
}

/// The system's random generator.
public struct SystemOutboxRandom: OutboxRandom {
    public init() {}
    public func unit() -> Double { Double.random(in: 0..<1) }
}

/// Wakes a waiting loop; a ring while nobody waits is remembered once.
final class Doorbell: @unchecked Sendable {
    private let lock = NSLock()
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?

    func ring() {
        lock.lock()
        if let w = waiter {
            waiter = nil
            lock.unlock()
            w.resume()
        } else {
            rung = true
            lock.unlock()
        }
    }

    /// Returns on a ring, after `seconds` (nil = no limit), or when the task is cancelled.
    func wait(upTo seconds: Double?, clock: any OutboxClock) async {
        let timer: Task<Void, Never>? = seconds.map { s in
            Task { [weak self] in
                do { try await clock.sleep(seconds: s) } catch { return }
                self?.ring()
            }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                lock.lock()
                if rung || Task.isCancelled {
                    rung = false
                    lock.unlock()
                    c.resume()
                } else {
                    waiter = c
                    lock.unlock()
                }
            }
        } onCancel: {
            ring()
        }
        timer?.cancel()
    }
}
