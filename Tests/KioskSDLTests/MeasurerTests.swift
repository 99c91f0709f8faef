import CSDL2TTF
import Foundation
import KioskCore
import XCTest
@testable import KioskSDL

/// The measurer the core lays out with must agree with what the renderer draws.
final class MeasurerTests: XCTestCase {
    static let samples = ["示范县政务服务中心", "户籍办理", "等候 12 人 · 约 1 小时 15 分钟", "Household registration",
                          "Passports and travel permits", "A023", "09:30", "Please take your ticket", "进度查询（扫码）",
                          "甪直镇䶮赟堃犇骉事项"]

    func testMeasuredWidthsMatchRenderedTextures() throws {
        let window = try openWindow(size: Size(width: 1280, height: 800))
        defer { window.close() }
        for bold in [false, true] {
            for pointSize in [19.0, 26, 34, 44, 64, 148] {
                var items: [DisplayItem] = []
                for (index, string) in Self.samples.enumerated() {
                    let frame = Rect(x: 10, y: 10 + Double(index) * 20, width: 1200, height: 10)
                    items.append(.text(TextItem(string: string, frame: frame, pointSize: pointSize, bold: bold,
                                                color: Color(hex: 0x000000), alignment: .leading)))
                }
                window.draw(DisplayList(size: window.layoutSize, background: Color(hex: 0xFFFFFF), items: items))
                for string in Self.samples {
                    let measured = window.measurer.size(of: string, pointSize: pointSize, bold: bold)
                    // Blended, or opaque on the white background when nothing else lies under it.
                    let keys = [0, 0xFFFF_FFFF].map {
                        TextureCache.Key.text(string: string, pixelSize: FontLibrary.pixelSize(pointSize), bold: bold,
                                              rgba: 0x0000_00FF, backgroundRGBA: $0, degrees: 0)
                    }
                    let texture = try XCTUnwrap(keys.lazy.compactMap { window.drawer.cache.entries[$0] }.first,
                                                "\(string) was not drawn")
                    XCTAssertEqual(Double(texture.width), measured.width, "\(string) at \(pointSize)")
                    XCTAssertEqual(Double(texture.height), measured.height, "\(string) at \(pointSize)")
                }
            }
        }
    }

    /// Characters beyond the bundled fonts' GB2312 (堃 赟 䶮 …) come from the system's complete Noto Sans CJK SC,
    /// opened only when such a text is first drawn.
    func testRareCharactersUseTheFallbackFaceOnlyWhenNeeded() throws {
        try XCTSkipIf(FontLocator.fallbacks().isEmpty, "fonts-noto-cjk is not installed")
        let window = try openWindow(size: Size(width: 1280, height: 800))
        defer { window.close() }
        let library = window.fonts
        let common = library.withFont(pointSize: 32, bold: false, text: "户籍办理 A023") { $0 }
        XCTAssertEqual(library.openFaces, 2, "common text needs no further face")
        let rare = library.withFont(pointSize: 32, bold: false, text: "甪直镇䶮赟堃") { $0 }
        XCTAssertNotEqual(rare, common)
        XCTAssertEqual(library.openFaces, 3)
        for scalar in "䶮赟堃犇骉甪".unicodeScalars {
            XCTAssertEqual(TTF_GlyphIsProvided32(common, scalar.value), 0, "the bundled subset lacks \(scalar)")
            XCTAssertNotEqual(TTF_GlyphIsProvided32(rare, scalar.value), 0, "the fallback has \(scalar)")
        }
    }

    /// The ink of a drawn line is no wider than measured and not much narrower (side bearings only).
    func testInkWidthIsWithinTheMeasuredWidth() throws {
        let window = try openWindow(size: Size(width: 1600, height: 200))
        defer { window.close() }
        for string in Self.samples {
            for bold in [false, true] {
                let pointSize = 48.0
                let measured = window.measurer.size(of: string, pointSize: pointSize, bold: bold)
                let frame = Rect(x: 100, y: 40, width: measured.width, height: measured.height)
                window.draw(DisplayList(size: window.layoutSize, background: Color(hex: 0xFFFFFF), items: [
                    .text(TextItem(string: string, frame: frame, pointSize: pointSize, bold: bold,
                                   color: Color(hex: 0x000000), alignment: .leading)),
                ]))
                let path = ShotFolder.file("measure")
                try window.screenshot(to: path)
                let image = try RGBImage(contentsOf: path)
                let ink = try XCTUnwrap(image.bounds(of: Color(hex: 0x000000),
                                                     in: Rect(x: 0, y: 0, width: 1600, height: 200), tolerance: 200))
                XCTAssertGreaterThanOrEqual(ink.minX, frame.minX - 1, string)
                XCTAssertLessThanOrEqual(ink.maxX, frame.maxX + 1, string)
                // Side bearings only; full-width punctuation is half blank by design.
                let blankHalves = [string.first, string.last].filter { $0.map { "（）《》，。：".contains($0) } ?? false }.count
                let tolerance = pointSize * (0.3 + 0.5 * Double(blankHalves))
                XCTAssertGreaterThan(ink.width, measured.width - tolerance, "\(string): ink \(ink.width) of \(measured.width)")
                XCTAssertGreaterThanOrEqual(ink.minY, frame.minY, string)
                XCTAssertLessThanOrEqual(ink.maxY, frame.maxY, string)
            }
        }
    }

    func testMeasurerIsCachedAndSurvivesClose() throws {
        let window = try openWindow(size: Size(width: 320, height: 240))
        let measurer = window.measurer
        let before = measurer.size(of: "户籍办理", pointSize: 40, bold: true)
        XCTAssertGreaterThan(before.width, 100)
        window.close()
        XCTAssertEqual(measurer.size(of: "户籍办理", pointSize: 40, bold: true), before)
        XCTAssertGreaterThan(measurer.size(of: "new text after close", pointSize: 40, bold: true).width, 0)
    }
}
