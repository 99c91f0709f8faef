import HallAPI

extension IssueFailureKind {
    /// How the HTTP adapter classifies a failed `POST /api/v1/tickets`: by the error body's
    /// code (`APIErrorCode`), or `nil` when no answer came (transport error, timeout, 5xx
    /// without a body) — those are `network` and safe to retry under the same key.
    public init(apiErrorCode code: String?) {
        switch code {
        case nil, APIErrorCode.internalError?, APIErrorCode.rateLimited?:
            self = .network
        case APIErrorCode.serviceClosed?:
            self = .serviceClosed
        case APIErrorCode.servicePaused?:
            self = .paused
        case APIErrorCode.quotaReached?, APIErrorCode.numbersExhausted?:
            self = .quotaReached
        default:
            self = .other
        }
    }
}

extension LookupFailureKind {
    /// How the HTTP adapter classifies a failed ticket lookup: `unknownTicket` / `notFound`
    /// mean no such ticket today; no answer at all is `network`.
    public init(apiErrorCode code: String?) {
        switch code {
        case nil, APIErrorCode.internalError?, APIErrorCode.rateLimited?:
            self = .network
        case APIErrorCode.unknownTicket?, APIErrorCode.notFound?, APIErrorCode.badRequest?:
            self = .notFound
        case APIErrorCode.wrongRatingCode?, APIErrorCode.ratingCodeRequired?:
            self = .wrongCode
        case APIErrorCode.tooManyWrongCodes?:
            self = .tooManyWrongCodes
        default:
            self = .other
        }
    }
}
