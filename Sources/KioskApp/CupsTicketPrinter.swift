import Foundation
import HallAPI
import KioskCore
import KioskPrint
import KioskSDL
import Logging

/// The kiosk's CUPS printer: lays out, renders, submits and follows each ticket (KioskPrint), and polls
/// the printer's health every `printer.pollSeconds`.
public final class CupsTicketPrinter: TicketPrinter, @unchecked Sendable {
    public let service: TicketPrintService
    private let settings: KioskSettings
    private let logger: Logger
    private let lock = NSLock()
    private var pollTask: Task<Void, Never>?

    /// Builds the printer from validated settings; fails when the fonts cannot be opened or the destination is malformed.
    public init(settings: KioskSettings, logger: Logger) throws(KioskConfigError) {
        guard let text = settings.printerDestination else { throw KioskConfigError("\(settings.source): printer.destination is not set") }
        let destination: PrintDestination
        do { destination = try PrintDestination(parsing: text) } catch { throw KioskConfigError("\(settings.source): \(error.description)") }
        let fonts: PrintFonts
        do {
            let regular = try FontLocator.locate(bold: false, configured: settings.fontRegular)
            let bold = try FontLocator.locate(bold: true, configured: settings.fontBold)
            fonts = PrintFonts(regular: .init(path: regular.path, faceIndex: regular.faceIndex),
                               bold: .init(path: bold.path, faceIndex: bold.faceIndex))
        } catch {
            throw KioskConfigError("\(settings.source): fonts: \(error)")
        }
        let renderer: TicketRenderer
        do { renderer = try TicketRenderer(fonts: fonts) } catch { throw KioskConfigError("\(settings.source): \(error.description)") }
        let o = settings.printerOptions
        let options = CupsPrinter.Options(
            destination: destination, format: CupsPrinter.FormatChoice(rawValue: settings.printerFormat) ?? .auto,
            jobTimeoutSeconds: o.jobTimeoutSeconds, escpos: ESCPOSEncoder.Options(feedLines: o.feedLines, cut: o.cut))
        self.settings = settings
        self.logger = logger
        self.service = TicketPrintService(printer: CupsPrinter(options: options, logger: logger), renderer: renderer,
                                          widthDots: settings.printerWidthDots, logger: logger)
    }

    /// The printer from the settings: CUPS when `printer.destination` is set, else `NoPrinter`.
    public static func make(settings: KioskSettings, logger: Logger) throws(KioskConfigError) -> any TicketPrinter {
        settings.printerDestination == nil ? NoPrinter() : try CupsTicketPrinter(settings: settings, logger: logger)
    }

    public func print(_ ticket: IssuedTicket, context: TicketPrintContext) async -> PrintOutcome {
        await service.print(content(ticket, context)).outcome
    }

    /// The paper ticket's content for `ticket`.
    public func content(_ ticket: IssuedTicket, _ context: TicketPrintContext) -> TicketContent {
        let o = settings.printerOptions
        return TicketContent(ticket: ticket, hallName: context.hallName, kioskId: settings.deviceId, timeZone: context.timeZone,
                             language: context.language, headerLines: o.header, footerLines: o.footer, notes: o.notes,
                             isTestPrint: context.isTestPrint)
    }

    public var health: PrinterHealth { service.watch.current ?? PrinterHealth(condition: .unknown) }

    public func startWatching(onChange: @escaping @Sendable (PrinterHealth) -> Void) {
        let logger = self.logger
        service.watch.setOnChange { health in
            let level: Logger.Level = health.condition == .ok ? .info : .warning
            logger.log(level: level, "printer \(health.summary)", metadata: ["printer.condition": "\(health.condition.rawValue)"])
            onChange(health)
        }
        let watch = service.watch, printer = service.printer, every = settings.printerOptions.pollSeconds
        lock.withLock {
            pollTask?.cancel()
            pollTask = Task.detached { await watch.poll(printer, every: every) }
        }
    }

    public func stopWatching() {
        lock.withLock {
            pollTask?.cancel()
            pollTask = nil
        }
    }
}
