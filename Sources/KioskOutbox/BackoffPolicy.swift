import Foundation

/// When to try again after failed deliveries: exponential backoff with full jitter
/// ("Exponential Backoff And Jitter", AWS Architecture Blog), never sooner than `Retry-After`.
///
/// `delay = max(minimum, u × min(cap, base × 2^(failures−1)))`, `u` uniform in [0, 1);
/// with a `Retry-After` of `r` seconds: `max(delay, min(r, maxRetryAfter))`.
/// Defaults: base 1 s, cap 300 s, minimum 0.25 s, `Retry-After` honoured up to 1 hour.
public struct BackoffPolicy: Sendable, Hashable {
    /// Ceiling of the first retry's delay, seconds.
    public var base: Double
    /// Largest ceiling, seconds (the delay never exceeds it unless the server asks with `Retry-After`).
    public var cap: Double
    /// Smallest delay, seconds (full jitter may draw 0; this keeps a dead server from being hammered).
    public var minimum: Double
    /// Longest `Retry-After` honoured, seconds (a server asking for days is clamped).
    public var maxRetryAfter: Double

    public init(base: Double = 1, cap: Double = 300, minimum: Double = 0.25, maxRetryAfter: Double = 3600) {
        self.base = base
        self.cap = cap
        self.minimum = minimum
        self.maxRetryAfter = maxRetryAfter
    }

    /// The longest wait this policy ever chooses, seconds (`Retry-After` included).
    public var longestDelay: Double { max(cap, minimum, maxRetryAfter) }

    /// The ceiling of the random delay after `failures` consecutive failures (≥ 1).
    public func ceiling(failures: Int) -> Double {
        let exponent = Double(min(max(failures, 1) - 1, 60))
        return min(cap, base * pow(2, exponent))
    }

    /// Seconds to wait after `failures` consecutive failures (≥ 1), `unit` being a uniform random
    /// number in [0, 1) and `retryAfter` the server's `Retry-After` in seconds, if any.
    public func delay(failures: Int, retryAfter: Double? = nil, unit: Double) -> Double {
        let u = min(max(unit, 0), 1)
        var d = max(minimum, u * ceiling(failures: failures))
        if let r = retryAfter, r.isFinite { d = max(d, min(max(r, 0), maxRetryAfter)) }
        return d
    }
}
