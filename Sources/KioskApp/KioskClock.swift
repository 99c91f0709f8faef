import Foundation
import KioskCore

/// The kiosk's two clocks. Everything that waits or times out — screen timers, the run loop's tick, heartbeats,
/// the shutdown wait, the PIN check — uses the monotonic clock; the wall clock only draws the clock and the hall
/// day and stamps records, because NTP or hall IT may set it back or forward at any moment.
enum KioskClock {
    /// Seconds on the monotonic clock (CLOCK_MONOTONIC: since boot, never set).
    static var uptimeSeconds: Double { ProcessInfo.processInfo.systemUptime }

    /// Both clocks, read together.
    static func reading() -> ClockReading {
        ClockReading(wall: Date(), uptime: Uptime(seconds: uptimeSeconds))
    }
}

/// Where the run loop reads its two clocks: the system's in the kiosk, a hand-moved one in tests (the runner's
/// timers then run on the test's time, not the machine's).
public protocol KioskClockSource: Sendable {
    /// Both clocks, read together.
    func reading() -> ClockReading
}

extension KioskClockSource {
    /// Seconds on the monotonic clock.
    public var uptimeSeconds: Double { reading().uptime.seconds }
}

/// The machine's clocks: `Date()` and CLOCK_MONOTONIC.
public struct SystemKioskClock: KioskClockSource {
    public init() {}
    public func reading() -> ClockReading { KioskClock.reading() }
}
