import Foundation
import HallAPI
import KioskCore

/// What a paper ticket needs besides the ticket: the hall's name and time zone, the citizen's language.
public struct TicketPrintContext: Sendable, Hashable {
    public var hallName: LocalizedText?
    /// IANA time zone of the hall (issue time is printed in hall time).
    public var timeZone: TimeZone
    public var language: Language
    /// A test print from hall IT: the paper says so at top and bottom.
    public var isTestPrint: Bool

    public init(hallName: LocalizedText? = nil, timeZone: TimeZone = .current, language: Language = .zh, isTestPrint: Bool = false) {
        self.hallName = hallName
        self.timeZone = timeZone
        self.language = language
        self.isTestPrint = isTestPrint
    }

    /// From the last hall status (if any) and the language on screen.
    public init(hall: HallStatus?, language: Language) {
        self.init(hallName: hall?.name, timeZone: hall.flatMap { TimeZone(identifier: $0.timezone) } ?? .current, language: language)
    }
}

/// Prints a ticket and tells how it ended; watches the printer for the heartbeat and the e-ticket mode.
public protocol TicketPrinter: Sendable {
    /// Prints `ticket`; never throws — a printer problem is a `.failed` outcome.
    func print(_ ticket: IssuedTicket, context: TicketPrintContext) async -> PrintOutcome
    /// The printer as last seen (`notConfigured` without a printer, `unknown` before the first answer).
    var health: PrinterHealth { get }
    /// Starts polling the printer; `onChange` hears every change of health (polls, checks before tickets, jobs).
    func startWatching(onChange: @escaping @Sendable (PrinterHealth) -> Void)
    /// Stops polling.
    func stopWatching()
}

extension TicketPrinter {
    /// Prints `ticket` marked as a test print, with no hall context (the admin screen's test print).
    public func testPrint(_ ticket: IssuedTicket) async -> PrintOutcome {
        await print(ticket, context: TicketPrintContext(isTestPrint: true))
    }
    public func startWatching(onChange: @escaping @Sendable (PrinterHealth) -> Void) {}
    public func stopWatching() {}
}

/// No printer configured: the kiosk shows the ticket and keeps the QR code on screen longer.
public struct NoPrinter: TicketPrinter {
    public init() {}
    public func print(_ ticket: IssuedTicket, context: TicketPrintContext) async -> PrintOutcome { .notConfigured }
    public var health: PrinterHealth { PrinterHealth(condition: .notConfigured) }
}
