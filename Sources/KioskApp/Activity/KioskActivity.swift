import Foundation
import HallAPI
import KioskCore

/// One thing the kiosk did, as a line of its event stream (`--events PATH` / `HALLKIOSK_EVENTS`): what scripts,
/// tests and the soak observe instead of the log's wording. Each becomes one JSON object on one line; the
/// `event` field is the case name, the other fields are listed with each case. No personal data: ticket numbers,
/// ids and error texts only.
public enum KioskActivity: Sendable, Equatable {
    /// `started`: the program runs (`deviceId`, `role`, `video`: the SDL video driver).
    case started(deviceId: String, role: DeviceRole, video: String)
    /// `firstFrame`: the first frame is on screen (`ms`: since the process started).
    case firstFrame(milliseconds: Int)
    /// `screen`: the screen changed (`screen`, `previous`: `DeviceScreen` names, e.g. `home`, `ticket`).
    case screen(DeviceScreen, previous: DeviceScreen)
    /// `ticketIssued`: a ticket is on screen (`number`, `serviceId`).
    case ticketIssued(number: String, serviceId: String)
    /// `ticketFailed`: a request for a number failed (`kind`: `network`, `quotaReached`, … ; `message`).
    case ticketFailed(kind: String, message: String)
    /// `printed`: a ticket's print job ended (`ticketId`, `outcome`: `printed`, `failed` or `notConfigured`; `reason`
    /// when it failed).
    case printed(ticketId: String, outcome: PrintOutcome)
    /// `ratingQueued`: a rating is stored durably in the outbox (`ratingId`); "thank you" follows.
    case ratingQueued(ratingId: String)
    /// `ratingNotStored`: a rating could not be stored (`ratingId`, `reason`); the citizen is told.
    case ratingNotStored(ratingId: String, reason: String)
    /// `ratingSent`: the hall server has the rating (`ratingId`).
    case ratingSent(ratingId: String)
    /// `ratingHeld`: the hall server refused the rating for good; kept for the admin screen (`ratingId`, `reason`).
    case ratingHeld(ratingId: String, reason: String)
    /// `heartbeat`: a heartbeat went to the hall server (`screen`; `delivered`: true, or false with `error`).
    case heartbeat(screen: DeviceScreen, error: String?)
    /// `hallUnreachable`: a hall server request failed for want of the server (`error`).
    case hallUnreachable(error: String)
    /// `hallReachable`: the hall server answers again after `hallUnreachable` (and at the first answer).
    case hallReachable
    /// `printer`: the printer's condition changed (`condition`: `ok`, `paperOut`, …).
    case printer(PrinterCondition)
    /// `windowEvent`: a rating device heard its window (`kind`: `completed`, `called`, …; `ticketNumber`).
    case windowEvent(kind: String, ticketNumber: String?)
    /// `sound`: a sound was asked for (`sound`: `ticketIssued` or `error`; `played`: false when sound is off).
    case sound(KioskSound, played: Bool)
    /// `adminCommand`: an admin screen command finished (`command`, `message`).
    case adminCommand(AdminCommand, message: String)
    /// `stopping`: the run loop ends (`code`: the exit code; `reason`).
    case stopping(code: Int32, reason: String)
    /// `callShown`: a calling display drew a call (`number`, `windowId`, `eventId`, `recall`; `live`: false for a call
    /// that was already old when the display learned it).
    case callShown(number: String, windowId: String, eventId: Int64, recall: Int, live: Bool)
    /// `callSaid`: a calling display's voice started saying a call (`number`, `eventId`).
    case callSaid(number: String, eventId: Int64)
    /// `boardLink`: a calling display's link to the hall server changed (`up`: true with a fresh snapshot, false with
    /// `reason`).
    case boardLink(up: Bool, reason: String?)
    /// `memoryReturned`: an idle calling display, or a kiosk resting after a citizen (`SettledMemory`), gave freed heap,
    /// textures it no longer shows and the code pages of its last busy moment back (`codeKB`: the code pages unmapped).
    case memoryReturned(codeKB: Int)
    /// `idCardRead`: a card was placed on the ID card reader: its kind (`residentID`, …, or `unreadable`) and whether its number's
    /// GB 11643 check character is right. Never the number, the name or anything else from the card.
    case idCardRead(kind: String, checkDigitValid: Bool)

