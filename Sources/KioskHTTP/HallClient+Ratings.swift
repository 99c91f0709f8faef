import AsyncHTTPClient
import Foundation
import HallAPI
import NIOHTTP1

/// What became of one `POST /api/v1/ratings`. The rating outbox acts on it: `delivered` and
/// `conflict` and `rejected` are final, `retryLater` keeps the rating pending.
public enum RatingDelivery: Sendable, Hashable {
    /// The server holds this rating: stored now (201), replayed under the same `ratingId` (200), or a
    /// 409 `alreadyRated` whose stored rating is this one (same `ratingId`, or the same content sent
    /// again under a new id).
    case delivered(RatingRecord)
    /// 409 `alreadyRated` with a *different* rating: the ticket was rated elsewhere (another channel or
    /// device). Final — never retried; kept for the admin screen with the stored rating.
    case conflict(existing: RatingRecord, message: String)
    /// The server refused the rating for good (422 and other 4xx that cannot succeed later, e.g.
    /// `reasonRequired`, `unknownTicket`). Final — kept for the admin screen with the server's message.
    case rejected(status: Int, code: String, message: String)
    /// Not delivered this time; sending again under the same `ratingId` is safe. Network errors,
    /// timeouts, 5xx, 429, 401/403 (a token problem hall IT can fix), garbage bodies.
    /// `after` is the server's `Retry-After` in seconds, when it sent one.
    case retryLater(after: Double?, reason: String)

    /// True for the outcomes that end a rating's life in the outbox.
    public var isFinal: Bool {
        if case .retryLater = self { return false }
        return true
    }
}

extension HallClient {
    /// `POST /api/v1/ratings` with `ratingId` as the `Idempotency-Key`. Never throws: every answer
    /// (including no answer) becomes a `RatingDelivery`. Safe to call again for the same submission.
    public func submitRating(_ submission: RatingSubmission) async -> RatingDelivery {
        let answer: RawAnswer
        do {
            answer = try await exchange(HallRoutes.rate(), body: submission, headers: [("Idempotency-Key", submission.ratingId)])
        } catch {
            return .retryLater(after: nil, reason: error.description)
        }
        return Self.ratingDelivery(of: answer, for: submission)
    }

    /// Classifies the server's answer to a rating submission (pure; tested without a server).
    static func ratingDelivery(of answer: RawAnswer, for submission: RatingSubmission) -> RatingDelivery {
        let decoder = HallJSON.decoder()
        let retryAfter = answer.headers.first(name: "Retry-After").flatMap {
            RetryAfter.seconds($0, serverDate: answer.headers.first(name: "Date"))
        }
        switch answer.status {
        case 200..<300:
            guard let record = try? decoder.decode(RatingRecord.self, from: answer.body) else {
                // The server may have stored it; the same ratingId replays it next time.
                return .retryLater(after: retryAfter, reason: "HTTP \(answer.status) without a rating record; first bytes: \(preview(answer.body))")
            }
            guard record.ratingId == submission.ratingId else {
                return .retryLater(after: retryAfter, reason: "HTTP \(answer.status) answered with rating '\(record.ratingId)', not '\(submission.ratingId)'")
            }
            return .delivered(record)
        case 409:
            guard let body = try? decoder.decode(AlreadyRatedBody.self, from: answer.body) else {
                return .retryLater(after: retryAfter, reason: "HTTP 409 without the stored rating; first bytes: \(preview(answer.body))")
            }
            if body.existing.ratingId == submission.ratingId || sameContent(body.existing, submission) {
                return .delivered(body.existing)
            }
            return .conflict(existing: body.existing, message: body.error.message)
        case 403 where [APIErrorCode.wrongRatingCode, APIErrorCode.ratingCodeRequired].contains(errorCode(answer)):
            // The rating code does not prove the ticket: sending it again can never succeed.
            let body = try? decoder.decode(APIErrorBody.self, from: answer.body)
            return .rejected(status: 403, code: body?.error.code ?? "", message: body?.error.message ?? "")
        case 408, 425, 429, 500...599, 401, 403:
            let why: String
            switch failure(answer) {
            case .rejected(let status, let code, let message): why = "HTTP \(status) \(code): \(message)"
            case let other: why = other.description
            }
            return .retryLater(after: retryAfter, reason: why)
        default:
            if let body = try? decoder.decode(APIErrorBody.self, from: answer.body) {
                return .rejected(status: answer.status, code: body.error.code, message: body.error.message)
            }
            // A 4xx without the API's error body is not our server speaking (a proxy, a captive portal).
            return .retryLater(after: retryAfter, reason: "HTTP \(answer.status) without an error body; first bytes: \(preview(answer.body))")
        }
    }

    static func errorCode(_ answer: RawAnswer) -> String? {
        (try? HallJSON.decoder().decode(APIErrorBody.self, from: answer.body))?.error.code
    }

    /// True when the stored rating is what this submission says (sent again under a new `ratingId`).
    static func sameContent(_ record: RatingRecord, _ s: RatingSubmission) -> Bool {
        if let ticketId = s.ticketId, ticketId != record.ticketId { return false }
        if let device = s.deviceId, let stored = record.deviceId, device != stored { return false }
        return record.level.rawValue == s.level
            && Set(record.reasons.map(\.rawValue)) == Set(s.reasons)
            && (record.text ?? "") == (s.text ?? "")
            && record.channel.rawValue == s.channel
            && record.source.rawValue == (s.source ?? RatingSource.active.rawValue)
            && record.assessNumber == (s.assessNumber ?? 1)
    }
}

/// The `Retry-After` header: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
public enum RetryAfter {
    /// Seconds to wait from `now`, or nil when the value is neither form. Negative waits become 0.
    public static func seconds(_ value: String, now: Date = Date()) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let n = Double(text), n.isFinite { return max(0, n) }
        guard let date = httpDate(text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// Seconds to wait, an HTTP date measured against the answer's own `Date` header (the server's clock) when
    /// it has one, so a kiosk whose clock is off (no NTP yet, a wrong RTC) still waits what the server meant;
    /// without a usable `Date`, against `now`.
    public static func seconds(_ value: String, serverDate: String?, now: Date = Date()) -> Double? {
        seconds(value, now: serverDate.flatMap { httpDate($0.trimmingCharacters(in: .whitespaces)) } ?? now)
    }

    /// An IMF-fixdate (`Tue, 14 Jul 2026 03:35:20 GMT`), the form HTTP dates are sent in.
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
