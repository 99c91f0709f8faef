import HallAPI
import KioskHTTP

/// Whatever delivers one rating to the hall server. `HallClient` is the real one; tests may wrap it
/// (e.g. to lose an answer on purpose) but never replace the server.
public protocol RatingPoster: Sendable {
    /// Posts the rating with its `ratingId` as the `Idempotency-Key`; never throws.
    func submitRating(_ submission: RatingSubmission) async -> RatingDelivery
}

extension HallClient: RatingPoster {}
