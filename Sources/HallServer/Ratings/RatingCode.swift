import Crypto
import Foundation

/// The 4-digit rating code (评价码) printed on a ticket next to its number and shown on its phone page.
///
/// Numbers are sequential, so a number alone does not prove that whoever types it at a kiosk holds the
/// ticket. The code is derived from the ticket's secret token (HMAC-SHA256 keyed by the token), so only
/// the ticket, its QR code and its phone page carry it; the server keeps nothing new. Ten thousand codes
/// are few, so wrong codes are counted per device (`WrongCodeLimiter`).
enum RatingCode {
    /// Digits in a code.
    static let digits = 4

    /// The code of the ticket with this token, e.g. `"0427"`.
    static func of(token: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("hallkiosk rating code v1".utf8),
                                                  using: SymmetricKey(data: Data(token.utf8)))
        let value = Array(mac).prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let digits = String(value % 10_000)
        return String(repeating: "0", count: Self.digits - digits.count) + digits
    }

    /// True when `typed` is this token's code (exactly four ASCII digits, compared without an early exit).
    static func matches(_ typed: String, token: String) -> Bool {
        let wanted = Array(of(token: token).utf8)
        let given = Array(typed.utf8)
        guard given.count == wanted.count else { return false }
        return zip(given, wanted).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Counts wrong rating codes per device: a burst of `burst` wrong codes, then one more every
/// `3600 / perHour` seconds. Keyed only by configured device ids, so the table cannot grow.
///
/// With the defaults (5 at once, 10 an hour) trying all 10 000 codes of one ticket from one kiosk takes
/// about 1 000 hours, far beyond the `ratableForDays` a ticket can be rated; honest typos (a few an hour
/// at a busy kiosk) never reach it.
final class WrongCodeLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var buckets: [String: (tokens: Double, at: Date)] = [:]
    let burst: Double
    let perHour: Double

    init(burst: Int = 5, perHour: Int = 10) {
        self.burst = Double(burst)
        self.perHour = Double(perHour)
    }

    /// Seconds until `deviceId` may try another code, or nil when it may try now.
    func lockedFor(_ deviceId: String, now: Date) -> TimeInterval? {
        lock.withLock {
            let tokens = refilled(deviceId, now: now)
            return tokens >= 1 ? nil : (1 - tokens) * 3600 / perHour
        }
    }

    /// A wrong code from `deviceId`.
    func recordWrongCode(_ deviceId: String, now: Date) {
        lock.withLock { buckets[deviceId] = (max(0, refilled(deviceId, now: now) - 1), now) }
    }

    private func refilled(_ deviceId: String, now: Date) -> Double {
        guard let bucket = buckets[deviceId] else { return burst }
        return min(burst, bucket.tokens + max(0, now.timeIntervalSince(bucket.at)) * perHour / 3600)
    }
}
