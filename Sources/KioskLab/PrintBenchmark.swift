import Foundation
import HallAPI
import KioskApp
import KioskCore
import KioskHTTP
import KioskPrint
import KioskSDL
import Logging

/// Measures printing as a citizen triggers it: touch on a service button → ticket issued by the real hall
/// server → rendered → job accepted by CUPS; plus the ticket render time. Each job is followed to its end
/// before the next touch (a printer takes one ticket at a time).
public enum PrintBenchmark {
    public struct Result: Sendable {
        /// Touch-up → `cupsFinishDestDocument` returned (ms).
        public var touchToAccepted: [Double] = []
        /// Layout + raster per ticket (ms).
        public var render: [Double] = []
        public var failures: [String] = []
    }

    /// Wraps the CUPS printer to time each ticket.
    final class TimedPrinter: TicketPrinter, @unchecked Sendable {
        let inner: CupsTicketPrinter
        private let lock = NSLock()
        private var accepted: [ContinuousClock.Instant] = []
        private var renders: [Double] = []
        private var outcomes: [PrintOutcome] = []

        init(_ inner: CupsTicketPrinter) { self.inner = inner }

        func print(_ ticket: IssuedTicket, context: TicketPrintContext) async -> PrintOutcome {
            let report = await inner.service.print(inner.content(ticket, context), onAccepted: { [self] job in
                lock.withLock { accepted.append(job.acceptedAt) }
            })
            lock.withLock {
                renders.append(report.renderMilliseconds)
                outcomes.append(report.outcome)
            }
            return report.outcome
        }

        var health: PrinterHealth { inner.health }
        var snapshot: (accepted: [ContinuousClock.Instant], renders: [Double], outcomes: [PrintOutcome]) {
            lock.withLock { (accepted, renders, outcomes) }
        }
    }

    public struct Failure: Error, CustomStringConvertible { public var description: String }

    /// Runs `cycles` take-a-number-and-print cycles on the service whose button contains `serviceLabel`.
    /// The kiosk is built here (`buildKiosk`, with the configured printer wrapped to time it) and shut down at the end.
    public static func run(settings: KioskSettings, video: String?, logger: Logger,
                           serviceLabel: String, doneLabel: String, cycles: Int) async throws -> Result {
        let printer = TimedPrinter(try CupsTicketPrinter(settings: settings, logger: logger))
        let kiosk = try buildKiosk(settings: settings, logger: logger, parts: [], printer: printer)
        let window: KioskWindow
        do { window = try KioskWindow(options: kiosk.windowOptions(video: video ?? "offscreen")) } catch {
            await kiosk.shutdown()
            throw error
        }
        defer { window.close() }
        do {
            let result = try measure(kiosk: kiosk, printer: printer, window: window, serviceLabel: serviceLabel, doneLabel: doneLabel,
                                     cycles: cycles)
            await kiosk.shutdown()
            return result
        } catch {
            await kiosk.shutdown()
            throw error
        }
    }

    static func measure(kiosk: KioskAssembly, printer: TimedPrinter, window: KioskWindow, serviceLabel: String, doneLabel: String,
                        cycles: Int) throws -> Result {
        let runner = try kiosk.makeRunner(window: window, adjustContext: { $0.ticketTouchGraceSeconds = 0 })
        runner.start()
        defer { runner.stop() }
        func until(_ what: String, timeout: Double = 30, _ condition: () -> Bool) throws {
            let deadline = Date().addingTimeInterval(timeout)
            while !condition() {
                guard Date() < deadline else { throw Failure(description: "timed out waiting for \(what) (screen \(runner.screenName.rawValue))") }
                _ = runner.step(maxWaitMilliseconds: 5)
            }
        }
        try until("the service button") { runner.display.hitRegion(labelContaining: serviceLabel)?.enabled == true }
        var result = Result()
        for cycle in 1...cycles {
            guard let point = runner.display.tapPoint(forLabelContaining: serviceLabel) else {
                throw Failure(description: "no button '\(serviceLabel)' at cycle \(cycle)")
            }
            let before = printer.snapshot.outcomes.count
            window.inject(.touchDown(point))
            window.inject(.touchUp(point))
            let touch = ContinuousClock.now
            try until("the job of cycle \(cycle) to end") { printer.snapshot.outcomes.count > before }
            let s = printer.snapshot
            if let accepted = s.accepted.last, s.accepted.count == before + 1 - result.failures.count {
                result.touchToAccepted.append(milliseconds(accepted - touch))
            }
            result.render.append(s.renders.last ?? .nan)
            if case .failed(let reason)? = s.outcomes.last { result.failures.append("cycle \(cycle): \(reason)") }
            _ = runner.step(maxWaitMilliseconds: 5)
            guard let done = runner.display.tapPoint(forLabelContaining: doneLabel) else {
                throw Failure(description: "no '\(doneLabel)' button on the ticket screen")
            }
            window.inject(.touchDown(done))
            window.inject(.touchUp(done))
            try until("home at cycle \(cycle)") { runner.screenName == .home && runner.display.hitRegion(labelContaining: serviceLabel)?.enabled == true }
        }
        return result
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}
