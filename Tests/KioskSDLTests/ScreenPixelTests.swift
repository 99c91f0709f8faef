import Foundation
import HallAPI
import HallTestSupport
import KioskCore
import XCTest
@testable import KioskSDL

/// The real screens drawn by the real renderer (SDL offscreen), saved as PNG and checked pixel by pixel.
final class ScreenPixelTests: XCTestCase {
    static let sizes = [Size(width: 1080, height: 1920), Size(width: 1920, height: 1080), Size(width: 1280, height: 800)]

    /// Every main screen at three sizes in both languages: not blank, every text drawn inside its frame
    /// and inside the button it belongs to, and the text fits its frame as measured.
    func testMainScreensDrawTheirTextInsideTheirFramesAndButtons() throws {
        for size in Self.sizes {
            let window = try openWindow(size: size)
            defer { window.close() }
            for language in Language.allCases {
                for screen in SampleScreen.allCases {
                    let name = "\(screen.rawValue)-\(Int(size.width))x\(Int(size.height))-\(language.rawValue)"
                    let list = screen.displayList(size: window.layoutSize, language: language, measurer: window.measurer)
                    window.draw(list)
                    let path = ShotFolder.file(name)
                    try window.screenshot(to: path)
                    let image = try RGBImage(contentsOf: path)
                    XCTAssertEqual(image.width, Int(size.width), name)
                    XCTAssertEqual(image.height, Int(size.height), name)
                    XCTAssertGreaterThan(image.distinctColorCount, 8, "\(name) looks blank")
                    check(list, on: image, window: window, name: name)
                }
            }
        }
    }

    private func check(_ list: DisplayList, on image: RGBImage, window: KioskWindow, name: String) {
        for text in list.texts where !text.string.trimmingCharacters(in: .whitespaces).isEmpty {
            let label = "\(name) \"\(text.string)\""
            let measured = window.measurer.size(of: text.string, pointSize: text.pointSize, bold: text.bold)
            XCTAssertLessThanOrEqual(measured.width, text.frame.width + 1, "\(label) is wider than its frame")
            let ink = image.count(of: text.color, in: text.frame)
            XCTAssertGreaterThan(ink, min(20, Int(measured.width)), "\(label) has no ink in its frame \(text.frame)")
            // Where the renderer put the text must lie inside the button the text sits on.
            let placed = DisplayListRenderer.placement(of: text, width: Int32(measured.width), height: Int32(measured.height))
            if let button = list.hitRegions.last(where: { $0.frame.contains(text.frame.center) }) {
                XCTAssertTrue(button.frame.contains(text.frame, tolerance: 1),
                              "\(label) frame \(text.frame) leaves its button \(button.id) \(button.frame)")
                let ink = Rect(x: Double(placed.x), y: Double(placed.y), width: Double(placed.w), height: Double(placed.h))
                    .insetBy(dx: 0, dy: measured.height * 0.12)
                XCTAssertTrue(button.frame.contains(ink, tolerance: 1),
                              "\(label) drawn at \(ink) leaves its button \(button.id) \(button.frame)")
            }
        }
    }

    /// The ticket's QR code decodes (zbarimg) to the ticket's lookup URL at every size.
    func testTicketQRCodeDecodesToTheLookupURL() throws {
        for size in Self.sizes {
            let window = try openWindow(size: size)
            defer { window.close() }
            let list = SampleScreen.ticket.displayList(size: window.layoutSize, language: .zh, measurer: window.measurer)
            let qrFrames = list.items.compactMap { item -> Rect? in
                if case .qr(_, let frame) = item { return frame } else { return nil }
            }
            XCTAssertEqual(qrFrames.count, 1, "the ticket screen shows one QR code")
            window.draw(list)
            let path = ShotFolder.file("ticket-qr-\(Int(size.width))x\(Int(size.height))")
            try window.screenshot(to: path)
            XCTAssertEqual(try zbarDecode(path), DemoHall.lookupUrl, "QR at \(size)")
        }
    }

    /// QR modules are whole, square pixels with a quiet zone of 4 light modules.
    func testQRCodeIsCrispWithAQuietZone() throws {
        let window = try openWindow(size: Size(width: 600, height: 600))
        defer { window.close() }
        let frame = Rect(x: 50, y: 50, width: 500, height: 500)
        let payload = DemoHall.lookupUrl
        window.draw(DisplayList(size: window.layoutSize, background: Color(hex: 0x808080), items: [.qr(payload: payload, frame: frame)]))
        let path = ShotFolder.file("qr-crisp")
        try window.screenshot(to: path)
        let image = try RGBImage(contentsOf: path)
        let modules = try QRRaster.modules(for: payload)
        let placement = DisplayListRenderer.qrPlacement(moduleCount: modules.size, in: frame)
        let pixels = placement.modulePixels
        XCTAssertGreaterThanOrEqual(pixels, 500 / (modules.size + 8))
        for row in 0..<modules.size {
            for column in 0..<modules.size {
                let x = Int(placement.rect.x) + (column + 4) * pixels, y = Int(placement.rect.y) + (row + 4) * pixels
                let expected: UInt8 = modules.dark[row * modules.size + column] ? 0 : 255
                for (dx, dy) in [(0, 0), (pixels - 1, 0), (0, pixels - 1), (pixels - 1, pixels - 1)] {
                    XCTAssertEqual(image.color(x: x + dx, y: y + dy).red, expected, "module \(row),\(column)")
                }
            }
        }
        // The quiet zone and the rest of the frame are white; outside the frame is the background.
        XCTAssertEqual(image.count(of: Color(hex: 0xFFFFFF),
                                   in: Rect(x: Double(placement.rect.x), y: Double(placement.rect.y),
                                            width: Double(placement.rect.w), height: Double(4 * pixels)), tolerance: 0),
                       Int(placement.rect.w) * 4 * pixels)
        XCTAssertEqual(image.color(x: 52, y: 52), Color(hex: 0xFFFFFF))
        XCTAssertEqual(image.color(x: 20, y: 20), Color(hex: 0x808080))
        XCTAssertEqual(try zbarDecode(path), payload)
    }
}
