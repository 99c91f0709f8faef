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
