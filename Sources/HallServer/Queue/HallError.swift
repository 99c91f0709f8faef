import HallAPI

/// An answer the hall server gives instead of a result: HTTP status, stable code, a sentence.
public struct HallError: Error, Sendable, CustomStringConvertible {
    public var httpStatus: Int
    public var code: String
    public var message: String
    /// Extra JSON-encodable payload to answer with instead of the plain error body (409 with the existing rating).
    public var existingRating: RatingRecord?
    /// Seconds for a `Retry-After` header (429, 503).
    public var retryAfterSeconds: Int?

    public init(_ status: Int, _ code: String, _ message: String, existingRating: RatingRecord? = nil, retryAfterSeconds: Int? = nil) {
        self.httpStatus = status
        self.code = code
        self.message = message
        self.existingRating = existingRating
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(httpStatus) \(code): \(message)" }
}
