import Foundation
import HallAPI
import HallTestSupport
import KioskCore
@testable import KioskPrint
import XCTest

/// Raw ESC/POS: encoder ↔ decoder, and the bytes a raw CUPS queue delivers to a receipt printer.
final class ESCPOSTests: XCTestCase {
    func testBytesDecodeBackToTheSameRasterAndEndWithACut() throws {
        for width in TicketLayout.supportedWidths {
            let raster = try sharedRenderer.render(TicketLayout.make(sampleContent(), widthDots: width))
            let bytes = ESCPOSEncoder.encode(raster, options: .init(feedLines: 5, cut: true, bandRows: 100))
            XCTAssertEqual(Array(bytes.prefix(2)), [0x1B, 0x40], "starts with ESC @")
            XCTAssertEqual(Array(bytes.suffix(3)), [0x1D, 0x56, 0x01], "ends with GS V 1 (partial cut)")
            let document = try ESCPOSDocument(bytes: bytes)
            XCTAssertEqual(document.raster, raster, "width \(width)")
            XCTAssertEqual(document.feedLines, 5)
            XCTAssertTrue(document.endsWithCut)
        }
    }

    func testOddWidthsPadRowsToWholeBytes() throws {
        var raster = Raster(width: 13, height: 3)
        raster[12, 0] = true
        raster[0, 2] = true
        let document = try ESCPOSDocument(bytes: ESCPOSEncoder.encode(raster))
        XCTAssertEqual(document.raster.width, 16)
        XCTAssertTrue(document.raster[12, 0] && document.raster[0, 2])
        XCTAssertEqual(document.raster.blackCount, 2)
    }

    func testGarbageIsRejectedWithItsOffset() {
        XCTAssertThrowsError(try ESCPOSDocument(bytes: [0x1B, 0x40, 0x41])) { error in
            XCTAssertTrue("\(error)".contains("byte 2"), "\(error)")
        }
    }

    func testTheRawQueueDeliversTheSameRaster() async throws {
        let sim = try PrinterSim(self)
        let printer = CupsPrinter(options: .init(destination: .queue(sim.rawQueue), format: .escpos, jobTimeoutSeconds: 30,
                                                 cupsServer: sim.cupsServer))
        let service = TicketPrintService(printer: printer, renderer: sharedRenderer, widthDots: 576)
        let report = await service.print(sampleContent())
        XCTAssertEqual(report.outcome, .printed)
        XCTAssertEqual(report.job?.format, .escpos)
        XCTAssertTrue(sim.waitFor(15) { !sim.sinkFiles().isEmpty }, "the sink received the bytes")
        let bytes = [UInt8](try Data(contentsOf: try XCTUnwrap(sim.sinkFiles().first)))
        let document = try ESCPOSDocument(bytes: bytes)
        XCTAssertEqual(document.raster, report.raster)
        XCTAssertTrue(document.endsWithCut)
    }

    func testPWGEncodingRoundTripsThroughLibcups() throws {
        let raster = try sharedRenderer.render(TicketLayout.make(sampleContent(), widthDots: 512))
        let bytes = try PWGRasterEncoder.encode(raster, dpi: 180)
        XCTAssertEqual(String(decoding: bytes.prefix(4), as: UTF8.self), "RaS2")
        let folder = try temporaryFolder(self, "pwg")
        let file = folder.appendingPathComponent("t.pwg")
        try Data(bytes).write(to: file)
        let header = try pwgHeader(file)
        XCTAssertEqual(header.width, 512)
        XCTAssertEqual(header.height, raster.height)
    }
}
