import Foundation

/// A reading of the kiosk's monotonic clock, in seconds from a fixed origin (e.g. boot). Unlike the wall clock it
/// never jumps: NTP corrections and hall IT setting the time move `Date()`, not this. Every timer of the core
/// (idle, ticket screen, rating prompt, "thank you", admin lockout, offline grace, refreshes) is an `Uptime`;
/// the wall clock (`KioskState.now`) only draws the clock and the hall day and stamps ratings.
public struct Uptime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds from the clock's origin.
    public var seconds: Double

    public init(seconds: Double) {
        self.seconds = seconds
    }

    /// For samples, screenshots and tests whose wall clock never jumps: the wall time serves as the monotonic
    /// reading. The kiosk itself reads a real monotonic clock.
    public init(standingInFor wallTime: Date) {
        self.seconds = wallTime.timeIntervalSinceReferenceDate
    }

    public static func < (a: Uptime, b: Uptime) -> Bool { a.seconds < b.seconds }
    public static func + (a: Uptime, seconds: TimeInterval) -> Uptime { Uptime(seconds: a.seconds + seconds) }
    public static func - (a: Uptime, seconds: TimeInterval) -> Uptime { Uptime(seconds: a.seconds - seconds) }
    /// Seconds from `b` to `a`.
    public static func - (a: Uptime, b: Uptime) -> TimeInterval { a.seconds - b.seconds }

    public var description: String { "uptime \(seconds) s" }
}

/// The two clocks read at one moment: how far the wall clock was set (jumped) between two readings is how much
/// more or less it moved than the monotonic clock.
public struct ClockReading: Hashable, Sendable {
    public var wall: Date
    public var uptime: Uptime

    public init(wall: Date, uptime: Uptime) {
        self.wall = wall
        self.uptime = uptime
    }

    /// Seconds the wall clock was set forward (positive) or back (negative) since `earlier`, beyond the time that
    /// passed; `nil` when the two clocks agree within `tolerance` seconds (ordinary drift, a slow loop).
    public func wallClockJump(since earlier: ClockReading, tolerance: TimeInterval = 2) -> TimeInterval? {
        let jump = wall.timeIntervalSince(earlier.wall) - (uptime - earlier.uptime)
        return abs(jump) > tolerance ? jump : nil
    }

    /// One line for the log: `the clock went back 3600 s`.
    public static func describe(jump: TimeInterval) -> String {
        "the clock went \(jump < 0 ? "back" : "forward") \(Int(abs(jump).rounded())) s"
    }
}
