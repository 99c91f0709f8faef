import Foundation
import HallAPI

/// The check-in screen (预约签到 / 身份证取号): a card was placed, a booking QR scanned or a booking code typed.
/// The card holder, if any, lives only here: leaving the screen forgets them.
public struct CheckinScreen: Hashable, Sendable {
    /// Whose card is on the reader; nil for a booking code flow and after an unreadable card.
    public var card: CardHolder?
    public var phase: CheckinPhase
    /// When the current request started (monotonic clock), for its timeout.
    public var requestStartedAt: Uptime

    public init(card: CardHolder?, phase: CheckinPhase, requestStartedAt: Uptime) {
        self.card = card
        self.phase = phase
        self.requestStartedAt = requestStartedAt
    }

    /// The key of the request under way (lookup, check-in or ticket), if any.
    public var pendingKey: String? {
        switch phase {
        case .lookingUp(let key): key
        case .submitting(let key, _): key
        case .offer, .keypad, .refused: nil
        }
    }
}

/// Where a check-in stands.
public enum CheckinPhase: Hashable, Sendable {
    /// The card was read; asking the hall server what there is for this person today (`requestKey`).
    case lookingUp(requestKey: String)
    /// What the card holder may do: their appointment, their pending tickets (补打), the services open to them.
    case offer(CheckinOffer)
    /// Typing a booking code on the keypad.
    case keypad(entry: String)
    /// A check-in or a ticket request is under way under `intentKey` (reused by nothing else).
    case submitting(intentKey: String, CheckinSubmission)
    /// Refused, with the reason; `retry` says whether the booking code keypad is offered again.
    case refused(CheckinRefusal)
}

/// What the card lookup offered, and which page of the services is shown.
public struct CheckinOffer: Hashable, Sendable {
    public var lookup: CardLookup
    /// Page of the services list.
    public var page: Int

    public init(lookup: CardLookup, page: Int = 0) {
        self.lookup = lookup
        self.page = page
    }

    /// The appointment to highlight: today's booked one (the earliest), else none.
    public var appointment: AppointmentSummary? {
        lookup.appointments.first { $0.status == .booked }
    }
}

/// What is being submitted.
public enum CheckinSubmission: Hashable, Sendable {
    /// `POST /api/v1/checkins` with a booking code (QR or keypad).
    case bookingCode(String)
    /// `POST /api/v1/checkins` with the card holder's number and the appointment they chose.
    case appointment(id: String)
    /// `POST /api/v1/tickets` with the card holder's number (walk-in).
    case walkIn(serviceId: String)
}

/// Why a check-in or a card walk-in was refused, as the citizen is told.
public enum CheckinRefusal: Hashable, Sendable {
    /// Check-in opens at `opensAt` ("请于 9:30 后签到").
    case tooEarly(opensAt: Date?)
    /// Past the check-in window; the hall refuses late arrivals.
    case tooLate
    /// New bookings blocked after no-shows, until `until`.
    case banned(until: Date?)
    /// The person's daily limit at this service is reached.
    case dailyLimit
    /// The service takes numbers only with an ID card (a booking code or no card was used).
    case idCardRequired
    /// The card could not be read, or its number is not valid: place it again, flat.
    case placeCardAgain
    /// A card the kiosk cannot use (another document, a broken text block): go to a counter.
    case cardNotAccepted
    /// No appointment with this booking code today.
    case unknownBookingCode
    /// The appointment was cancelled.
    case cancelled
    /// The appointment's slot was missed.
    case missed
    /// The service is closed, paused or out of numbers now.
    case serviceUnavailable
    /// The hall server cannot be reached: nothing is kept or queued on the kiosk.
    case offline
    /// The hall server has no identity key: card features are off there.
    case identityUnavailable
    /// Anything else: ask at the desk.
    case other

    /// A stable name for logs and the event stream (`tooEarly`, `offline` …), without the moment.
    public var name: String {
        switch self {
        case .tooEarly: "tooEarly"
        case .tooLate: "tooLate"
        case .banned: "banned"
        case .dailyLimit: "dailyLimit"
        case .idCardRequired: "idCardRequired"
        case .placeCardAgain: "placeCardAgain"
        case .cardNotAccepted: "cardNotAccepted"
        case .unknownBookingCode: "unknownBookingCode"
        case .cancelled: "cancelled"
        case .missed: "missed"
        case .serviceUnavailable: "serviceUnavailable"
        case .offline: "offline"
        case .identityUnavailable: "identityUnavailable"
        case .other: "other"
        }
    }

    /// The refusal for an error code of the hall API (`APIErrorKind` raw value) and its moment (`error.at`); `nil` code
    /// (no answer) is `offline`.
    public init(apiErrorCode code: String?, at: Date? = nil) {
        guard let code else { self = .offline; return }
        switch APIErrorKind(rawValue: code) {
        case .checkinTooEarly: self = .tooEarly(opensAt: at)
        case .checkinTooLate: self = .tooLate
        case .bookingBanned: self = .banned(until: at)
        case .personDailyLimitReached: self = .dailyLimit
        case .idCardRequired: self = .idCardRequired
        case .invalidIDNumber: self = .placeCardAgain
        case .appointmentNotFound: self = .unknownBookingCode
        case .appointmentCancelled: self = .cancelled
        case .appointmentMissed: self = .missed
        case .serviceClosed, .servicePaused, .quotaReached, .numbersExhausted: self = .serviceUnavailable
        case .identityUnavailable: self = .identityUnavailable
        case .internalError, .rateLimited, .databaseUnavailable, .diskFull: self = .offline
        default: self = .other
        }
    }
}

/// A refused check-in or card request as the HTTP adapter reports it.
public struct CheckinFailure: Hashable, Sendable {
    public var refusal: CheckinRefusal
    /// For logs: the API's code and message (never personal data: the server answers none).
    public var message: String

    public init(refusal: CheckinRefusal, message: String) {
        self.refusal = refusal
        self.message = message
    }
}
