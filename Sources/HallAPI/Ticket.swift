import Foundation

/// Priority lanes (绿色通道): such tickets are called before normal ones of the same service.
public enum PriorityKind: String, Codable, Hashable, Sendable, CaseIterable {
    case elderly
    case disabled
    case appointment
}

/// `POST /api/v1/tickets` body. Sent with an `Idempotency-Key` header, one key per citizen intent.
public struct IssueTicketRequest: Codable, Hashable, Sendable {
    public var serviceId: String
    public var kioskId: String
    public var priority: PriorityKind?
    /// The card holder's ID number in clear when the citizen placed an ID card (issue 21): the server applies the
    /// service's per-person rules and keeps only a keyed HMAC. Never logged; `description` masks it.
    public var idNumber: String?

    public init(serviceId: String, kioskId: String, priority: PriorityKind? = nil, idNumber: String? = nil) {
        self.serviceId = serviceId
        self.kioskId = kioskId
        self.priority = priority
        self.idNumber = idNumber
    }
}

/// A reference to a service as shown with a ticket.
public struct ServiceRef: Codable, Hashable, Sendable {
    public var id: String
    public var name: LocalizedText
    public var prefix: String
    public init(id: String, name: LocalizedText, prefix: String) {
        self.id = id
        self.name = name
        self.prefix = prefix
    }
}

/// A reference to a window.
public struct WindowRef: Codable, Hashable, Sendable {
    public var id: String
    public var name: LocalizedText
    public init(id: String, name: LocalizedText) {
        self.id = id
        self.name = name
    }
}

/// A freshly issued ticket: what the kiosk shows and prints.
public struct IssuedTicket: Codable, Hashable, Sendable {
    public var id: String
    /// The queue number, e.g. `A023`.
    public var number: String
    public var service: ServiceRef
    public var issuedAt: Date
    /// The hall day the number belongs to, `YYYY-MM-DD`.
    public var hallDay: String
    public var priority: PriorityKind?
    /// People waiting before this ticket in its service.
    public var waitingAhead: Int
    public var estimatedWaitMinutes: Int
    /// Unguessable URL-safe token (≥128 random bits); the only key to the phone page.
    public var token: String
    /// The phone progress page of this ticket (what the QR code holds).
    public var lookupUrl: String
    /// The 4-digit rating code (评价码) printed next to the number: with the number it lets the holder rate the
    /// service at a kiosk (numbers alone are sequential and prove nothing).
    public var ratingCode: String?
    /// True when the card holder already held this pending ticket at the service: the kiosk offers 补打 (reprint)
    /// instead of a second number. Absent on a fresh ticket.
    public var existing: Bool?

    public init(id: String, number: String, service: ServiceRef, issuedAt: Date, hallDay: String, priority: PriorityKind?,
                waitingAhead: Int, estimatedWaitMinutes: Int, token: String, lookupUrl: String, ratingCode: String? = nil) {
        self.id = id
        self.number = number
        self.service = service
        self.issuedAt = issuedAt
        self.hallDay = hallDay
        self.priority = priority
        self.waitingAhead = waitingAhead
        self.estimatedWaitMinutes = estimatedWaitMinutes
        self.token = token
        self.lookupUrl = lookupUrl
        self.ratingCode = ratingCode
    }
}

/// Where a ticket is in its life: waiting → called → serving → completed | noShow;
/// waiting → expired when its hall day ended before it was called.
public enum TicketStatus: String, Codable, Hashable, Sendable, CaseIterable {
    case waiting
    case called
    case serving
    case completed
    case noShow
    /// 未办理: the ticket was still waiting when its hall day ended; it will never be called.
    /// Kiosks older than this status cannot decode it (they show their generic lookup failure).
    case expired
}

/// Whether and how a ticket can be rated now.
public struct TicketRatingState: Codable, Hashable, Sendable {
    /// True when the service is completed, recent enough, and has no first rating yet (active or system default).
    public var canRate: Bool
    /// True when an active rating exists.
    public var rated: Bool
    public init(canRate: Bool, rated: Bool) {
        self.canRate = canRate
        self.rated = rated
    }
}

/// `GET /api/v1/tickets/{token}` and `GET /api/v1/tickets?number=`: a ticket's progress.
public struct TicketProgress: Codable, Hashable, Sendable {
    public var id: String
    public var number: String
    public var service: ServiceRef
    public var status: TicketStatus
    public var hallDay: String
    public var issuedAt: Date
    public var priority: PriorityKind?
    /// People before this ticket; only while waiting.
    public var waitingAhead: Int?
    /// Estimated minutes until called; only while waiting.
    public var estimatedWaitMinutes: Int?
    /// The window that called or served the ticket.
    public var window: WindowRef?
    /// Who served the ticket (for the rating screens), once called.
    public var staff: StaffSummary?
    public var calledAt: Date?
    public var completedAt: Date?
    public var rating: TicketRatingState
    /// The ticket's 4-digit rating code; only in answers that already needed the ticket's token (the phone page),
    /// never in a lookup by number.
    public var ratingCode: String?
    /// How often the window recalled (重呼) the ticket; only while it is called.
    public var recallCount: Int?
    /// The service the ticket was taken for, when a window transferred it to another one (`service`): "已转至…".
    public var transferredFrom: ServiceRef?
    /// True while waiting after a window put it back in the queue (过号重排, or the clerk signed out before serving it).
    public var requeued: Bool?

    public init(id: String, number: String, service: ServiceRef, status: TicketStatus, hallDay: String, issuedAt: Date,
                priority: PriorityKind?, waitingAhead: Int?, estimatedWaitMinutes: Int?, window: WindowRef?,
                staff: StaffSummary?, calledAt: Date?, completedAt: Date?, rating: TicketRatingState, ratingCode: String? = nil) {
        self.id = id
        self.number = number
        self.service = service
        self.status = status
        self.hallDay = hallDay
        self.issuedAt = issuedAt
        self.priority = priority
        self.waitingAhead = waitingAhead
        self.estimatedWaitMinutes = estimatedWaitMinutes
        self.window = window
        self.staff = staff
        self.calledAt = calledAt
        self.completedAt = completedAt
        self.rating = rating
        self.ratingCode = ratingCode
    }
}
