import Foundation
import Glibc

/// Seconds that only ever move forward at the rate of real time, whatever the wall clock does.
public protocol MonotonicSource: Sendable {
    /// Seconds since some fixed point (boot).
    func monotonicSeconds() -> Double
}

/// `CLOCK_BOOTTIME`: untouched by `date -s`, NTP steps or a wrong RTC, and (unlike `CLOCK_MONOTONIC`) still
/// counting while the box is suspended, so a suspend is not mistaken for a clock jump.
public struct SystemMonotonic: MonotonicSource {
    public init() {}
    public func monotonicSeconds() -> Double {
        var now = timespec()
        guard clock_gettime(CLOCK_BOOTTIME, &now) == 0 else { return Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// Refuses to issue numbers on a wall clock that cannot be right, and says why.
///
/// A hall-server box whose clock jumps puts tickets on the wrong hall day (numbers start again at A001,
/// reports split, waits look negative). Two checks, neither of which a closed weekend or a holiday can trip:
/// - **Behind the data**: at start, the wall clock is more than `tolerance` earlier than the newest ticket or
///   rating stored (a dead RTC battery, a box that booted in 1970 or 2000 before NTP).
/// - **Jumped while running**: the wall clock moved more than `tolerance` away from what the monotonic clock
///   says has passed since start (`date -s`, a bad NTP step, a VM restored from a snapshot).
/// A box that was off over a long weekend starts on Monday with a later time than anything stored, which is
/// fine: only a time the server itself can disprove is refused. A step of up to an hour that stays on the same hall
/// day (NTP correcting a wrong boot clock) is taken as a correction; after a bigger jump that turns out right,
/// restarting hallserver makes it the new reference.
final class ClockGuard: @unchecked Sendable {
    /// How far the clock may be off before numbers stop.
    static let tolerance: TimeInterval = 300
    /// A step of at most this much that keeps the hall day (NTP correcting a drifting or wrongly booted clock) is
    /// a correction, not a jump: numbers go on. A day's jump never is.
    static let correctionLimit: TimeInterval = 3600

    private let monotonic: any MonotonicSource
    private let startWall: Date
    private let startMonotonic: Double
    /// The newest time found in the database at start.
    let newestStored: Date?
    /// The hall's time zone (what a hall day is).
    private let timeZone: TimeZone

    init(monotonic: any MonotonicSource, now: Date, newestStored: Date?, timeZone: TimeZone = .current) {
        self.monotonic = monotonic
        self.timeZone = timeZone
        self.startWall = now
        self.startMonotonic = monotonic.monotonicSeconds()
        self.newestStored = newestStored
    }

    /// Why `now` cannot be right, in words that name the fix; nil when it is plausible.
    func problem(now: Date) -> String? {
        if let newest = newestStored, now < newest.addingTimeInterval(-Self.tolerance) {
            return "the clock (\(Self.text(now))) is earlier than data already stored (\(Self.text(newest))): "
                + "set the right time (timedatectl, NTP), then restart hallserver"
        }
        let expected = startWall.addingTimeInterval(monotonic.monotonicSeconds() - startMonotonic)
        let drift = now.timeIntervalSince(expected)
        if abs(drift) > Self.tolerance, !(abs(drift) <= Self.correctionLimit && sameHallDay(now, expected)) {
            return "the clock jumped \(drift > 0 ? "ahead" : "back") by \(Self.duration(abs(drift))) while hallserver was running "
                + "(now \(Self.text(now)), expected about \(Self.text(expected))): check the time (timedatectl, NTP); "
                + "if the new time is right, restart hallserver"
        }
        return nil
    }

    private func sameHallDay(_ a: Date, _ b: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.isDate(a, inSameDayAs: b)
    }

    static func text(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    static func duration(_ seconds: TimeInterval) -> String {
        let minutes = Int(seconds / 60)
        return minutes >= 120 ? "\(minutes / 60) h \(minutes % 60) min" : "\(minutes) min"
    }
}
