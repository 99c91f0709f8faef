import Foundation
import HallAPI

/// One citizen's intent to take a number: one idempotency key, reused by every retry.
public struct IssuingIntent: Hashable, Sendable {
    public var serviceId: String
    /// The `Idempotency-Key` of this intent.
    public var intentKey: String
    /// How many requests were sent under this key.
    public var attempts: Int
    /// When the intent started (monotonic clock, for the give-up deadline).
    public var startedAt: Uptime
    /// Set when the last attempt failed and the citizen must choose (retry or go home).
    public var failure: IssueFailure?
    /// Where home was when the citizen touched the service (to come back to the same tab).
    public var returnPosition: HomePosition
    /// The priority lane (绿色通道) the citizen chose, sent with every attempt.
    public var priority: PriorityKind?

    public init(serviceId: String, intentKey: String, attempts: Int = 1, startedAt: Uptime, failure: IssueFailure? = nil,
                returnPosition: HomePosition = HomePosition(), priority: PriorityKind? = nil) {
        self.priority = priority
        self.serviceId = serviceId
        self.intentKey = intentKey
        self.attempts = attempts
        self.startedAt = startedAt
        self.failure = failure
        self.returnPosition = returnPosition
    }
}

/// Why a number could not be taken.
public struct IssueFailure: Hashable, Sendable {
    public var kind: IssueFailureKind
    /// Technical detail for logs; never shown as is.
    public var message: String
    public init(kind: IssueFailureKind, message: String) {
        self.kind = kind
        self.message = message
    }
}

/// The kinds of ticket-issuing failures the citizen is told about.
public enum IssueFailureKind: String, Hashable, Sendable {
    case serviceClosed
    case paused
    case quotaReached
    /// No answer or a transport error: retrying under the same key is safe.
    case network
    case other
}
