import Foundation
import HallAPI
import KioskCore
import Logging

/// Prints tickets: checks the printer, lays the ticket out, renders it, submits it through CUPS and follows
/// the job, keeping `watch` up to date on the way.
public final class TicketPrintService: Sendable {
    /// How one ticket went, with timings for logs and the benchmark.
    public struct Report: Sendable {
        public var outcome: PrintOutcome
        public var job: CupsPrinter.SubmittedJob?
        /// Layout + raster time.
        public var renderMilliseconds: Double
        /// Start of `print` → job accepted by CUPS.
        public var acceptedMilliseconds: Double?
        /// The raster that was (or would have been) printed.
        public var raster: Raster?
    }

    public let printer: CupsPrinter
    public let renderer: TicketRenderer
    public let widthDots: Int
    public let watch: PrinterWatch
    private let logger: Logger

    public init(printer: CupsPrinter, renderer: TicketRenderer, widthDots: Int, watch: PrinterWatch = PrinterWatch(),
                logger: Logger = Logger(label: "hallkiosk.print")) {
        self.printer = printer
        self.renderer = renderer
        self.widthDots = widthDots
        self.watch = watch
        self.logger = logger
    }

    /// Prints `content`; never throws: every failure is a `.failed` outcome with the reason for logs.
    /// `onAccepted` runs as soon as CUPS has the job (before it completes).
    public func print(_ content: TicketContent, onAccepted: @Sendable (CupsPrinter.SubmittedJob) -> Void = { _ in }) async -> Report {
        let clock = ContinuousClock()
        let start = clock.now
        // The printer check runs while the ticket renders.
        async let checked = printer.health()
        let rendered: Result<Raster, PrintError>
        do { rendered = .success(try renderer.render(TicketLayout.make(content, widthDots: widthDots))) } catch { rendered = .failure(error) }
        let renderMs = Self.milliseconds(clock.now - start)
        let health = await checked
        watch.report(health)
        let number = content.ticket.number
        guard case .success(let raster) = rendered else {
            if case .failure(let error) = rendered { logger.error("ticket not rendered: \(error)", metadata: ["ticket.number": "\(number)"]) }
            return Report(outcome: .failed(reason: "render: \(rendered)"), job: nil, renderMilliseconds: renderMs, raster: nil)
        }
        if health.preventsPrinting {
            logger.warning("ticket not sent: printer \(health.summary)", metadata: ["ticket.number": "\(number)"])
            return Report(outcome: .failed(reason: "printer \(health.summary)"), job: nil, renderMilliseconds: renderMs, raster: raster)
        }
        let job: CupsPrinter.SubmittedJob
        switch await printer.submit(raster, title: "HallKiosk ticket \(number)") {
        case .failure(let error):
            logger.error("ticket not accepted: \(error)", metadata: ["ticket.number": "\(number)"])
            watch.report(await printer.health())
            return Report(outcome: .failed(reason: error.description), job: nil, renderMilliseconds: renderMs, raster: raster)
        case .success(let submitted):
            job = submitted
        }
        let acceptedMs = Self.milliseconds(job.acceptedAt - start)
        onAccepted(job)
        logger.info("ticket job accepted", metadata: ["ticket.number": "\(number)", "job.id": "\(job.id)", "job.format": "\(job.format.rawValue)",
                                                      "ms.accepted": "\(String(format: "%.1f", acceptedMs))"])
        let outcome = await printer.follow(job, onHealth: { [watch] in watch.report($0) })
        switch outcome {
        case .printed:
            logger.info("ticket printed", metadata: ["ticket.number": "\(number)", "job.id": "\(job.id)"])
        case .failed(let reason):
            logger.warning("ticket not printed: \(reason)", metadata: ["ticket.number": "\(number)", "job.id": "\(job.id)"])
            watch.report(await printer.health())
        case .notConfigured:
            break
        }
        return Report(outcome: outcome, job: job, renderMilliseconds: renderMs, acceptedMilliseconds: acceptedMs, raster: raster)
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}