    /// The `event` field.
    public var name: String {
        switch self {
        case .started: "started"
        case .firstFrame: "firstFrame"
        case .screen: "screen"
        case .ticketIssued: "ticketIssued"
        case .ticketFailed: "ticketFailed"
        case .printed: "printed"
        case .ratingQueued: "ratingQueued"
        case .ratingNotStored: "ratingNotStored"
        case .ratingSent: "ratingSent"
        case .ratingHeld: "ratingHeld"
        case .heartbeat: "heartbeat"
        case .hallUnreachable: "hallUnreachable"
        case .hallReachable: "hallReachable"
        case .printer: "printer"
        case .windowEvent: "windowEvent"
        case .sound: "sound"
        case .adminCommand: "adminCommand"
        case .stopping: "stopping"
        case .callShown: "callShown"
        case .callSaid: "callSaid"
        case .boardLink: "boardLink"
        case .memoryReturned: "memoryReturned"
        case .idCardRead: "idCardRead"
        }
    }

    /// Every `event` name the stream can hold (what a script's `wait-event` may name).
    public static let eventNames: Set<String> = [
        "started", "firstFrame", "screen", "ticketIssued", "ticketFailed", "printed", "ratingQueued", "ratingNotStored",
        "ratingSent", "ratingHeld", "heartbeat", "hallUnreachable", "hallReachable", "printer", "windowEvent", "sound",
        "adminCommand", "stopping", "idCardRead",
    ]

    /// The fields besides `event`, `seq`, `time` and `uptime`.
    public var fields: [String: ActivityValue] {
        switch self {
        case .started(let deviceId, let role, let video):
            ["deviceId": .text(deviceId), "role": .text(role.rawValue), "video": .text(video)]
        case .firstFrame(let ms): ["ms": .number(Double(ms))]
        case .screen(let screen, let previous): ["screen": .text(screen.rawValue), "previous": .text(previous.rawValue)]
        case .ticketIssued(let number, let serviceId): ["number": .text(number), "serviceId": .text(serviceId)]
        case .ticketFailed(let kind, let message): ["kind": .text(kind), "message": .text(String(message.prefix(300)))]
        case .printed(let ticketId, let outcome):
            switch outcome {
            case .printed: ["ticketId": .text(ticketId), "outcome": .text("printed")]
            case .failed(let reason): ["ticketId": .text(ticketId), "outcome": .text("failed"), "reason": .text(reason)]
            case .notConfigured: ["ticketId": .text(ticketId), "outcome": .text("notConfigured")]
            }
        case .ratingQueued(let id), .ratingSent(let id): ["ratingId": .text(id)]
        case .ratingNotStored(let id, let reason), .ratingHeld(let id, let reason): ["ratingId": .text(id), "reason": .text(reason)]
        case .heartbeat(let screen, let error):
            ["screen": .text(screen.rawValue), "delivered": .flag(error == nil)].merging(error.map { ["error": .text($0)] } ?? [:]) { a, _ in a }
        case .hallUnreachable(let error): ["error": .text(String(error.prefix(300)))]
        case .hallReachable: [:]
        case .printer(let condition): ["condition": .text(condition.rawValue)]
        case .windowEvent(let kind, let number):
            ["kind": .text(kind)].merging(number.map { ["ticketNumber": .text($0)] } ?? [:]) { a, _ in a }
        case .sound(let sound, let played): ["sound": .text(sound.rawValue), "played": .flag(played)]
        case .adminCommand(let command, let message): ["command": .text(command.rawValue), "message": .text(message)]
        case .stopping(let code, let reason): ["code": .number(Double(code)), "reason": .text(reason)]
        case .callShown(let number, let windowId, let eventId, let recall, let live):
            ["number": .text(number), "windowId": .text(windowId), "eventId": .number(Double(eventId)),
             "recall": .number(Double(recall)), "live": .flag(live)]
        case .callSaid(let number, let eventId): ["number": .text(number), "eventId": .number(Double(eventId))]
        case .boardLink(let up, let reason):
            ["up": .flag(up)].merging(reason.map { ["reason": .text(String($0.prefix(300)))] } ?? [:]) { a, _ in a }
        case .memoryReturned(let codeKB): ["codeKB": .number(Double(codeKB))]
        case .idCardRead(let kind, let valid): ["kind": .text(kind), "checkDigitValid": .flag(valid)]
        }
    }
}

/// A field value in the event stream.
public enum ActivityValue: Sendable, Equatable {
    case text(String)
    case number(Double)
    case flag(Bool)

    /// The value as readers of the stream see it (`KioskEventRecord`): text as it is, integral numbers without a
    /// fraction (`3`), others as Swift writes them, flags `true`/`false`.
    public var streamText: String {
        switch self {
        case .text(let s): s
        case .number(let n): n.rounded() == n && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .flag(let b): b ? "true" : "false"
        }
    }

    var json: Any {
        switch self {
        case .text(let s): s
        case .number(let n): n.rounded() == n && abs(n) < 1e15 ? Int(n) as Any : n as Any
        case .flag(let b): b
        }
    }
}
