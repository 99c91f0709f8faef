import Foundation
import HallTestSupport
import HallAPI
import KioskCore
@testable import KioskPrint
import XCTest

/// Tickets through the real printer simulator: straight to its IPP URI and through the private cupsd.
final class CupsPrintTests: XCTestCase {
    var sim: PrinterSim!

    override func setUpWithError() throws {
        sim = try PrinterSim(self)
        setenv("CUPS_SERVER", sim.cupsServer, 1)
    }

    func service(_ destination: PrintDestination, format: CupsPrinter.FormatChoice = .auto, width: Int = 576,
                 timeout: Double = 30) -> TicketPrintService {
        TicketPrintService(printer: CupsPrinter(options: .init(destination: destination, format: format, jobTimeoutSeconds: timeout)),
                           renderer: sharedRenderer, widthDots: width)
    }

    func testDirectToThePrinterURIAutoChoosesPWGRasterAtTheConfiguredWidth() async throws {
        for width in [576, 384] {
            let report = await service(.uri(sim.printerURI), width: width).print(sampleContent())
            XCTAssertEqual(report.outcome, .printed, "width \(width)")
            XCTAssertEqual(report.job?.format, .pwg)
            let file = try XCTUnwrap(sim.jobFiles().last)
            XCTAssertEqual(file.pathExtension, "pwg")
            let header = try pwgHeader(file)
            XCTAssertEqual(header.width, width)
            XCTAssertEqual(header.height, report.raster?.height)
        }
    }

    func testPNGDirectAndThroughCupsdScansToTheLookupURL() async throws {
        for destination in [PrintDestination.uri(sim.printerURI), .queue(sim.queue)] {
            let before = sim.jobFiles().count
            let report = await service(destination, format: .png).print(sampleContent())
            XCTAssertEqual(report.outcome, .printed, "\(destination)")
            XCTAssertTrue(sim.waitFor(10) { sim.jobFiles().count > before }, "a job file arrives")
            let file = try XCTUnwrap(sim.jobFiles().last)
            XCTAssertEqual(file.pathExtension, "png", "\(destination)")
            XCTAssertEqual(try pngSize(file).width, 576)
            XCTAssertEqual(try zbar(file.path), "http://hall.test/t/q3VxT0b9Qe2LmZk7Yp1RcW4nX8s", "\(destination)")
        }
    }

    func testPWGThroughCupsdReachesThePrinter() async throws {
        let report = await service(.queue(sim.queue), format: .pwg).print(sampleContent())
        XCTAssertEqual(report.outcome, .printed)
        XCTAssertEqual(report.job?.format, .pwg)
        XCTAssertTrue(sim.waitFor(10) { !sim.jobFiles().isEmpty })
    }

    /// Debian 12's cupsd (2.4.2-3+deb12u10) segfaults on a job whose document-name has a space: tickets one after
    /// another through the queue must all print and leave cupsd answering.
    func testTicketsThroughCupsdLeaveCupsdRunning() async throws {
        for _ in 0..<2 {
            let report = await service(.queue(sim.queue)).print(sampleContent())
            XCTAssertEqual(report.outcome, .printed)
        }
        let queued = await CupsPrinter(options: .init(destination: .queue(sim.queue))).health()
        XCTAssertEqual(queued.condition, .ok, "cupsd after two tickets: \(queued.summary)")
    }

    func testDocumentNameHasNoSpaces() {
        XCTAssertEqual(CupsPrinter.documentName("HallKiosk ticket A023"), "HallKiosk-ticket-A023")
        XCTAssertEqual(CupsPrinter.documentName("号票 B7"), "---B7")
        XCTAssertEqual(CupsPrinter.documentName(""), "ticket")
    }

    func testHealthyPrinterIsOK() async {
        let direct = await CupsPrinter(options: .init(destination: .uri(sim.printerURI))).health()
        XCTAssertEqual(direct.condition, .ok, direct.summary)
        let queued = await CupsPrinter(options: .init(destination: .queue(sim.queue))).health()
        XCTAssertEqual(queued.condition, .ok, queued.summary)
    }
}

/// Width and height from a PWG raster file's first page header.
func pwgHeader(_ file: URL) throws -> (width: Int, height: Int) {
    let data = try Data(contentsOf: file)
    XCTAssertEqual(String(decoding: data.prefix(4), as: UTF8.self), "RaS2")
    func be32(_ offset: Int) -> Int { data[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
    // After the 4-byte sync word, cupsWidth is at header offset 372 and cupsHeight at 376.
    return (be32(4 + 372), be32(4 + 376))
}

/// Width and height of a PNG file.
func pngSize(_ file: URL) throws -> (width: Int, height: Int) {
    let data = try Data(contentsOf: file)
    func be32(_ offset: Int) -> Int { data[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
    return (be32(16), be32(20))
}
