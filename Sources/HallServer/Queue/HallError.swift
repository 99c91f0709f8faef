import Foundation
import HallAPI

/// An answer the hall server gives instead of a result: a stable code (which knows its HTTP status) and a sentence.
/// The rules throw these; the HTTP layer answers them (`HallErrorMiddleware`).
public struct HallError: Error, Sendable, CustomStringConvertible {
    /// The stable code.
    public var kind: APIErrorKind
    /// The HTTP status answered: the code's own (`APIErrorKind.httpStatus`) unless `answered(with:)` set another.
    public var httpStatus: Int
    public var message: String
    /// Extra JSON-encodable payload to answer with instead of the plain error body (409 with the existing rating).
    public var existingRating: RatingRecord?
    /// Seconds for a `Retry-After` header (429 and 503 answers); nil sends none.
    public var retryAfterSeconds: Int?
    /// Who is signed in at the window a login would take over (409 `windowBusy`, answered as `WindowOccupiedBody`).
    public var signedIn: WindowOccupant?
    /// The moment the refusal refers to (`APIErrorBody.Detail.at`: when check-in opens, when a ban ends …); nil: none.
    public var at: Date? = nil

    public init(_ kind: APIErrorKind, _ message: String, existingRating: RatingRecord? = nil, retryAfterSeconds: Int? = nil) {
        self.kind = kind
        self.httpStatus = kind.httpStatus
        self.message = message
        self.existingRating = existingRating
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The same error naming the moment it refers to (`at` in the JSON body).
    public func at(_ moment: Date) -> HallError {
        var copy = self
        copy.at = moment
        return copy
    }

    /// The code as the JSON error body carries it.
    public var code: String { kind.rawValue }

    /// The same error with a `Retry-After` of `seconds` (rounded up, at least 1).
    public func retryAfter(_ seconds: Double) -> HallError {
        var copy = self
        copy.retryAfterSeconds = max(1, Int(seconds.rounded(.up)))
        return copy
    }

    /// The same error answered with `status` instead of its code's own (a `badRequest` about the resource, 422).
    public func answered(with status: Int) -> HallError {
        var copy = self
        copy.httpStatus = status
        return copy
    }

    public var description: String { "\(httpStatus) \(code): \(message)" }
}
