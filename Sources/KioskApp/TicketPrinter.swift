import HallAPI
import KioskCore

/// Prints a ticket and tells how it ended. The CUPS printer arrives with the printing work.
public protocol TicketPrinter: Sendable {
    func print(_ ticket: IssuedTicket) async -> PrintOutcome
}

/// No printer configured: the kiosk shows the ticket and keeps the QR code on screen longer.
public struct NoPrinter: TicketPrinter {
    public init() {}
    public func print(_ ticket: IssuedTicket) async -> PrintOutcome { .notConfigured }
}
