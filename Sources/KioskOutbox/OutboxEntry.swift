import Foundation
import HallAPI

/// Where a rating stands in the outbox.
public enum OutboxState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Stored locally, not yet confirmed by the hall server. Counted in the heartbeat's `outboxDepth`.
    case pending
    /// The hall server holds it.
    case delivered
    /// The hall server refused it for good (422 …); kept with the error for the admin screen.
    case rejected
    /// The ticket already had a different rating on the server (rated elsewhere); kept for the admin screen.
    case conflict
}

/// The answer to `RatingOutbox.store(_:)`.
public struct StoredRating: Sendable, Hashable {
    /// The rating's id (also its `Idempotency-Key`).
    public var ratingId: String
    /// When it was first stored (device clock).
    public var storedAt: Date
    /// True when the same rating (same `ratingId`, same content) was already stored — e.g. a double tap.
    /// Nothing was written again.
    public var wasAlreadyStored: Bool
}

/// One rating in the outbox, as the admin screen shows it.
public struct OutboxEntry: Sendable, Hashable {
    /// The rating's id (also its `Idempotency-Key`).
    public var ratingId: String
    /// The rating as the citizen submitted it.
    public var submission: RatingSubmission
    public var state: OutboxState
    /// When it was stored on the device (device clock).
    public var storedAt: Date
    /// Delivery attempts so far.
    public var attempts: Int
    /// When the last delivery attempt finished.
    public var lastAttemptAt: Date?
    /// Earliest next attempt (pending only).
    public var nextAttemptAt: Date?
    /// For `rejected`: `"<status> <code>: <message>"`; for `conflict`: the server's message;
    /// for `pending`: why the last attempt did not deliver.
    public var lastError: String?
    /// For `delivered`: the server's record; for `conflict`: the rating the server already held.
    public var serverRecord: RatingRecord?
    /// When the rating reached a final state.
    public var finishedAt: Date?
}

/// Counts for the heartbeat, the admin screen and the UI.
public struct OutboxStatus: Sendable, Hashable {
    /// Ratings stored and not yet delivered (heartbeat `outboxDepth`).
    public var pending: Int
    /// Ratings the server refused for good.
    public var rejected: Int
    /// Ratings not delivered because the ticket was already rated elsewhere.
    public var conflicts: Int
    /// Ratings delivered and still kept locally (pruned after `RatingOutbox.deliveredRetention`).
    public var delivered: Int
    /// Why the last delivery attempt failed, while ratings are pending (nil once all are delivered).
    public var lastError: String?
    /// When the sender tries next (nil when nothing is pending or it is sending now).
    public var nextAttemptAt: Date?
    /// When a rating was last delivered (this process's life).
    public var lastDeliveredAt: Date?

    /// The heartbeat's `outboxRejected`: ratings held back for the admin (rejected + conflicts).
    public var heldForAdmin: Int { rejected + conflicts }

    public init(pending: Int = 0, rejected: Int = 0, conflicts: Int = 0, delivered: Int = 0, lastError: String? = nil,
                nextAttemptAt: Date? = nil, lastDeliveredAt: Date? = nil) {
        self.pending = pending
        self.rejected = rejected
        self.conflicts = conflicts
        self.delivered = delivered
        self.lastError = lastError
        self.nextAttemptAt = nextAttemptAt
        self.lastDeliveredAt = lastDeliveredAt
    }
}
