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
            try window.images.register("opaque", data: try photo(alpha: false))
            try window.images.register("clear", data: try photo(alpha: true))
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

    /// A PNG (or JPEG) of `width`×`height` in one colour, as a photo upload would be.
    private func picture(width: Int32, height: Int32, jpeg: Bool = false) throws -> Data {
        let surface = try XCTUnwrap(SDL_CreateRGBSurfaceWithFormat(0, width, height, 24, SDL_PIXELFORMAT_RGB24.rawValue))
        defer { SDL_FreeSurface(surface) }
        SDL_FillRect(surface, nil, SDL_MapRGB(surface.pointee.format, 30, 90, 200))
        let path = ShotFolder.file("picture-\(width)x\(height)") + (jpeg ? ".jpg" : "")
        XCTAssertEqual(jpeg ? IMG_SaveJPG(surface, path, 85) : IMG_SavePNG(surface, path), 0)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    func testHeadersAreReadWithoutDecoding() throws {
        XCTAssertEqual(ImageHeader(try picture(width: 300, height: 400)), ImageHeader(format: .png, width: 300, height: 400))
        XCTAssertEqual(ImageHeader(try picture(width: 640, height: 480, jpeg: true)), ImageHeader(format: .jpeg, width: 640, height: 480))
        XCTAssertNil(ImageHeader(Data("<html>not found</html>".utf8)))
        XCTAssertNil(ImageHeader(Data([0xFF, 0xD8, 0xFF])))
    }

    func testPhotosAreDecodedSmallAndBadOnesRefusedWithTheReason() throws {
        let store = ImageStore()
        // A big photo is kept at most `keptSide` a side, its shape kept.
        let big = try store.register("big", data: try picture(width: 1200, height: 1600, jpeg: true))
        XCTAssertEqual(big.height, ImageStore.keptSide)
        XCTAssertEqual(big.width, 480)
        XCTAssertEqual(store.image(named: "big")?.pixels.count, 480 * 640 * 4)
        let small = try store.register("small", data: try picture(width: 120, height: 160))
        XCTAssertEqual([small.width, small.height], [120, 160])

        func refusal(_ data: Data) -> String {
            do { try store.register("bad", data: data); return "taken" } catch { return error.description }
        }
        XCTAssertTrue(refusal(Data()).contains("empty"))
        XCTAssertTrue(refusal(Data("<html>404</html>".utf8)).contains("neither PNG nor JPEG (it starts with 3c 68 74 6d)"))
        // A header claiming 20000×20000 pixels is refused before any pixel is decoded.
        var huge = try picture(width: 8, height: 8)
        huge.replaceSubrange(16..<24, with: [0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20])
        XCTAssertTrue(refusal(huge).contains("20000×20000 pixels; at most 6000 a side"), refusal(huge))
        // Cut short: SDL_image's reason.
        let cut = try picture(width: 200, height: 200, jpeg: false).prefix(60)
        XCTAssertTrue(refusal(Data(cut)).hasPrefix("the PNG cannot be decoded"), refusal(Data(cut)))
        XCTAssertTrue(refusal(Data(count: ImageStore.maxBytes + 1)).contains("at most \(ImageStore.maxBytes)"))
        XCTAssertNil(store.image(named: "bad"), "nothing is kept under a refused image's name")
    }
}
