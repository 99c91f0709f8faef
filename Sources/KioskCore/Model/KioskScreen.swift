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
    /// The hall server has been unreachable since `since`.
    case offline(since: Date)

    /// A short name for logs and the device heartbeat (`home`, `ticket`, `offline` …).
    public var name: String {
        switch self {
        case .home: "home"
        case .issuing: "issuing"
        case .ticket: "ticket"
        case .lookup: "lookup"
        case .lookupResult: "lookupResult"
        case .closed: "closed"
        case .offline: "offline"
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

/// One citizen's intent to take a number: one idempotency key, reused by every retry.
public struct IssuingIntent: Hashable, Sendable {
    public var serviceId: String
    /// The `Idempotency-Key` of this intent.
    public var intentKey: String
    /// How many requests were sent under this key.
    public var attempts: Int
    /// When the intent started (for the give-up deadline).
    public var startedAt: Date
    /// Set when the last attempt failed and the citizen must choose (retry or go home).
    public var failure: IssueFailure?
    /// Where home was when the citizen touched the service (to come back to the same tab).
    public var returnPosition: HomePosition

    public init(serviceId: String, intentKey: String, attempts: Int = 1, startedAt: Date, failure: IssueFailure? = nil,
                returnPosition: HomePosition = HomePosition()) {
        self.serviceId = serviceId
        self.intentKey = intentKey
        self.attempts = attempts
        self.startedAt = startedAt
        self.failure = failure
        self.returnPosition = returnPosition
    }
}

/// Why a number could not be taken.
public struct IssueFailure: Hashable, Sendable {
    public var kind: IssueFailureKind
    /// Technical detail for logs; never shown as is.
    public var message: String
    public init(kind: IssueFailureKind, message: String) {
        self.kind = kind
        self.message = message
    }
}

/// The kinds of ticket-issuing failures the citizen is told about.
public enum IssueFailureKind: String, Hashable, Sendable {
    case serviceClosed
    case paused
    case quotaReached
    /// No answer or a transport error: retrying under the same key is safe.
    case network
    case other
}

/// The ticket screen.
public struct TicketScreen: Hashable, Sendable {
    public var ticket: IssuedTicket
    public var printStatus: PrintStatus
    public var shownAt: Date
    /// When the screen returns home by itself (later when printing failed).
    public var returnAt: Date
    public init(ticket: IssuedTicket, printStatus: PrintStatus, shownAt: Date, returnAt: Date) {
        self.ticket = ticket
        self.printStatus = printStatus
        self.shownAt = shownAt
        self.returnAt = returnAt
    }
}

/// Where printing of the shown ticket stands.
public enum PrintStatus: Hashable, Sendable {
    case printing
    case printed
    /// The printer could not print; `reason` is for logs.
    case failed(reason: String)
    /// This kiosk has no printer (e-ticket only).
    case notConfigured

    /// True when the citizen gets no paper and must photograph the QR code.
    public var leavesNoPaper: Bool {
        switch self {
        case .failed, .notConfigured: true
        case .printing, .printed: false
        }
    }
}

/// Why the citizen opened the keypad.
public enum LookupPurpose: String, Hashable, Sendable {
    /// 进度查询.
    case progress
    /// 评价: find the ticket to rate (the rating screens come with the ratings work).
    case rating
}

/// The lookup keypad screen.
public struct LookupScreen: Hashable, Sendable {
    public var purpose: LookupPurpose
    /// What the citizen typed, upper-case letters and digits, e.g. `A023`.
    public var entry: String
    public var phase: LookupPhase
    public init(purpose: LookupPurpose = .progress, entry: String = "", phase: LookupPhase = .editing) {
        self.purpose = purpose
        self.entry = entry
        self.phase = phase
    }
}

/// Where a lookup stands.
public enum LookupPhase: Hashable, Sendable {
    case editing
    case pending(LookupQuery)
    case failed(LookupFailureKind)
}

/// What to look a ticket up by.
public enum LookupQuery: Hashable, Sendable {
    /// Today's ticket number, e.g. `A023` (`GET /api/v1/tickets?number=`).
    case number(String)
    /// The ticket's token from its QR code (`GET /api/v1/tickets/{token}`).
    case token(String)
}

/// Why a lookup found nothing.
public enum LookupFailureKind: String, Hashable, Sendable {
    case notFound
    case network
    case other
}

/// A ticket's progress on screen.
public struct LookupResultScreen: Hashable, Sendable {
    public var purpose: LookupPurpose
    public var progress: TicketProgress
    public init(purpose: LookupPurpose, progress: TicketProgress) {
        self.purpose = purpose
        self.progress = progress
    }
}
