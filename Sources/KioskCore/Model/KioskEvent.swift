import Foundation
import HallAPI

/// Everything that happens to the kiosk, delivered by the adapters.
public enum KioskEvent: Hashable, Sendable {
    /// A finger or the mouse went down at screen coordinates (pixels of the layout).
    case touchDown(x: Double, y: Double)
    /// The finger or mouse went up.
    case touchUp(x: Double, y: Double)
    /// The touch was taken away (e.g. the window lost focus).
    case touchCancel
    /// A key, by SDL name: `Return`, `Backspace`, `Escape`, `Keypad Enter` …
    case key(String)
    /// Text typed by a barcode scanner or a keyboard (may arrive a character at a time).
    case text(String)
    /// The clocks, once a second (and just before each touch): `now` is the wall clock (the clock and date on
    /// screen, rating timestamps), `uptime` the monotonic clock that drives every timer — a wall clock set back
    /// or forward by NTP or by hand changes what the clock shows, never how long a screen stays.
    case tick(now: Date, uptime: Uptime)
    /// `GET /api/v1/hall` answered (`at`: wall clock, for the record; timers use the last tick's uptime).
    case hallStatusArrived(HallStatus, at: Date)
    /// The hall server could not be reached (or answered garbage). The offline grace period counts from the
    /// last tick's uptime (`at` is the wall clock, for the record).
    case hallUnreachable(error: String, at: Date)
    /// `POST /api/v1/tickets` under `intentKey` answered with a ticket.
    case ticketIssued(intentKey: String, ticket: IssuedTicket)
    /// `POST /api/v1/tickets` under `intentKey` failed.
    case ticketFailed(intentKey: String, failure: IssueFailure)
    /// A lookup answered.
    case lookupResult(TicketProgress, query: LookupQuery)
    /// A lookup found nothing or failed.
    case lookupFailed(LookupFailureKind, query: LookupQuery)
    /// The printer adapter finished with the ticket `ticketId`.
    case printFinished(ticketId: String, outcome: PrintOutcome)
    /// The printer's condition changed (polled, or learnt from a job). Advisory: a job's own
    /// outcome is what the citizen is told about that ticket.
    case printerChanged(PrinterHealth)
    /// Rating device: an event of this device's window (server-sent events or polling).
    case windowEvent(WindowEvent)
    /// Rating device: the window's state (`GET /api/v1/windows/{id}`) answered.
    case windowStateArrived(WindowPanel, at: Date)
    /// The staff photo at `path` is now registered with the renderer under `WindowPanel.photoImageName(path)`.
    case staffPhotoReady(staffId: String, path: String)
    /// The rating `ratingId` is stored durably in the device's outbox (delivery follows in the background).
    case ratingStored(ratingId: String)
    /// The rating `ratingId` could not be stored on the device (disk full, database broken): nothing recorded.
    case ratingStoreFailed(ratingId: String, reason: String)
    /// Whether ratings can be stored at this device changed: `problem` says why not (disk full, unwritable, corrupt),
    /// `nil` once a write succeeds again.
    case ratingStorageChanged(problem: String?)
    /// The admin PIN typed was checked against the configured hash.
    case adminPinChecked(accepted: Bool)
    /// Fresh device facts for the admin screen.
    case adminInfoArrived(AdminInfo)
    /// An admin command finished; `message` says how, in plain words.
    case adminCommandFinished(AdminCommand, message: String)
    /// The ID card reader read a card (once per placement): start its card flow.
    case cardPlaced(CardHolder)
    /// A card is on the reader but gave no identity; `placeAgain` when placing it again, flat, may help.
    case cardUnreadable(placeAgain: Bool)
    /// `POST /api/v1/checkins/lookup` under `requestKey` answered.
    case cardLookupArrived(CardLookup, requestKey: String)
    /// `POST /api/v1/checkins` under `intentKey` checked the appointment in and issued its ticket.
    case checkedIn(CheckinResult, intentKey: String)
    /// `POST /api/v1/tickets` with the card holder's number under `intentKey` answered (`existing`: the same ticket
    /// again, for 补打).
    case cardTicketIssued(IssuedTicket, intentKey: String)
    /// A card lookup, check-in or card ticket request under `key` was refused or got no answer.
    case checkinRefused(CheckinFailure, key: String)

    /// A tick for samples, screenshots and tests whose wall clock never jumps: the wall time stands in for the
    /// monotonic reading (`Uptime(standingInFor:)`). The kiosk's run loop sends both clocks.
    public static func tick(now: Date) -> KioskEvent {
        .tick(now: now, uptime: Uptime(standingInFor: now))
    }
}

/// How a print job ended.
public enum PrintOutcome: Hashable, Sendable {
    case printed
    /// The job failed or missed its deadline; `reason` is for logs (e.g. `media-empty`).
    case failed(reason: String)
    /// No printer is configured on this kiosk.
    case notConfigured
}
