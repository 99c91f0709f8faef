import Foundation
import HallAPI

/// The screen the kiosk shows. Later flows (rating at the kiosk, the hidden admin screen)
/// join as new cases with their own payload; the reducer and the view switch over this enum.
public enum KioskScreen: Hashable, Sendable {
    /// Service buttons. `group` is the selected department tab, `page` the page within it.
    case home(HomePosition)
    /// A number is being taken for a service under one idempotency key.
    case issuing(IssuingIntent)
    /// The freshly issued ticket.
    case ticket(TicketScreen)
    /// The keypad for a ticket number, with what is typed and the lookup's progress.
    case lookup(LookupScreen)
    /// A ticket's progress.
    case lookupResult(LookupResultScreen)
    /// The hall is closed now; `todayHours` is empty when closed all day.
    case closed(todayHours: [OpeningSession])
    /// The hall server has been unreachable since `since` (monotonic clock).
    case offline(since: Uptime)
    /// Window rating device between ratings: the window, who serves there, the number served now.
    case ratingIdle
    /// Rating a completed service (rating device after the window completes one; kiosk after a lookup).
    case rating(RatingScreen)
    /// The hidden admin screen's PIN entry (long press in the admin corner).
    case adminPin(AdminPinScreen)
    /// The hidden admin screen: device facts and maintenance actions.
    case admin(AdminScreen)
    /// Check-in by ID card, booking QR or booking code (`CheckinScreen`); the card holder lives only here.
    case checkin(CheckinScreen)

    /// The screen's name in logs, the event stream and the device heartbeat (`home`, `ticket`, `offline` …).
    public var name: DeviceScreen {
        switch self {
        case .home: .home
        case .issuing: .issuing
        case .ticket: .ticket
        case .lookup: .lookup
        case .lookupResult: .lookupResult
        case .closed: .closed
        case .offline: .offline
        case .ratingIdle: .ratingIdle
        case .rating: .rating
        case .adminPin: .adminPin
        case .admin: .admin
        case .checkin: .checkin
        }
    }
}

/// Where the citizen is on the home screen.
public struct HomePosition: Hashable, Sendable {
    /// Index of the selected department tab (ignored when all services fit on one page).
    public var group: Int
    /// Page within the group (or within all services).
    public var page: Int
    public init(group: Int = 0, page: Int = 0) {
        self.group = group
        self.page = page
    }
}
