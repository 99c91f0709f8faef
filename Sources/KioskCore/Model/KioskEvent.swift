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
    /// The clock, once a second.
    case tick(now: Date)
    /// `GET /api/v1/hall` answered.
    case hallStatusArrived(HallStatus, at: Date)
    /// The hall server could not be reached (or answered garbage).
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
    /// A staff photo is now registered with the renderer under `WindowPanel.photoImageName(staffId)`.
    case staffPhotoReady(staffId: String)
    /// The rating `ratingId` is stored durably in the device's outbox (delivery follows in the background).
    case ratingStored(ratingId: String)
    /// The rating `ratingId` could not be stored on the device (disk full, database broken): nothing recorded.
    case ratingStoreFailed(ratingId: String, reason: String)
    /// The admin PIN typed was checked against the configured hash.
    case adminPinChecked(accepted: Bool)
    /// Fresh device facts for the admin screen.
    case adminInfoArrived(AdminInfo)
    /// An admin command finished; `message` says how, in plain words.
    case adminCommandFinished(AdminCommand, message: String)
}

/// How a print job ended.
public enum PrintOutcome: Hashable, Sendable {
    case printed
    /// The job failed or missed its deadline; `reason` is for logs (e.g. `media-empty`).
    case failed(reason: String)
    /// No printer is configured on this kiosk.
    case notConfigured
}
