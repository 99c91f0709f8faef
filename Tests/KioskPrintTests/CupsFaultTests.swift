import Foundation
import HallAPI
import HallTestSupport
import KioskCore
@testable import KioskPrint
import XCTest

/// Every printer fault ends in the right outcome and health within the kiosk's deadline, and printing
/// recovers by itself once the printer is back. Real printer-sim; generous limits for a loaded machine.
final class CupsFaultTests: XCTestCase {
    var sim: PrinterSim!
    let jobTimeout = 15.0

    override func setUpWithError() throws {
        sim = try PrinterSim(self)
    }

    func service(_ destination: PrintDestination) -> TicketPrintService {
        TicketPrintService(printer: CupsPrinter(options: .init(destination: destination, jobTimeoutSeconds: jobTimeout,
                                                               faultGraceSeconds: 2, cupsServer: sim.cupsServer)),
                           renderer: sharedRenderer, widthDots: 576)
    }

    var destinations: [PrintDestination] { [.uri(sim.printerURI), .queue(sim.queue)] }

    /// Prints once; asserts the outcome kind and that it came within the deadline; returns the report.
    @discardableResult
    func printOnce(_ s: TicketPrintService, printed: Bool?, within seconds: Double? = nil, _ what: String,
                   file: StaticString = #filePath, line: UInt = #line) async -> TicketPrintService.Report {
        check(await timedPrint(s), printed: printed, within: seconds, what, file: file, line: line)
    }

    @discardableResult
    /// `printed`: nil when either outcome may be right (the caller checks which).
    func check(_ result: (TicketPrintService.Report, Double), printed: Bool?, within seconds: Double? = nil, _ what: String,
               file: StaticString = #filePath, line: UInt = #line) -> TicketPrintService.Report {
        let (report, elapsed) = result
        if printed == true {
            XCTAssertEqual(report.outcome, .printed, what, file: file, line: line)
        } else if printed == false, case .printed = report.outcome {
            XCTFail("\(what): printed, expected a failure", file: file, line: line)
        }
        XCTAssertLessThan(elapsed, seconds ?? jobTimeout + 10, "\(what): took \(elapsed) s", file: file, line: line)
        return report
    }

    func waitForHealth(_ s: TicketPrintService, _ condition: PrinterCondition, within seconds: Double = 20,
                       file: StaticString = #filePath, line: UInt = #line) async {
        let deadline = Date().addingTimeInterval(seconds)
        var last = PrinterHealth(condition: .unknown)
        while Date() < deadline {
            last = await s.printer.health()
            if last.condition == condition { return }
            try? await Task.sleep(for: .milliseconds(300))
        }
        XCTFail("health \(last.summary), expected \(condition)", file: file, line: line)
    }

    func testPaperOutBeforeTheJobIsToldAtOnceAndRecoversAfterRefill() async {
        sim.run("paper-out")
        for destination in destinations {
            let s = service(destination)
            await waitForHealth(s, .paperOut)
            let report = await printOnce(s, printed: false, within: 8, "paper out, \(destination)")
            XCTAssertNil(report.job, "no job is sent to a printer without paper")
            XCTAssertEqual(s.watch.current?.condition, .paperOut)
        }
        sim.run("refill")
        for destination in destinations {
            let s = service(destination)
            await waitForHealth(s, .ok)
            await printOnce(s, printed: true, "after refill, \(destination)")
        }
    }

    func testPaperLowStillPrintsAndIsReported() async {
        sim.run("paper-low")
        let s = service(.uri(sim.printerURI))
        await waitForHealth(s, .paperLow)
        await printOnce(s, printed: true, "paper low")
        XCTAssertEqual(s.watch.current?.reasons, ["media-low"])
    }

    func testPaperOutDuringTheJob() async {
        for destination in destinations {
            sim.run("refill")
            // Long enough that the fault outlasts the grace: a real printer holds the job while it has no paper.
            sim.run("job-delay", "8")
            let s = service(destination)
            let started = Task { await timedPrint(s) }
            try? await Task.sleep(for: .seconds(1.5))
            sim.run("paper-out")
            let r = check(await started.value, printed: false, "paper out during the job, \(destination)")
            XCTAssertNotNil(r.job, "the job had been accepted")
            await waitForHealth(s, .paperOut)
        }
        sim.run("job-delay", "0")
        sim.run("refill")
        for destination in destinations {
            await printOnce(service(destination), printed: true, "after refill, \(destination)")
        }
    }

    func testPrinterKilledMidJobFailsWithinTheDeadlineAndRecovers() async {
        for destination in destinations {
            // Far longer than stopping the printer takes on a busy machine (the suite runs tests side by side):
            // the job must still be printing when the printer dies. A failure is noticed at the stop, not at the end.
            sim.run("job-delay", "15")
            let s = service(destination)
            let started = Task { await timedPrint(s) }
            try? await Task.sleep(for: .seconds(1.5))
            sim.run("printer-stop")
            // Straight to the printer the kiosk follows the printer's own job: a failure. Through a cupsd queue it can
            // only know what cupsd knows, and CUPS's ipp backend may exit "with no errors" when the printer dies
            // mid-job (the dying printer still answers "Idle" for a moment, so the kiosk's own check at completion
            // can find it up): the queue route is held to cupsd's own verdict, asked independently.
            let direct: Bool = if case .uri = destination { true } else { false }
            let r = check(await started.value, printed: direct ? false : nil, "printer killed mid-job, \(destination)")
            XCTAssertNotNil(r.job)
            if !direct, let job = r.job {
                let verdict = sim.cupsJobState(job.id)
                XCTAssertEqual(r.outcome == .printed, verdict == "completed",
                               "the kiosk says \(r.outcome), cupsd says job \(job.id) is \(verdict ?? "unknown")")
            }
            await waitForHealth(s, .offline)
            sim.run("printer-start")
            sim.run("job-delay", "0")
            await waitForHealth(s, .ok)
            await printOnce(s, printed: true, "printer back, \(destination)")
        }
    }

