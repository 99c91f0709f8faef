@testable import KioskPrint
import XCTest

/// `printer.format` against what a destination offers: the choice, and a message that lists the offer.
final class FormatChoiceTests: XCTestCase {
    let cupsQueue = ["application/octet-stream", "application/pdf", "image/png", "image/pwg-raster", "image/urf"]

    func testAutoPrefersPWGThenPNG() {
        XCTAssertEqual(try CupsPrinter.FormatChoice.auto.resolve(offered: cupsQueue, destination: "q").get(), .pwg)
        XCTAssertEqual(try CupsPrinter.FormatChoice.auto.resolve(offered: ["image/png", "image/jpeg"], destination: "q").get(), .png)
    }

    func testAutoWithoutEitherNamesTheOfferAndTheFix() {
        let offer = ["application/pdf", "image/jpeg", "image/urf", "text/plain", "image/gif", "image/tiff", "application/postscript"]
        guard case .failure(let error) = CupsPrinter.FormatChoice.auto.resolve(offered: offer, destination: "CUPS queue 'x'") else {
            return XCTFail("chose a format the queue does not take")
        }
        XCTAssertEqual(error.kind, .rejected)
        XCTAssertTrue(error.description.contains("CUPS queue 'x'"), error.description)
        XCTAssertTrue(error.description.contains("application/pdf, image/jpeg"), error.description)
        XCTAssertTrue(error.description.contains("and 1 more"), error.description)
        XCTAssertTrue(error.description.contains("printer.format = \"escpos\""), error.description)
    }

    func testAFixedFormatMustBeOffered() {
        XCTAssertEqual(try CupsPrinter.FormatChoice.png.resolve(offered: cupsQueue, destination: "q").get(), .png)
        guard case .failure(let error) = CupsPrinter.FormatChoice.pwg.resolve(offered: ["image/png"], destination: "q") else {
            return XCTFail("PWG chosen for a destination that only takes PNG")
        }
        XCTAssertTrue(error.description.contains("does not take image/pwg-raster (it offers image/png)"), error.description)
    }

    func testESCPOSNeedsARawQueue() {
        XCTAssertEqual(try CupsPrinter.FormatChoice.escpos.resolve(offered: ["application/vnd.cups-raw"], destination: "q").get(), .escpos)
        XCTAssertEqual(try CupsPrinter.FormatChoice.escpos.resolve(offered: cupsQueue, destination: "q").get(), .escpos)
        guard case .failure(let error) = CupsPrinter.FormatChoice.escpos.resolve(offered: ["image/pwg-raster"], destination: "q") else {
            return XCTFail("raw bytes sent to a destination that does not take them")
        }
        XCTAssertTrue(error.description.contains("-m raw"), error.description)
    }

    func testNoOfferAtAllIsSaidSo() {
        XCTAssertEqual(CupsPrinter.FormatChoice.list([]), "no formats")
    }
}
