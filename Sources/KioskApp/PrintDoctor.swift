import Foundation
import HallAPI
import KioskPrint
import Logging

/// The printer part of `hallkiosk doctor`: can the kiosk reach the destination, and how is the printer.
enum PrintDoctor {
    static func check(_ settings: KioskSettings) async -> [(Doctor.Verdict, String)] {
        let printer: CupsTicketPrinter
        do {
            printer = try CupsTicketPrinter(settings: settings, logger: Logger(label: "hallkiosk.doctor"))
        } catch {
            return [(.failure, error.description)]
        }
        let destination = printer.service.printer.options.destination
        let health = await printer.service.printer.health()
        let fix: String
        switch health.condition {
        case .ok: return [(.ok, "\(destination): ready (\(settings.printerFormat), \(settings.printerWidthDots) dots); `hallkiosk print-test` prints a sample")]
        case .paperLow: return [(.warning, "\(destination): paper low — change the roll soon")]
        case .paperOut: fix = "load a new paper roll"
        case .coverOpen: fix = "close the printer cover"
        case .offline: fix = "check the printer's power and cable, and for a queue that cupsd runs (CUPS_SERVER, `lpstat -p`)"
        case .stopped: fix = "enable the queue and let it accept jobs: `cupsenable QUEUE; cupsaccept QUEUE`"
        case .notConfigured, .unknown: fix = "check printer.destination"
        }
        return [(.failure, "\(destination): \(health.summary) — \(fix); until then tickets are shown on screen (e-ticket)")]
    }
}
