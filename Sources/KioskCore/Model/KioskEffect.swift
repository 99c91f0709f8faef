import HallAPI

/// Work the core asks the adapters to do. Answers come back as `KioskEvent`s.
public enum KioskEffect: Hashable, Sendable {
    /// `POST /api/v1/tickets {serviceId, kioskId}` with header `Idempotency-Key: intentKey`.
    /// Answer with `ticketIssued` or `ticketFailed` carrying the same key.
    case issueTicket(serviceId: String, intentKey: String)
    /// `GET /api/v1/hall`; answer with `hallStatusArrived` or `hallUnreachable`.
    case fetchHallStatus
    /// Look a ticket up; answer with `lookupResult` or `lookupFailed` carrying the same query.
    case lookupTicket(LookupQuery)
    /// Print the ticket; answer with `printFinished`.
    case printTicket(IssuedTicket)
    /// Play a short sound, if the kiosk has a speaker (optional).
    case playSound(KioskSound)
}

/// Short sounds the kiosk may play.
public enum KioskSound: String, Hashable, Sendable {
    case ticketIssued
    case error
}
