import Foundation
import HallAPI
import KioskCore

extension HallClient {
    /// Performs one of the core's hall server requests and returns the event that answers it.
    public func perform(_ effect: HallEffect, now: @Sendable () -> Date = { Date() }) async -> KioskEvent {
        switch effect {
        case .fetchHallStatus:
            do {
                return .hallStatusArrived(try await hallStatus(), at: now())
            } catch {
                return .hallUnreachable(error: error.description, at: now())
            }
        case .issueTicket(let serviceId, let intentKey, let priority):
            do {
                return .ticketIssued(intentKey: intentKey, ticket: try await issueTicket(serviceId: serviceId, intentKey: intentKey,
                                                                                         priority: priority))
            } catch {
                return .ticketFailed(intentKey: intentKey, failure: Self.issueFailure(error))
            }
        case .lookupTicket(let query):
            do {
                return .lookupResult(try await lookup(query), query: query)
            } catch {
                return .lookupFailed(Self.lookupFailure(error), query: query)
            }
        case .lookupCard(let card, let requestKey):
            do {
                return .cardLookupArrived(try await lookupCard(card), requestKey: requestKey)
            } catch {
                return .checkinRefused(error.failure, key: requestKey)
            }
        case .submitCheckin(let submission, let card, let intentKey):
            return await performCheckin(submission, card: card, intentKey: intentKey)
        }
    }

    /// Maps a failed `POST /api/v1/tickets` to what the citizen is told. Transport failures and
    /// retryable statuses are `network` (retrying under the same key is safe). So is an answer that is
    /// not the API at all: the request may well have reached the server and issued a ticket (a garbled
    /// or intercepted answer), and only a retry under the same key can bring that ticket to the screen —
    /// giving up would leave a number in the queue that nobody holds.
    static func issueFailure(_ error: HallClientError) -> IssueFailure {
        switch error {
        case .rejected(503, APIErrorCode.implausibleClock, let message):
            // The server will not issue until hall IT fixes its clock: not a network problem the citizen can retry.
            return IssueFailure(kind: .other, message: "\(APIErrorCode.implausibleClock): \(message)")
        case .rejected(let status, let code, let message) where status < 500 && status != 429:
            return IssueFailure(kind: IssueFailureKind(apiErrorCode: code), message: "\(code): \(message)")
        case .malformed:
            return IssueFailure(kind: .network, message: error.description)
        default:
            return IssueFailure(kind: error.isRetryable ? .network : .other, message: error.description)
        }
    }

    static func lookupFailure(_ error: HallClientError) -> LookupFailureKind {
        switch error {
        case .rejected(429, APIErrorCode.tooManyWrongCodes, _):
            return .tooManyWrongCodes
        case .rejected(let status, let code, _) where status < 500 && status != 429:
            return LookupFailureKind(apiErrorCode: code)
        default:
            return error.isRetryable ? .network : .other
        }
    }
}
