/// The screen a device shows, as it travels in the heartbeat's `screen` field (and in the kiosk's event stream).
/// The raw values are the wire strings; they never change (the hall server and its device page read them).
public enum DeviceScreen: String, Codable, Hashable, Sendable, CaseIterable {
    /// Started, no frame drawn yet.
    case starting
    /// The service buttons.
    case home
    /// A number is being taken.
    case issuing
    /// A freshly issued ticket.
    case ticket
    /// The ticket number keypad.
    case lookup
    /// A ticket's progress.
    case lookupResult
    /// The hall is closed.
    case closed
    /// The hall server cannot be reached.
    case offline
    /// A rating device between ratings.
    case ratingIdle
    /// A rating in progress.
    case rating
    /// The admin screen's PIN entry.
    case adminPin
    /// The hidden admin screen.
    case admin
    /// Check-in by ID card, booking QR or booking code.
    case checkin
    /// The program runs but its display does not open (its heartbeat's `lastError` says why).
    case noDisplay = "no-display"

    /// The out-of-service screens (the hall's device page alerts on them); every other screen is a citizen's.
    public var isOutOfService: Bool { self == .offline || self == .closed || self == .noDisplay }
}

extension DeviceHeartbeat {
    /// `screen` as a `DeviceScreen` (`nil` when absent or a name this version does not know).
    public var deviceScreen: DeviceScreen? {
        get { screen.flatMap(DeviceScreen.init(rawValue:)) }
        set { screen = newValue?.rawValue }
    }
}
