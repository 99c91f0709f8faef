import Foundation

/// The body of every error answer: `{"error": {"code": "...", "message": "..."}}`.
public struct APIErrorBody: Codable, Hashable, Sendable, Error {
    public struct Detail: Codable, Hashable, Sendable {
        /// A stable machine-readable code, e.g. `quotaReached`.
        public var code: String
        /// A sentence for the person reading logs: what was wrong and how to fix it.
        public var message: String
        /// The moment the refusal refers to, when it has one: when check-in opens (`checkinTooEarly`),
        /// when a booking ban ends (`bookingBanned`).
        public var at: Date?
        public init(code: String, message: String, at: Date? = nil) {
            self.code = code
            self.message = message
            self.at = at
        }
    }
    public var error: Detail

    public init(code: String, message: String, at: Date? = nil) {
        self.error = Detail(code: code, message: message, at: at)
    }
}

/// The stable error codes of the hall server's API, each with the HTTP status it is answered with.
/// The raw value is the `code` of the JSON error body; clients match on it, never on messages.
public enum APIErrorKind: String, Codable, Hashable, Sendable, CaseIterable {
    case badRequest
    case methodNotAllowed
    case unsupportedMediaType
    case malformedJSON
    case bodyTooLarge
    case missingIdempotencyKey
    case idempotencyKeyReused
    case unauthorized
    case forbidden
    case notFound
    case unknownService
    case unknownWindow
    case unknownTicket
    case serviceClosed
    case servicePaused
    case quotaReached
    case numbersExhausted
    case invalidTransition
    /// A recall (重呼) over the hall's limit (`[calling] recallLimit`): mark the ticket no-show or serve it.
    case recallLimitReached
    case windowBusy
    case serviceNotAtWindow
    case loginFailed
    case tooManyAttempts
    case ticketNotCompleted
    case alreadyRated
    case reasonRequired
    case unknownLevel
    case unknownReason
    case invalidRating
    case followUpNotAllowed
    /// A kiosk rating by ticket number without the ticket's rating code (or the QR token).
    case ratingCodeRequired
    /// The rating code does not belong to this ticket.
    case wrongRatingCode
    /// Too many wrong rating codes from this device; 429 with `Retry-After`.
    case tooManyWrongCodes
    /// A client claimed a rating source only the server or a window's rating device may set.
    case sourceNotAllowed
    /// The hall server's clock looks wrong (it went back, or jumped while running); no numbers are issued.
    case implausibleClock
    case ratingWindowExpired
    case rateLimited
    /// 503 with `Retry-After`: the disk under the hall server's database is full; nothing was written.
    /// The server recovers by itself once space is freed (see `/healthz`).
    case diskFull
    case internalError
    /// 503 with `Retry-After`: the hall server's database server cannot be reached or lost the connection;
    /// nothing was written. The server reconnects by itself.
    case databaseUnavailable
    /// The ID number fails GB 11643 (length, characters or check digit).
    case invalidIDNumber
    /// The service takes numbers only with an ID card (`[services.x] requiresIdCard`).
    case idCardRequired
    /// The person already took the service's daily limit of numbers (`[services.x] dailyLimitPerPerson`).
    case personDailyLimitReached
    /// No appointment with this booking code / id for this person.
    case appointmentNotFound
    /// The appointment was cancelled.
    case appointmentCancelled
    /// The appointment's slot was missed (no-show).
    case appointmentMissed
    /// Too early to check in: `error.at` says when check-in opens.
    case checkinTooEarly
    /// Too late to check in, and the hall refuses late arrivals.
    case checkinTooLate
    /// New bookings are blocked after repeated no-shows: `error.at` says until when.
    case bookingBanned
    /// The time slot is full.
    case slotFull
    /// The person already has a booking that day (`[appointments] perPersonPerDay`).
    case bookingLimitReached
    /// The day is outside the booking horizon, or not a working day.
    case bookingOutOfRange
    /// Too late to cancel (`[appointments] cancelBeforeMinutes`).
    case cancelTooLate
    /// The hall server has no identity key (`[identity] keyFile`); card and appointment features are off.
    case identityUnavailable

