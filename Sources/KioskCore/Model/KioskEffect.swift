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
    /// Rating device: `GET /api/v1/windows/{id}`; answer with `windowStateArrived` (failures are only logged:
    /// the hall status request tells whether the server is reachable).
    case fetchWindowState
    /// Fetch a staff photo (`path` on the hall server) and register it with the renderer; answer with
    /// `staffPhotoReady` (nothing on failure: the screen keeps its placeholder).
    case fetchStaffPhoto(staffId: String, path: String)
    /// Store the rating durably in the outbox, then deliver it in the background with `ratingId` as
    /// `Idempotency-Key`; answer with `ratingStored` or `ratingStoreFailed`.
    case storeRating(RatingSubmission)
    /// Check the typed admin PIN against the configured hash (slowly, off the UI thread); answer with
    /// `adminPinChecked`.
    case checkAdminPin(String)
    /// Gather device facts for the admin screen; answer with `adminInfoArrived`.
    case fetchAdminInfo
    /// Perform an admin command; answer with `adminCommandFinished` (`restart`/`reloadConfig` may end the program).
    case adminCommand(AdminCommand)
    /// Keep hall IT's pause of issuing at this kiosk (or its end) across restarts, crashes and power cuts; nothing
    /// answers.
    case rememberIssuingPaused(Bool)
}

/// Short sounds the kiosk may play.
public enum KioskSound: String, Hashable, Sendable {
    case ticketIssued
    case error
}
