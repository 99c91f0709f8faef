import Foundation
import HallAPI

/// Which `ratedAt` the server stores, and whether it replaced the one the client sent.
///
/// A device rates offline-first: its outbox may deliver hours later, so its own clock is the best witness of when
/// the citizen rated — as long as that time is possible. A time before the service was completed, or ahead of the
/// server's clock by more than `skew`, is not: the server keeps the rating (never drop a citizen's rating) but
/// stores its own time (`receivedAt`, the latest moment the rating can have been made) and flags it
/// `ratedAtAdjusted`, keeping the claim in `claimedRatedAt`. The phone page posts at once from a phone whose clock
/// the hall does not know, so a phone rating is always stored at the server's time (flagged when the claim was off
/// by more than `skew`). Ratings made long after the service are flagged `late` by the caller as before.
struct RatedAtCheck {
    /// Clock difference tolerated between a device and the server.
    static let skew: TimeInterval = 120

    var ratedAt: Date
    var adjusted: Bool

    static func decide(claimed: Date?, channel: RatingChannel, completedAt: Date, now: Date) -> RatedAtCheck {
        guard let claimed else { return RatedAtCheck(ratedAt: now, adjusted: false) }
        if channel == .phoneQr {
            return RatedAtCheck(ratedAt: now, adjusted: abs(claimed.timeIntervalSince(now)) > skew)
        }
        let beforeService = claimed < completedAt.addingTimeInterval(-skew)
        let inFuture = claimed > now.addingTimeInterval(skew)
        if beforeService || inFuture { return RatedAtCheck(ratedAt: now, adjusted: true) }
        return RatedAtCheck(ratedAt: claimed, adjusted: false)
    }
}

extension HallDesk {
    /// Only a window's rating device may record `systemDefault` (the hall's rule for a prompt that timed out, on
    /// its own `windowDevice` channel); a phone or a kiosk choosing it would pass off a rating as counted apart.
    static func checkSourceAllowed(_ source: RatingSource, channel: RatingChannel, submitter: RatingSubmitter) throws {
        guard source == .systemDefault else { return }
        if case .device(let d) = submitter, d.role == .ratingDevice, channel == .windowDevice { return }
        throw HallError(.sourceNotAllowed,
                        "source systemDefault is recorded only by a window's rating device after an unanswered prompt; "
                            + "send source active (or leave it out)")
    }
}