    /// The HTTP status this code is answered with.
    public var httpStatus: Int {
        switch self {
        case .badRequest, .malformedJSON, .missingIdempotencyKey: 400
        case .unauthorized, .loginFailed: 401
        case .forbidden, .serviceNotAtWindow, .ratingCodeRequired, .wrongRatingCode, .idCardRequired, .bookingBanned: 403
        case .notFound, .unknownService, .unknownWindow, .unknownTicket, .appointmentNotFound: 404
        case .methodNotAllowed: 405
        case .serviceClosed, .servicePaused, .quotaReached, .numbersExhausted, .invalidTransition, .recallLimitReached, .windowBusy, .alreadyRated,
             .personDailyLimitReached, .appointmentCancelled, .appointmentMissed, .checkinTooEarly, .checkinTooLate, .slotFull,
             .bookingLimitReached, .cancelTooLate: 409
        case .bodyTooLarge: 413
        case .unsupportedMediaType: 415
        case .idempotencyKeyReused, .ticketNotCompleted, .reasonRequired, .unknownLevel, .unknownReason, .invalidRating,
             .followUpNotAllowed, .sourceNotAllowed, .ratingWindowExpired, .invalidIDNumber, .bookingOutOfRange: 422
        case .tooManyAttempts, .tooManyWrongCodes, .rateLimited: 429
        case .internalError: 500
        case .implausibleClock, .diskFull, .databaseUnavailable, .identityUnavailable: 503
        }
    }
}

/// The error codes as strings (`APIErrorKind`'s raw values), for clients that match the `code` of an error body.
public enum APIErrorCode {
    public static let badRequest = APIErrorKind.badRequest.rawValue
    public static let methodNotAllowed = APIErrorKind.methodNotAllowed.rawValue
    public static let unsupportedMediaType = APIErrorKind.unsupportedMediaType.rawValue
    public static let malformedJSON = APIErrorKind.malformedJSON.rawValue
    public static let bodyTooLarge = APIErrorKind.bodyTooLarge.rawValue
    public static let missingIdempotencyKey = APIErrorKind.missingIdempotencyKey.rawValue
    public static let idempotencyKeyReused = APIErrorKind.idempotencyKeyReused.rawValue
    public static let unauthorized = APIErrorKind.unauthorized.rawValue
    public static let forbidden = APIErrorKind.forbidden.rawValue
    public static let notFound = APIErrorKind.notFound.rawValue
    public static let unknownService = APIErrorKind.unknownService.rawValue
    public static let unknownWindow = APIErrorKind.unknownWindow.rawValue
    public static let unknownTicket = APIErrorKind.unknownTicket.rawValue
    public static let serviceClosed = APIErrorKind.serviceClosed.rawValue
    public static let servicePaused = APIErrorKind.servicePaused.rawValue
    public static let quotaReached = APIErrorKind.quotaReached.rawValue
    public static let numbersExhausted = APIErrorKind.numbersExhausted.rawValue
    public static let invalidTransition = APIErrorKind.invalidTransition.rawValue
    public static let windowBusy = APIErrorKind.windowBusy.rawValue
    public static let serviceNotAtWindow = APIErrorKind.serviceNotAtWindow.rawValue
    public static let loginFailed = APIErrorKind.loginFailed.rawValue
    public static let tooManyAttempts = APIErrorKind.tooManyAttempts.rawValue
    public static let ticketNotCompleted = APIErrorKind.ticketNotCompleted.rawValue
    public static let alreadyRated = APIErrorKind.alreadyRated.rawValue
    public static let reasonRequired = APIErrorKind.reasonRequired.rawValue
    public static let unknownLevel = APIErrorKind.unknownLevel.rawValue
    public static let unknownReason = APIErrorKind.unknownReason.rawValue
    public static let invalidRating = APIErrorKind.invalidRating.rawValue
    public static let followUpNotAllowed = APIErrorKind.followUpNotAllowed.rawValue
    public static let ratingCodeRequired = APIErrorKind.ratingCodeRequired.rawValue
    public static let wrongRatingCode = APIErrorKind.wrongRatingCode.rawValue
    public static let tooManyWrongCodes = APIErrorKind.tooManyWrongCodes.rawValue
    public static let sourceNotAllowed = APIErrorKind.sourceNotAllowed.rawValue
    public static let implausibleClock = APIErrorKind.implausibleClock.rawValue
    public static let ratingWindowExpired = APIErrorKind.ratingWindowExpired.rawValue
    public static let rateLimited = APIErrorKind.rateLimited.rawValue
    public static let diskFull = APIErrorKind.diskFull.rawValue
    public static let internalError = APIErrorKind.internalError.rawValue
    public static let databaseUnavailable = APIErrorKind.databaseUnavailable.rawValue
}
