import Foundation
import HallAPI
import KioskCore
import KioskPrint
import KioskSDL
import Logging

/// `hallkiosk print-test` and `hallkiosk ticket --sample`: a sample ticket to the printer or to a PNG file.
public enum PrintTools {
    /// The sample ticket (the demo hall's A023) with the hall's name, in `language`.
    public static func sampleContent(settings: KioskSettings, language: Language, now: Date = Date()) -> (IssuedTicket, TicketPrintContext) {
        let hall = SampleHall.status(now: now)
        let ticket = SampleHall.ticket(now: now, lookupBase: settings.serverURL)
        return (ticket, TicketPrintContext(hall: hall, language: language))
    }

    /// Renders the sample ticket at `widthDots` to a PNG file; returns the raster size.
    public static func writeSample(settings: KioskSettings, language: Language, widthDots: Int, out: String) throws -> (width: Int, height: Int) {
        guard TicketLayout.supportedWidths.contains(widthDots) else {
            throw KioskConfigError("--width-dots \(widthDots) must be 576 (80 mm), 512 or 384 (58 mm)")
        }
        let regular = try FontLocator.locate(bold: false, configured: settings.fontRegular)
        let bold = try FontLocator.locate(bold: true, configured: settings.fontBold)
        let renderer = try TicketRenderer(fonts: PrintFonts(regular: .init(path: regular.path, faceIndex: regular.faceIndex),
                                                            bold: .init(path: bold.path, faceIndex: bold.faceIndex)))
        let (ticket, context) = sampleContent(settings: settings, language: language)
        let o = settings.printerOptions
        let content = TicketContent(ticket: ticket, hallName: context.hallName, kioskId: settings.deviceId, timeZone: context.timeZone,
                                    language: language, headerLines: o.header, footerLines: o.footer, notes: o.notes)
        let layout = TicketLayout.make(content, widthDots: widthDots)
        let missing = renderer.missingGlyphs(in: layout)
        if !missing.isEmpty {
            throw KioskConfigError("the font has no glyph for \(missing.map { "'\($0)'" }.joined(separator: " ")) — they would print as boxes; "
                + "set fonts.regular/fonts.bold to a font that has them (e.g. /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc)")
        }
        let raster = try renderer.render(layout)
        try Data(PNGEncoder.encode(raster)).write(to: URL(fileURLWithPath: out))
        return (raster.width, raster.height)
    }

    /// The outcome of a test print, as lines for the terminal.
    public struct TestPrintResult: Sendable {
        public var lines: [String]
        public var printed: Bool
    }

    /// Prints the sample ticket on the kiosk's printer and follows the job to its end.
    public static func testPrint(kiosk: KioskAssembly, language: Language) async throws -> TestPrintResult {
        let settings = kiosk.settings
        guard settings.printerDestination != nil, let printer = kiosk.printer as? CupsTicketPrinter else {
            throw KioskConfigError("\(settings.source): no printer.destination; set it in [printer] or pass --printer QUEUE|ipp://…")
        }
        var lines = ["destination  \(printer.service.printer.options.destination) (format \(settings.printerFormat), \(settings.printerWidthDots) dots)"]
        let before = await printer.service.printer.health()
        lines.append("printer      \(before.summary)")
        var (ticket, context) = sampleContent(settings: settings, language: language)
        context.isTestPrint = true
        let report = await printer.service.print(printer.content(ticket, context))
        if let job = report.job {
            lines.append("job          \(job.id) accepted as \(job.format.mimeType), \(job.bytes) bytes, "
                + String(format: "%.1f ms after start (render %.1f ms)", report.acceptedMilliseconds ?? 0, report.renderMilliseconds))
        }
        switch report.outcome {
        case .printed: lines.append("outcome      printed")
        case .failed(let reason): lines.append("outcome      FAILED: \(reason)")
        case .notConfigured: lines.append("outcome      no printer configured")
        }
        lines.append("printer now  \((printer.service.watch.current ?? before).summary)")
        return TestPrintResult(lines: lines, printed: report.outcome == .printed)
    }
}
