import HallAPI

/// Work the core asks the adapters to do, grouped by the port that performs it: the program's run loop has one
/// `switch` over the ports, and each port one `switch` over its own effects, so the compiler checks that every
/// effect has exactly one performer. Answers come back as `KioskEvent`s.
public enum KioskEffect: Hashable, Sendable {
    /// The hall server's client (`HallClient.perform`).
    case hall(HallEffect)
    /// The ticket printer.
    case printer(PrinterEffect)
    /// The rating adapters: the durable outbox, the window's state and staff photos.
    case ratings(RatingEffect)
    /// The hidden admin screen's services (PIN check, device facts, maintenance, the kept pause of issuing).
    case admin(AdminEffect)
    /// Play a short sound through the speaker (silent when sound is off in the config or there is no audio device);
    /// nothing answers.
    case sound(KioskSound)
}

/// Requests to the hall server.
public enum HallEffect: Hashable, Sendable {
    /// `POST /api/v1/tickets {serviceId, kioskId, priority}` with header `Idempotency-Key: intentKey`.
    /// Answer with `ticketIssued` or `ticketFailed` carrying the same key.
    case issueTicket(serviceId: String, intentKey: String, priority: PriorityKind? = nil)
    /// `GET /api/v1/hall`; answer with `hallStatusArrived` or `hallUnreachable`.
    case fetchHallStatus
    /// Look a ticket up; answer with `lookupResult` or `lookupFailed` carrying the same query.
    case lookupTicket(LookupQuery)
    /// `POST /api/v1/checkins/lookup` with the card holder's number; answer with `cardLookupArrived` or
    /// `checkinRefused` carrying the same key. Nothing is kept or retried later: offline means refused.
    case lookupCard(CardHolder, requestKey: String)
    /// A check-in (`POST /api/v1/checkins`, booking code or card + appointment) or a card walk-in
    /// (`POST /api/v1/tickets` with `idNumber`), with header `Idempotency-Key: intentKey`; answer with `checkedIn`,
    /// `cardTicketIssued` or `checkinRefused` carrying the same key.
    case submitCheckin(CheckinSubmission, card: CardHolder?, intentKey: String)
}

/// Work for the ticket printer.
public enum PrinterEffect: Hashable, Sendable {
    /// Print the ticket; answer with `printFinished`.
    case printTicket(IssuedTicket)
}

/// Work for the rating adapters.
public enum RatingEffect: Hashable, Sendable {
    /// Store the rating durably in the outbox, then deliver it in the background with `ratingId` as
    /// `Idempotency-Key`; answer with `ratingStored` or `ratingStoreFailed`.
    case storeRating(RatingSubmission)
    /// Rating device: `GET /api/v1/windows/{id}`; answer with `windowStateArrived` (failures are only logged:
    /// the hall status request tells whether the server is reachable).
    case fetchWindowState
    /// Fetch a staff photo (`path` on the hall server) and register it with the renderer; answer with
    /// `staffPhotoReady` (nothing on failure: the screen keeps its placeholder).
    case fetchStaffPhoto(staffId: String, path: String)
}

/// Work for the hidden admin screen's services.
public enum AdminEffect: Hashable, Sendable {
    /// Check the typed admin PIN against the configured hash (slowly, off the UI thread); answer with
    /// `adminPinChecked`.
    case checkPin(String)
    /// Gather device facts for the admin screen; answer with `adminInfoArrived`.
    case fetchInfo
    /// Perform an admin command; answer with `adminCommandFinished` (after `restart` and a valid `reloadConfig` the
    /// program then exits, and the service manager starts it again).
    case command(AdminCommand)
    /// Keep hall IT's pause of issuing at this kiosk (or its end) across restarts, crashes and power cuts; nothing
    /// answers.
    case rememberIssuingPaused(Bool)
}

/// Short sounds the kiosk plays (when `[sound] volume` is above 0).
public enum KioskSound: String, Hashable, Sendable, CaseIterable {
    /// A number was taken: a short rising chime.
    case ticketIssued
    /// Something went wrong (no number, no paper): a short low tone.
    case error
}
