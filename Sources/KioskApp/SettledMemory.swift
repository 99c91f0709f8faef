import HallAPI

/// When a ticket kiosk (or rating device) that has finished with a citizen gives memory back.
///
/// Serving a citizen maps code (HTTP, JSON, the ticket screen's layout, printing), makes the ticket screen's textures and
/// leaves freed heap; none of it is needed while the kiosk waits at a resting screen (home, a rating device's idle
/// screen, or the closed and offline screens it may show for hours). Once the kiosk has rested there `quietSeconds` with no touch, it keeps only the textures of the screen it
/// shows, trims malloc and unmaps code pages (`CodePageAdvice`) — once per citizen (start-up's pages went back with the
/// first frame, and a second release then only cost the idle kiosk CPU for nothing: measured). Never while a
/// citizen is busy: the release costs the next touch a few milliseconds of minor page faults, which a citizen in
/// the middle of a ticket must not pay, and a queue of citizens one after another never waits that long.
/// Heartbeats and the minute on the clock do not count as work: a quiet kiosk releases once, not every minute.
struct SettledMemory: Equatable {
    /// How long the kiosk rests at its resting screen without a touch before it gives memory back.
    static let quietSeconds = 10.0

    /// When the kiosk last did something for a citizen (a touch, a screen change), monotonic seconds.
    private(set) var lastActivity: Double
    /// Whether a citizen (a touch, a screen change) came since memory was last given back.
    private(set) var pending = false

    /// A policy for a kiosk that started at `uptime` and gave its start-up pages back with the first frame.
    init(startedAt uptime: Double) {
        lastActivity = uptime
    }

    /// The screens a kiosk waits at between citizens.
    static func isResting(_ screen: DeviceScreen) -> Bool {
        switch screen {
        case .home, .ratingIdle, .closed, .offline: true
        default: false
        }
    }

    /// A touch, a key or a screen change at `uptime`.
    mutating func noteActivity(at uptime: Double) {
        lastActivity = uptime
        pending = true
    }

    /// When memory is next to be given back on `screen` (monotonic seconds), nil while nothing is to be given back or
    /// the kiosk is not resting.
    func due(on screen: DeviceScreen) -> Double? {
        guard pending, Self.isResting(screen) else { return nil }
        return lastActivity + Self.quietSeconds
    }

    /// Whether memory is to be given back now.
    func isDue(on screen: DeviceScreen, at uptime: Double) -> Bool {
        guard let due = due(on: screen) else { return false }
        return uptime >= due
    }

    /// Memory was given back: nothing more until the next activity.
    mutating func released() {
        pending = false
    }
}
