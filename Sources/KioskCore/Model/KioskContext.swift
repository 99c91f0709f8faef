import HallAPI

/// Configuration and the drawing environment the reducer needs. A plain value built once
/// from the kiosk config; every parameter has a default.
///
/// Defaults: idle timeout 60 s, ticket screen 20 s (60 s when no paper came out),
/// offline grace 30 s, hall status refresh 10 s, issuing gives up after 20 s, 2 automatic
/// retries on network errors, e-tickets while the printer is down, screen 1080×1920, language zh.
public struct KioskContext: Sendable {
    /// This kiosk's device id (`kioskId` in ticket requests).
    public var deviceId: String
    /// The language the kiosk returns to when idle.
    public var defaultLanguage: Language
    /// Seconds without a touch before the kiosk returns home and forgets the citizen's choices.
    public var idleTimeoutSeconds: Double
    /// Seconds the ticket screen stays after a ticket was printed.
    public var ticketScreenSeconds: Double
    /// Seconds the ticket screen stays when no paper came out (time to photograph the QR code).
    public var ticketScreenSecondsWithoutPaper: Double
    /// Seconds the hall server may be unreachable before the offline screen shows.
    public var offlineGraceSeconds: Double
    /// Seconds between hall status requests.
    public var statusRefreshSeconds: Double
    /// Seconds after which a number that has not come is given up (the citizen may retry).
    public var issueTimeoutSeconds: Double
    /// Automatic retries (same key) after a network failure before asking the citizen.
    public var issueAutoRetries: Int
    /// Seconds after the ticket appears during which touches cannot close it: the second tap of a
    /// double tap must not take the ticket away.
    public var ticketTouchGraceSeconds: Double
    /// When the printer is known to be out of paper, open, offline or stopped, issue numbers as
    /// e-tickets (QR code on screen, no print job) instead of sending jobs that cannot print.
    public var eTicketWhenPrinterDown: Bool
    /// What the view needs: screen size, strings, text measurer. Touches are matched against
    /// the hit regions of `view(state, environment)`.
    public var display: DisplayEnvironment
    /// Ticket kiosk or window rating device.
    public var role: DeviceRole
    /// Rating device: the window it is bound to.
    public var windowId: String?
    /// Seconds a rating prompt stays open without an answer (touches restart it).
    public var ratingPromptSeconds: Double
    /// Seconds "thank you" (or "could not be stored") stays before the screen returns.
    public var ratingThanksSeconds: Double
    /// Only where the hall's rules require it: a prompt that times out records a `systemDefault` 满意,
    /// counted apart from active ratings. Off by default (voluntary rating records nothing).
    public var systemDefaultOnTimeout: Bool
    /// Seconds between window state requests on a rating device.
    public var windowStateRefreshSeconds: Double
    /// True when an admin PIN hash is configured (otherwise the admin screen cannot be opened).
    public var adminPinConfigured: Bool = false
    /// The corner whose long press opens the admin PIN entry.
    public var adminCorner: AdminCorner = .topLeft
    /// Seconds a finger must stay in the admin corner.
    public var adminLongPressSeconds: Double = 3
    /// Wrong PINs in a row before the lockout, and its length in seconds.
    public var adminMaxFailures: Int = 5
    public var adminLockoutSeconds: Double = 300

    public init(deviceId: String = "kiosk", defaultLanguage: Language = .zh, idleTimeoutSeconds: Double = 60,
                ticketScreenSeconds: Double = 20, ticketScreenSecondsWithoutPaper: Double = 60,
                offlineGraceSeconds: Double = 30, statusRefreshSeconds: Double = 10, issueTimeoutSeconds: Double = 20,
                issueAutoRetries: Int = 2, ticketTouchGraceSeconds: Double = 1.5, eTicketWhenPrinterDown: Bool = true,
                display: DisplayEnvironment, role: DeviceRole = .ticketKiosk, windowId: String? = nil,
                ratingPromptSeconds: Double = 60, ratingThanksSeconds: Double = 4,
                systemDefaultOnTimeout: Bool = false, windowStateRefreshSeconds: Double = 30) {
        self.deviceId = deviceId
        self.defaultLanguage = defaultLanguage
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.ticketScreenSeconds = ticketScreenSeconds
        self.ticketScreenSecondsWithoutPaper = ticketScreenSecondsWithoutPaper
        self.offlineGraceSeconds = offlineGraceSeconds
        self.statusRefreshSeconds = statusRefreshSeconds
        self.issueTimeoutSeconds = issueTimeoutSeconds
        self.issueAutoRetries = issueAutoRetries
        self.ticketTouchGraceSeconds = ticketTouchGraceSeconds
        self.eTicketWhenPrinterDown = eTicketWhenPrinterDown
        self.display = display
        self.display.role = role
        self.role = role
        self.windowId = windowId
        self.ratingPromptSeconds = ratingPromptSeconds
        self.ratingThanksSeconds = ratingThanksSeconds
        self.systemDefaultOnTimeout = systemDefaultOnTimeout
        self.windowStateRefreshSeconds = windowStateRefreshSeconds
    }
}

/// The screen size, string catalogues and text measurer a view is drawn with.
public struct DisplayEnvironment: Sendable {
    /// The layout size in pixels (the renderer rotates if the panel is mounted otherwise).
    public var size: Size
    /// The string catalogues.
    public var strings: Strings
    /// Measures text as the renderer draws it; wrap a font measurer in `CachingTextMeasurer`.
    public var measurer: any TextMeasurer
    /// Five faces or 好评/差评 on the rating screens.
    public var ratingMode: RatingMode
    /// Ticket kiosk or rating device (the admin screen offers printing and pausing only on kiosks).
    public var role: DeviceRole = .ticketKiosk
    /// Check-in is offered (an ID card reader is configured): the home screen says "刷身份证取号" and offers the
    /// booking code keypad; an 8-character scan is a booking code.
    public var checkinOffered: Bool = false

    public init(size: Size, strings: Strings, measurer: any TextMeasurer = EstimatingTextMeasurer(),
                ratingMode: RatingMode = .fiveLevels) {
        self.size = size
        self.strings = strings
        self.measurer = measurer
        self.ratingMode = ratingMode
    }
}
