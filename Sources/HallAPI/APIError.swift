/// The body of every error answer: `{"error": {"code": "...", "message": "..."}}`.
public struct APIErrorBody: Codable, Hashable, Sendable, Error {
    public struct Detail: Codable, Hashable, Sendable {
        /// A stable machine-readable code, e.g. `quotaReached`.
        public var code: String
        /// A sentence for the person reading logs: what was wrong and how to fix it.
        public var message: String
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }
    public var error: Detail

    public init(code: String, message: String) {
        self.error = Detail(code: code, message: message)
    }
}

/// Error codes the hall server answers with. Clients match on these, never on messages.
public enum APIErrorCode {
    public static let badRequest = "badRequest"
    public static let methodNotAllowed = "methodNotAllowed"
    public static let unsupportedMediaType = "unsupportedMediaType"
    public static let malformedJSON = "malformedJSON"
    public static let bodyTooLarge = "bodyTooLarge"
    public static let missingIdempotencyKey = "missingIdempotencyKey"
    public static let idempotencyKeyReused = "idempotencyKeyReused"
    public static let unauthorized = "unauthorized"
    public static let forbidden = "forbidden"
    public static let notFound = "notFound"
    public static let unknownService = "unknownService"
    public static let unknownWindow = "unknownWindow"
    public static let unknownTicket = "unknownTicket"
    public static let serviceClosed = "serviceClosed"
    public static let servicePaused = "servicePaused"
    public static let quotaReached = "quotaReached"
    public static let numbersExhausted = "numbersExhausted"
    public static let invalidTransition = "invalidTransition"
    public static let windowBusy = "windowBusy"
    public static let serviceNotAtWindow = "serviceNotAtWindow"
    public static let loginFailed = "loginFailed"
    public static let tooManyAttempts = "tooManyAttempts"
    public static let ticketNotCompleted = "ticketNotCompleted"
    public static let alreadyRated = "alreadyRated"
    public static let reasonRequired = "reasonRequired"
    public static let unknownLevel = "unknownLevel"
    public static let unknownReason = "unknownReason"
    public static let invalidRating = "invalidRating"
    public static let followUpNotAllowed = "followUpNotAllowed"
    /// A kiosk rating by ticket number without the ticket's rating code (or the QR token).
    public static let ratingCodeRequired = "ratingCodeRequired"
    /// The rating code does not belong to this ticket.
    public static let wrongRatingCode = "wrongRatingCode"
    /// Too many wrong rating codes from this device; 429 with `Retry-After`.
    public static let tooManyWrongCodes = "tooManyWrongCodes"
    /// A client claimed a rating source only the server or a window's rating device may set.
    public static let sourceNotAllowed = "sourceNotAllowed"
    /// The hall server's clock looks wrong (it went back, or jumped while running); no numbers are issued.
    public static let implausibleClock = "implausibleClock"
    public static let ratingWindowExpired = "ratingWindowExpired"
    public static let rateLimited = "rateLimited"
    /// 503 with `Retry-After`: the disk under the hall server's database is full; nothing was written.
    /// The server recovers by itself once space is freed (see `/healthz`).
    public static let diskFull = "diskFull"
    public static let internalError = "internalError"
}
