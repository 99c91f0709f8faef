import Foundation
import HallAPI
import KioskCore

// The kiosk's check-in requests (issue 21). The card holder's number goes only into the request body of these calls,
// over the hall's link; it is never logged here, never kept, and a request that gets no answer is never queued or sent
// again later: the citizen is told at once.

extension HallClient {
    /// `POST /api/v1/checkins/lookup`: what there is today for the card holder.
    public func lookupCard(_ card: CardHolder) async throws(CheckinClientError) -> CardLookup {
        let body = CardLookupRequest(kioskId: configuration.deviceId, idNumber: card.idNumber)
        return try await checkinCall(HallRoutes.checkinLookup(), body: body, headers: [], as: CardLookup.self)
    }

    /// `POST /api/v1/checkins` under the citizen's intent key: a booking code, or the card holder's number with the
    /// appointment they chose.
    public func checkIn(bookingCode: String? = nil, card: CardHolder? = nil, appointmentId: String? = nil,
                        intentKey: String) async throws(CheckinClientError) -> CheckinResult {
        let body = CheckinRequest(kioskId: configuration.deviceId, bookingCode: bookingCode, idNumber: card?.idNumber,
                                  appointmentId: appointmentId)
        return try await checkinCall(HallRoutes.checkin(), body: body, headers: [("Idempotency-Key", intentKey)],
                                     as: CheckinResult.self)
    }

    /// `POST /api/v1/tickets` with the card holder's number (walk-in): a new number, or the one they already hold at
    /// that service (`existing`, for 补打).
    public func issueTicket(serviceId: String, card: CardHolder, intentKey: String) async throws(CheckinClientError) -> IssuedTicket {
        let body = IssueTicketRequest(serviceId: serviceId, kioskId: configuration.deviceId, idNumber: card.idNumber)
        return try await checkinCall(HallRoutes.issueTicket(), body: body, headers: [("Idempotency-Key", intentKey)],
                                     as: IssuedTicket.self)
    }

    /// One check-in request; a refusal keeps the error body's code and moment (`error.at`).
    private func checkinCall<Body: Encodable, Answer: Decodable>(_ target: HallRoute.Target, body: Body,
                                                                 headers: [(String, String)],
                                                                 as: Answer.Type) async throws(CheckinClientError) -> Answer {
        let answer: RawAnswer
        do {
            answer = try await exchange(target, body: body, headers: headers)
        } catch {
            throw .unreachable(error.description)
        }
        guard (200..<300).contains(answer.status) else {
            if let refusal = try? HallJSON.decoder().decode(APIErrorBody.self, from: answer.body) {
                throw .refused(status: answer.status, refusal.error)
            }
            throw answer.status >= 500 ? .unreachable("HTTP \(answer.status) without an error body")
                : .malformed(status: answer.status, detail: "no error body; first bytes: \(Self.preview(answer.body))")
        }
        do {
            return try HallJSON.decoder().decode(Answer.self, from: answer.body)
        } catch {
            throw .malformed(status: answer.status, detail: "expected \(Answer.self): \(error); first bytes: \(Self.preview(answer.body))")
        }
    }

    /// Performs a check-in effect and returns the event that answers it.
    func performCheckin(_ submission: CheckinSubmission, card: CardHolder?, intentKey: String) async -> KioskEvent {
        do throws(CheckinClientError) {
            switch submission {
            case .bookingCode(let code):
                return .checkedIn(try await checkIn(bookingCode: code, intentKey: intentKey), intentKey: intentKey)
            case .appointment(let id):
                guard let card else { return .checkinRefused(CheckinFailure(refusal: .other, message: "no card on screen"), key: intentKey) }
                return .checkedIn(try await checkIn(card: card, appointmentId: id, intentKey: intentKey), intentKey: intentKey)
            case .walkIn(let serviceId):
                guard let card else { return .checkinRefused(CheckinFailure(refusal: .other, message: "no card on screen"), key: intentKey) }
                return .cardTicketIssued(try await issueTicket(serviceId: serviceId, card: card, intentKey: intentKey),
                                         intentKey: intentKey)
            }
        } catch {
            return .checkinRefused(error.failure, key: intentKey)
        }
    }
}

/// What went wrong with a check-in request.
public enum CheckinClientError: Error, Sendable, CustomStringConvertible {
    /// No answer, a timeout, a 5xx without a body: the citizen is told the kiosk is offline.
    case unreachable(String)
    /// The hall server refused, with its code and the moment the refusal refers to.
    case refused(status: Int, APIErrorBody.Detail)
    /// An answer that is not the API.
    case malformed(status: Int, detail: String)

    public var description: String {
        switch self {
        case .unreachable(let why): "hall server unreachable: \(why)"
        case .refused(let status, let detail): "hall server refused (\(status) \(detail.code)): \(detail.message)"
        case .malformed(let status, let detail): "hall server answered something unexpected (HTTP \(status)): \(detail)"
        }
    }

    /// What the citizen is told.
    public var failure: CheckinFailure {
        switch self {
        case .unreachable: CheckinFailure(refusal: .offline, message: description)
        case .refused(_, let detail): CheckinFailure(refusal: CheckinRefusal(apiErrorCode: detail.code, at: detail.at), message: description)
        case .malformed: CheckinFailure(refusal: .other, message: description)
        }
    }
}