    func testPrinterUnreachableAtStart() async {
        sim.run("printer-stop")
        for destination in destinations {
            let s = service(destination)
            await waitForHealth(s, .offline)
            let report = await printOnce(s, printed: false, within: 10, "printer unreachable, \(destination)")
            XCTAssertNil(report.job)
        }
        sim.run("printer-start")
        for destination in destinations {
            let s = service(destination)
            await waitForHealth(s, .ok)
            await printOnce(s, printed: true, "printer back, \(destination)")
        }
    }

    func testCupsdItselfUnreachableIsOffline() async {
        let s = TicketPrintService(printer: CupsPrinter(options: .init(destination: .queue(sim.queue), requestTimeoutSeconds: 2,
                                                                       cupsServer: "localhost:1")),
                                   renderer: sharedRenderer, widthDots: 576)
        await waitForHealth(s, .offline)
        await printOnce(s, printed: false, within: 10, "cupsd unreachable")
    }

    func testUnknownQueueIsNamedInTheReason() async {
        let s = TicketPrintService(printer: CupsPrinter(options: .init(destination: .queue("no-such-queue"), cupsServer: sim.cupsServer)),
                                   renderer: sharedRenderer, widthDots: 576)
        let report = await printOnce(s, printed: false, within: 10, "unknown queue")
        guard case .failed(let reason) = report.outcome else { return }
        XCTAssertTrue(reason.contains("no-such-queue"), reason)
    }

    func testQueueStoppedAndRejectingAreStoppedAndRecover() async {
        let s = service(.queue(sim.queue))
        for (fault, fix) in [("queue-stop", "queue-start"), ("queue-reject", "queue-accept")] {
            sim.run(fault, "receipt")
            await waitForHealth(s, .stopped)
            let report = await printOnce(s, printed: false, within: 10, fault)
            XCTAssertNil(report.job, "\(fault): no job sent")
            sim.run(fix, "receipt")
            await waitForHealth(s, .ok)
            await printOnce(s, printed: true, fix)
        }
    }

    /// Straight to the printer, the kiosk follows the printer's own job: a job the printer aborts is a failure.
    /// Through a cupsd queue, the kiosk can only know what cupsd knows, and CUPS's ipp backend sometimes
    /// exits "with no errors" after seeing the printer abort the job (cupsd then says `completed`; about one
    /// run in three here). So the queue route is held to cupsd's own verdict, asked independently.
    func testAJobThePrinterFailsIsReportedAsFailed() async {
        sim.run("job-fail", "on")
        await printOnce(service(.uri(sim.printerURI)), printed: false, "job fails, printer direct")
        let report = await printOnce(service(.queue(sim.queue)), printed: nil, "job fails, CUPS queue")
        guard let job = report.job else { return XCTFail("the queue accepted no job: \(report.outcome)") }
        let verdict = sim.cupsJobState(job.id)
        XCTAssertNotNil(verdict, "cupsd knows job \(job.id)")
        XCTAssertEqual(report.outcome == .printed, verdict == "completed",
                       "the kiosk says \(report.outcome), cupsd says job \(job.id) is \(verdict ?? "unknown")")
        sim.run("job-fail", "off")
        await printOnce(service(.uri(sim.printerURI)), printed: true, "job-fail off")
        await printOnce(service(.queue(sim.queue)), printed: true, "job-fail off, CUPS queue")
    }

    /// Straight to a printer still busy with the ticket before (ippeveprinter takes one job at a time and answers
    /// server-error-busy meanwhile): the next ticket is asked again until the printer takes it, not failed.
    func testABusyPrinterTakesTheNextTicketWhenItIsFree() async {
        sim.run("job-delay", "3")
        let s = service(.uri(sim.printerURI))
        let first = Task { await timedPrint(s) }
        try? await Task.sleep(for: .seconds(1))
        let (second, elapsed) = await timedPrint(s)
        XCTAssertEqual(second.outcome, .printed, "the ticket sent while the printer was busy")
        XCTAssertGreaterThan(elapsed, 1, "it waited for the job before (\(elapsed) s)")
        let (report, _) = await first.value
        XCTAssertEqual(report.outcome, .printed, "the job before")
        XCTAssertTrue(sim.waitFor(10) { self.sim.jobFiles().count == 2 }, "both jobs reached the printer: \(sim.jobFiles())")
        sim.run("job-delay", "0")
    }

    func testDestinationParsing() throws {
        XCTAssertEqual(try PrintDestination(parsing: "hallkiosk-receipt"), .queue("hallkiosk-receipt"))
        XCTAssertEqual(try PrintDestination(parsing: "ipps://10.0.0.5/ipp/print"), .uri("ipps://10.0.0.5/ipp/print"))
        for bad in ["", "my printer", "http://x/ipp", "ipp://", "a/b"] {
            XCTAssertThrowsError(try PrintDestination(parsing: bad)) { error in
                XCTAssertTrue("\(error)".contains("'\(bad)'"), "quotes the value: \(error)")
            }
        }
    }
}

/// Prints the sample ticket; returns the report and the seconds it took.
func timedPrint(_ s: TicketPrintService) async -> (TicketPrintService.Report, Double) {
    let start = Date()
    let report = await s.print(sampleContent())
    return (report, Date().timeIntervalSince(start))
}
