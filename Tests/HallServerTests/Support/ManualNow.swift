import Foundation
import HallServer

/// A clock tests move by hand.
final class ManualNow: NowSource, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var jumped: TimeInterval = 0
    init(_ start: Date) { current = start }
    func now() -> Date { lock.withLock { current } }
    func set(_ date: Date) { lock.withLock { current = date } }
    func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
    /// Moves the wall clock only, as a wrong `date -s` or an RTC reset would (the monotonic clock does not follow).
    func jumpWallClock(by seconds: TimeInterval) { lock.withLock { current += seconds; jumped += seconds } }
    /// How far `jumpWallClock(by:)` moved the wall clock in all.
    var wallJump: TimeInterval { lock.withLock { jumped } }
}

extension ManualNow: MonotonicSource {
    /// A manual clock's monotonic time follows `advance(by:)` and `set(_:)` (time passing);
    /// `jumpWallClock(by:)` moves only the wall clock, like a wrong `date -s` or an RTC reset.
    func monotonicSeconds() -> Double { now().timeIntervalSince1970 - wallJump }
}
