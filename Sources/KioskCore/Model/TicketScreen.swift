import Foundation
import HallAPI

/// The ticket screen.
public struct TicketScreen: Hashable, Sendable {
    public var ticket: IssuedTicket
    public var printStatus: PrintStatus
    /// When the ticket appeared (monotonic clock).
    public var shownAt: Uptime
    /// When the screen returns home by itself (later when printing failed).
    public var returnAt: Uptime
    /// A line about how this ticket came (补打, a late check-in sent to the normal queue); nil for a fresh number.
    public var notice: TicketNotice?
    public init(ticket: IssuedTicket, printStatus: PrintStatus, shownAt: Uptime, returnAt: Uptime, notice: TicketNotice? = nil) {
        self.ticket = ticket
        self.printStatus = printStatus
        self.shownAt = shownAt
        self.returnAt = returnAt
        self.notice = notice
    }
}

/// How a check-in or card ticket came, said on the ticket screen.
public enum TicketNotice: Hashable, Sendable {
    /// The number the card holder already held, printed again (补打).
    case reprint
    /// A late check-in: the number joins the normal queue.
    case lateNormalQueue
    /// A check-in took over the walk-in number the card holder already held at the service: the same number (the
    /// ticket printed before and its phone page stay valid), now called with appointment priority.
    case movedToAppointmentLane
}

/// Where printing of the shown ticket stands.
public enum PrintStatus: Hashable, Sendable {
    case printing
    case printed
    /// The printer could not print; `reason` is for logs.
    case failed(reason: String)
    /// This kiosk has no printer (e-ticket only).
    case notConfigured
    /// Not sent to the printer because it was known to be out of order (e-ticket mode).
    case printerUnavailable(PrinterCondition)

    /// True when the citizen gets no paper and must photograph the QR code.
    public var leavesNoPaper: Bool {
        switch self {
        case .failed, .notConfigured, .printerUnavailable: true
        case .printing, .printed: false
        }
    }
}
