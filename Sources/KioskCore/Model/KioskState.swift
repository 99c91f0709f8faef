import Foundation
import HallAPI

/// Everything the kiosk knows, as one value. Changed only by `reduce`, drawn only by `view`.
public struct KioskState: Hashable, Sendable {
    /// What is on screen.
    public var screen: KioskScreen
    /// The citizen's language; back to the configured default on idle.
    public var language: Language
    /// Large-text mode (适老化): bigger fonts, fewer buttons per page.
    public var largeText: Bool
    /// High-contrast palette.
    public var highContrast: Bool
    /// The last hall status received, and when (kiosk clock).
    public var hall: HallStatus?
    /// When `hall` arrived (wall clock, for the record).
    public var hallStatusAt: Date?
    /// Since when the hall server has not answered; `nil` while it answers.
    public var unreachableSince: Uptime?
    /// The last error talking to the hall server, for logs and the admin screen.
    public var lastHallError: String?
    /// The region under a finger that is down, drawn pressed until the finger lifts.
    public var pressed: KioskAction?
    /// When the kiosk returns home and forgets the citizen's choices, if nobody touches it.
    public var idleDeadline: Uptime?
    /// The wall clock, as given by the last `tick`: the clock and date on screen (in the hall's time zone) and
    /// rating timestamps. Never a timer: it jumps when NTP or hall IT set the time.
    public var now: Date
    /// The monotonic clock, as given by the last `tick`: every deadline and timer is measured on it.
    public var uptime: Uptime
    /// When the last `fetchHallStatus` was asked for.
    public var lastStatusRequestAt: Uptime?
    /// When the first service a clerk paused "until" a time reopens, on the monotonic clock (from the server's own
    /// clock in the status, so a kiosk clock set wrong or changed does not move it); `nil` when none is.
    public var staffPauseEndsAt: Uptime?
    /// Text typed by a barcode scanner or keyboard since the last Enter.
    public var scanBuffer: String
    /// The source of idempotency keys, one per citizen intent.
    public var intentKeys: IntentKeyGenerator
    /// The printer as last reported; `nil` until the printer adapter says something.
    public var printer: PrinterHealth?
    /// Rating device: its window, who serves there and what; `nil` until the hall server said.
    public var window: WindowPanel?
    /// When the last `fetchWindowState` was asked for.
    public var lastWindowStateRequestAt: Uptime?
    /// Staff photos the renderer has (by photo URL).
    public var photosReady: Set<String>
    /// Photos asked for and not arrived (asked once per staff member and start).
    public var photosRequested: Set<String>
    /// When a finger went down in the admin corner and has stayed there (long press opens the PIN entry).
    public var adminCornerDownAt: Uptime?
    /// Wrong admin PINs in a row.
    public var adminFailures: Int
    /// No admin PIN is accepted before this.
    public var adminLockedUntil: Uptime?
    /// Hall IT paused issuing at this kiosk (admin screen): service buttons are disabled with the reason.
    public var issuingPaused: Bool
    /// When the admin screen last asked for fresh device facts.
    public var lastAdminInfoRequestAt: Uptime?
    /// Why ratings cannot be stored at this device right now (outbox disk full, unwritable, corrupt): no rating is
    /// offered until it clears; citizens are sent to the phone page instead. `nil` when ratings can be stored.
    public var ratingsUnavailable: String?
    /// The priority lane (绿色通道) the citizen chose on the home screen; forgotten with the citizen.
    public var priorityLane: PriorityKind?

    /// A kiosk just started: home screen, nothing known about the hall yet.
    /// - Parameters:
    ///   - now: the wall clock.
    ///   - uptime: the monotonic clock; `nil` lets the wall time stand in (samples and screenshots).
    ///   - language: the configured default language.
    ///   - intentKeySeed: a value unique to this start of the program (e.g. a fresh UUID), so keys
    ///     never repeat across restarts; tests pass a fixed seed.
    /// A kiosk just started: home screen, nothing known about the hall yet; `issuingPaused` as hall IT left it.
    public init(now: Date, uptime: Uptime? = nil, language: Language = .zh, intentKeySeed: String, issuingPaused: Bool) {
        self.init(now: now, uptime: uptime, language: language, intentKeySeed: intentKeySeed)
        self.issuingPaused = issuingPaused
    }

    public init(now: Date, uptime: Uptime? = nil, language: Language = .zh, intentKeySeed: String) {
        self.screen = .home(HomePosition())
        self.language = language
        self.largeText = false
        self.highContrast = false
        self.hall = nil
        self.hallStatusAt = nil
        self.unreachableSince = nil
        self.lastHallError = nil
        self.pressed = nil
        self.idleDeadline = nil
        self.now = now
        self.uptime = uptime ?? Uptime(standingInFor: now)
        self.lastStatusRequestAt = nil
        self.staffPauseEndsAt = nil
        self.scanBuffer = ""
        self.intentKeys = IntentKeyGenerator(seed: intentKeySeed)
        self.printer = nil
        self.window = nil
        self.lastWindowStateRequestAt = nil
        self.photosReady = []
        self.photosRequested = []
        self.adminCornerDownAt = nil
        self.adminFailures = 0
        self.adminLockedUntil = nil
        self.issuingPaused = false
        self.lastAdminInfoRequestAt = nil
        self.ratingsUnavailable = nil
        self.priorityLane = nil
    }

    /// The earliest time (monotonic) at which something changes without input (the adapter may sleep until
    /// then, or simply keep its 1-second clock tick).
    public var nextDeadline: Uptime? {
        var deadlines: [Uptime] = []
        if let idleDeadline { deadlines.append(idleDeadline) }
        if case .ticket(let ticket) = screen { deadlines.append(ticket.returnAt) }
        if case .rating(let rating) = screen { deadlines.append(rating.deadline) }
        return deadlines.min()
    }

    /// The wall-clock time at which the monotonic clock reads `uptime`, as far as the wall clock is right now
    /// (e.g. the time the admin lockout ends, drawn as a clock time: after the clock is set it shows the new time).
    public func wallTime(at uptime: Uptime) -> Date {
        now.addingTimeInterval(uptime - self.uptime)
    }
}

/// Makes idempotency keys without randomness: `<seed>-<n>`, where the seed is unique per program
/// start. One key per citizen intent; the server accepts keys up to 128 characters.
public struct IntentKeyGenerator: Hashable, Sendable {
    /// Unique per program start.
    public let seed: String
    /// How many keys were handed out.
    public private(set) var issued: Int

    public init(seed: String, issued: Int = 0) {
        self.seed = seed
        self.issued = issued
    }

    /// A key never returned before by this generator.
    public mutating func next() -> String {
        issued += 1
        return "\(seed)-\(issued)"
    }

    /// A rating id in UUID form (36 characters): the seed's first four groups (a UUID seed keeps them unique
    /// per program start) and the counter as the last group. Never equal to another key or rating id.
    public mutating func nextRatingId() -> String {
        issued += 1
        let hex = Array(seed.lowercased().filter { $0.isHexDigit })
        let prefix = hex.count >= 20 ? String(hex[0..<20]) : String(repeating: "0", count: 20 - hex.count) + String(hex)
        let tail = String(issued, radix: 16)
        let last = String(repeating: "0", count: max(0, 12 - tail.count)) + tail
        let p = Array(prefix)
        return "\(String(p[0..<8]))-\(String(p[8..<12]))-\(String(p[12..<16]))-\(String(p[16..<20]))-\(last)"
    }
}
