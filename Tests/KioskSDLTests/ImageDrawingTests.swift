import CSDL2
import CSDL2Image
import Foundation
import KioskCore
import XCTest

@testable import KioskSDL

/// Images (staff photos) are scaled to fit their frame, centred, opaque ones copied and translucent ones blended,
/// the same upright and turned, and the same in incremental and whole frames.
final class ImageDrawingTests: XCTestCase {
    /// A 40×20 PNG: left half blue, right half red; with `alpha`, the right half is transparent instead.
    private func photo(alpha: Bool) throws -> Data {
        let format = alpha ? SDL_PIXELFORMAT_ARGB8888.rawValue : SDL_PIXELFORMAT_RGB24.rawValue
        let surface = try XCTUnwrap(SDL_CreateRGBSurfaceWithFormat(0, 40, 20, alpha ? 32 : 24, format))
        defer { SDL_FreeSurface(surface) }
        var left = SDL_Rect(x: 0, y: 0, w: 20, h: 20), right = SDL_Rect(x: 20, y: 0, w: 20, h: 20)
        SDL_FillRect(surface, &left, SDL_MapRGBA(surface.pointee.format, 0, 0, 255, 255))
        SDL_FillRect(surface, &right, SDL_MapRGBA(surface.pointee.format, 255, 0, 0, alpha ? 0 : 255))
        let path = ShotFolder.file("photo-source-\(alpha)")
        XCTAssertEqual(IMG_SavePNG(surface, path), 0)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    func testImagesAreScaledIntoTheirFrameCopiedOrBlended() throws {
        let green = Color(hex: 0x20A040), blue = Color(hex: 0x0000FF), red = Color(hex: 0xFF0000)
        for rotation in [0, 90] {
            let window = try openWindow(size: Size(width: 400, height: 300), rotation: rotation)
            defer { window.close() }
            window.images.register("opaque", data: try photo(alpha: false))
            window.images.register("clear", data: try photo(alpha: true))
            let list = DisplayList(size: window.layoutSize, background: Color(hex: 0xFFFFFF), items: [
                .rect(frame: Rect(x: 0, y: 0, width: 400, height: 300), color: green, cornerRadius: 0),
                // 2:1 into 200×200: 200×100, centred vertically (y 50…150).
                .image(name: "opaque", frame: Rect(x: 0, y: 0, width: 200, height: 200)),
                .image(name: "clear", frame: Rect(x: 200, y: 200, width: 200, height: 100)),
            ])
            window.draw(list)
            let path = ShotFolder.file("images-\(rotation)")
            try window.screenshot(to: path)
            let image = try RGBImage(contentsOf: path)
            let label = "rotated \(rotation)"
            XCTAssertEqual(image.color(x: 100, y: 20), green, "above the letterboxed image, \(label)")
            XCTAssertEqual(image.color(x: 40, y: 100), blue, label)
            XCTAssertEqual(image.color(x: 160, y: 100), red, label)
            XCTAssertEqual(image.color(x: 100, y: 180), green, "below it, \(label)")
            XCTAssertEqual(image.color(x: 240, y: 250), blue, label)
            XCTAssertEqual(image.color(x: 360, y: 250), green, "the transparent half shows what is under it, \(label)")
            // The blue half: 100×100 from (0, 50), its right edge filtered into the red (linear scaling).
            let bounds = try XCTUnwrap(image.bounds(of: blue, in: Rect(x: 0, y: 0, width: 200, height: 200), tolerance: 8))
            XCTAssertEqual([bounds.minX, bounds.minY, bounds.height], [0, 50, 100], label)
            XCTAssertEqual(bounds.width, 100, accuracy: 3, label)
            // Incremental frames give the same pixels as whole frames.
            let moved = DisplayList(size: list.size, background: list.background,
                                    items: list.items.dropLast() + [.image(name: "clear", frame: Rect(x: 220, y: 180, width: 120, height: 60))])
            window.draw(moved)
            let incremental = try window.currentPixels()
            _ = window.drawTimed(moved, full: true)
            XCTAssertEqual(try window.currentPixels(), incremental, label)
        }
    }
}
