import Foundation
@testable import KioskApp
import HallTestSupport
import KioskCore
import XCTest

/// The wedge scanner's keys (evdev, grabbed on KMSDRM) and the check-in configuration (issue 21).
final class ScannerAndCheckinConfigTests: XCTestCase {
    /// Presses and releases `code` (with Shift held when `shift`), as a scanner types.
    func type(_ decoder: inout WedgeKeyDecoder, _ codes: [(UInt16, Bool)]) -> String {
        var text = ""
        for (code, shift) in codes {
            if shift { _ = decoder.feed(type: 1, code: 42, value: 1) }
            if let c = decoder.feed(type: 1, code: code, value: 1) { text.append(c) }
            _ = decoder.feed(type: 4, code: 4, value: Int32(code))  // EV_MSC scan code: ignored
            _ = decoder.feed(type: 1, code: code, value: 0)
            if shift { _ = decoder.feed(type: 1, code: 42, value: 0) }
            _ = decoder.feed(type: 0, code: 0, value: 0)  // EV_SYN: ignored
        }
        return text
    }

    func testAWedgeScannerTypesABookingCodeAndEnter() {
        var decoder = WedgeKeyDecoder()
        // K7M2Q9XDPT⏎: K(37) 7(8) M(50) 2(3) Q(16) 9(10) X(45) D(32) P(25) T(20), Enter(28); letters with Shift.
        let text = type(&decoder, [(37, true), (8, false), (50, true), (3, false), (16, true), (10, false), (45, true), (32, true),
                                   (25, true), (20, true), (28, false)])
        XCTAssertEqual(text, "K7M2Q9XDPT\r")
        XCTAssertEqual(ScanText.bookingCode(in: String(text.dropLast())), "K7M2Q9XDPT")
    }

    func testAWedgeScannerTypesATicketURL() {
        var decoder = WedgeKeyDecoder()
        // http://h/t/Ab-9 : h t t p (Shift ;) / / h / t / (Shift a) b - 9
        let text = type(&decoder, [(35, false), (20, false), (20, false), (25, false), (39, true), (53, false), (53, false), (35, false),
                                   (53, false), (20, false), (53, false), (30, true), (48, false), (12, false), (10, false)])
        XCTAssertEqual(text, "http://h/t/Ab-9")
        XCTAssertEqual(ScanText.token(in: text), "Ab-9")
        XCTAssertNil(ScanText.bookingCode(in: text), "a URL is never a booking code")
        XCTAssertNil(decoder.feed(type: 1, code: 200, value: 1), "an unmapped key types nothing")
        XCTAssertEqual(decoder.feed(type: 1, code: 30, value: 2), "a", "autorepeat types again")
    }

    /// `[scanner] device` and check-in offered with a reader.
    func testTheScannerDeviceAndCheckinOffered() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scanner-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let demo = try String(contentsOf: BuiltProducts.repository.appendingPathComponent("kiosk/demo/kiosk.toml"), encoding: .utf8)
        func load(_ text: String) throws -> KioskSettings {
            let path = folder.appendingPathComponent("k-\(UUID().uuidString).toml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return try KioskSettings.load(path: path)
        }
        XCTAssertNil(try load(demo).scannerDevice)
        let byId = "/dev/input/by-id/usb-Scanner_QR-event-kbd"
        XCTAssertEqual(try load(demo + "\n[scanner]\ndevice = \"\(byId)\"\n").scannerDevice, byId)
        XCTAssertThrowsError(try load(demo + "\n[scanner]\ndevice = \"\"\n")) { error in
            XCTAssertTrue("\(error)".contains("scanner.device: is empty"), "\(error)")
        }
        let strings = try Strings.bundled()
        let plain = KioskContext.make(try load(demo), size: Size(width: 1080, height: 1920), strings: strings, measurer: EstimatingTextMeasurer())
        XCTAssertFalse(plain.display.checkinOffered)
        let withReader = KioskContext.make(try load(demo + "\n[idcard]\ndevice = \"/dev/ttyUSB0\"\n"), size: Size(width: 1080, height: 1920),
                                           strings: strings, measurer: EstimatingTextMeasurer())
        XCTAssertTrue(withReader.display.checkinOffered, "a reader offers check-in on the home screen")
    }
}
