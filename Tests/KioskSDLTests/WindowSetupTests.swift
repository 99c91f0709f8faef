import Foundation
import KioskCore
import XCTest
@testable import KioskSDL

final class WindowSetupTests: XCTestCase {
    func testMissingFontNamesThePathAndTheFix() {
        setenv("SDL_VIDEODRIVER", "offscreen", 1)
        let options = KioskWindowOptions(videoDriver: "offscreen", size: Size(width: 320, height: 240),
                                         fontRegularPath: "/nowhere/NoSuchFont.otf")
        XCTAssertThrowsError(try KioskWindow(options: options)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("/nowhere/NoSuchFont.otf"), message)
            XCTAssertTrue(message.contains("config"), message)
        }
    }

    func testUnknownVideoDriverSaysWhatToDo() {
        let options = KioskWindowOptions(videoDriver: "no-such-driver", size: Size(width: 320, height: 240))
        XCTAssertThrowsError(try KioskWindow(options: options)) { error in
            XCTAssertTrue("\(error)".contains("no-such-driver"), "\(error)")
            XCTAssertTrue("\(error)".contains("--video offscreen"), "\(error)")
        }
    }

    func testBundledFontsAreFoundAndSystemCollectionsOpenFaceTwo() throws {
        let window = try openWindow(size: Size(width: 320, height: 240))
        defer { window.close() }
        XCTAssertTrue(window.fontFiles.regular.path.hasSuffix("Fonts/NotoSansSC-Regular.otf"), "\(window.fontFiles.regular)")
        XCTAssertTrue(window.fontFiles.bold.path.hasSuffix("Fonts/NotoSansSC-Bold.otf"), "\(window.fontFiles.bold)")
        XCTAssertEqual(FontFile(configured: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").faceIndex, 2)
        XCTAssertEqual(FontFile(configured: "/x/font.ttc#0"), FontFile(path: "/x/font.ttc", faceIndex: 0))
        XCTAssertEqual(FontFile(configured: "/x/font.otf").faceIndex, 0)
        XCTAssertEqual(window.touchDeviceCount, 0)
        XCTAssertEqual(window.videoDriver, "offscreen")
    }

    func testSystemFontCollectionRendersChinese() throws {
        let system = FontLocator.systemRegular
        try XCTSkipUnless(FileManager.default.fileExists(atPath: system), "fonts-noto-cjk not installed")
        setenv("SDL_VIDEODRIVER", "offscreen", 1)
        let window = try KioskWindow(options: KioskWindowOptions(videoDriver: "offscreen", size: Size(width: 400, height: 200),
                                                                 fontRegularPath: system, fontBoldPath: FontLocator.systemBold))
        defer { window.close() }
        let bundled = try openWindow(size: Size(width: 400, height: 200))
        defer { bundled.close() }
        // Face 2 (Simplified Chinese) has the same metrics as the bundled subset cut from it.
        XCTAssertEqual(window.measurer.size(of: "户籍办理", pointSize: 40, bold: false),
                       bundled.measurer.size(of: "户籍办理", pointSize: 40, bold: false))
    }

    func testTextureCacheStaysWithinItsBudget() throws {
        let window = try openWindow(size: Size(width: 1080, height: 1920))
        defer { window.close() }
        // Each frame's 15 new lines and QR code (~3 MB, within the budget); 60 frames would hold ~190 MB.
        for frame in 0..<60 {
            var items: [DisplayItem] = []
            for line in 0..<15 {
                items.append(.text(TextItem(string: "第 \(frame) 帧 第 \(line) 行 Frame \(frame) line \(line)",
                                            frame: Rect(x: 10, y: Double(line) * 60, width: 1000, height: 60),
                                            pointSize: 44, bold: line % 2 == 0, color: Color(hex: 0x112233), alignment: .leading)))
            }
            items.append(.qr(payload: "http://example.test/t/\(frame)", frame: Rect(x: 600, y: 1500, width: 400, height: 400)))
            window.draw(DisplayList(size: window.layoutSize, background: Color(hex: 0xFFFFFF), items: items))
            XCTAssertLessThanOrEqual(window.cacheStatistics.bytes, window.drawer.cache.budgetBytes + 4 << 20)
        }
        XCTAssertLessThanOrEqual(window.cacheStatistics.bytes, window.drawer.cache.budgetBytes)
        XCTAssertEqual(window.cacheStatistics.fontFaces, 2)
    }

    /// An idle screen keeps only the textures its last frame drew, and draws the same afterwards.
    func testReleasingUnusedTexturesKeepsOnlyTheLastFramesAndItStillDrawsTheSame() throws {
        let window = try openWindow(size: Size(width: 800, height: 400))
        defer { window.close() }
        func list(_ number: Int) -> DisplayList {
            DisplayList(size: window.layoutSize, background: Color(hex: 0xFFFFFF), items: [
                .text(TextItem(string: "A\(number) → 3号窗口", frame: Rect(x: 10, y: 10, width: 780, height: 200), pointSize: 120,
                               bold: true, color: Color(hex: 0x112233), alignment: .leading)),
            ])
        }
        for number in 0..<5 { window.draw(list(number)) }
        let before = window.cacheStatistics
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("textures-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let remaining = window.releaseUnusedTextures()
        XCTAssertEqual(window.cacheStatistics.textures, 1, "only the last frame's text")
        XCTAssertLessThan(remaining * 3, before.bytes, "\(before.bytes) → \(remaining) bytes")
        try window.screenshotWindow(to: folder + "/before.png")
        window.draw(list(0))
        window.draw(list(4))
        try window.screenshotWindow(to: folder + "/after.png")
        XCTAssertEqual(FileManager.default.contents(atPath: folder + "/after.png"), FileManager.default.contents(atPath: folder + "/before.png"),
                       "the same frame after the release")
        XCTAssertEqual(window.cacheStatistics.created, before.created + 1, "only the released text was made again")
    }

    func testRoundedRectanglesAndOutlinesAreAntialiasedInsideTheirFrames() throws {
        let window = try openWindow(size: Size(width: 400, height: 300))
        defer { window.close() }
        let frame = Rect(x: 50, y: 50, width: 300, height: 200)
        window.draw(DisplayList(size: window.layoutSize, background: Color(hex: 0xFFFFFF), items: [
            .rect(frame: frame, color: Color(hex: 0x13509A), cornerRadius: 24),
            .outline(frame: frame.insetBy(dx: 40, dy: 40), color: Color(hex: 0xFFFFFF), lineWidth: 4, cornerRadius: 16),
        ]))
        let path = ShotFolder.file("rounded")
        try window.screenshot(to: path)
        let image = try RGBImage(contentsOf: path)
        let blue = Color(hex: 0x13509A), white = Color(hex: 0xFFFFFF)
        XCTAssertEqual(image.color(x: 50, y: 50), white, "the corner is cut")
        XCTAssertEqual(image.color(x: 50, y: 150), blue, "the left edge is straight")
        XCTAssertEqual(image.color(x: 200, y: 50), blue)
        XCTAssertEqual(image.color(x: 60, y: 60), blue, "inside the corner arc")
        XCTAssertEqual(image.bounds(of: blue, in: Rect(x: 0, y: 0, width: 400, height: 300), tolerance: 120),
                       frame, "nothing drawn outside the frame")
        // Anti-aliasing: the arc has in-between shades.
        let arc = Rect(x: 50, y: 50, width: 24, height: 24)
        let shades = image.count(of: Color(hex: 0x8AA8CC), in: arc, tolerance: 60)
        XCTAssertGreaterThan(shades, 5)
        // The outline: its edge pixels are white, the middle stays blue.
        XCTAssertEqual(image.color(x: 200, y: 91), white)
        XCTAssertEqual(image.color(x: 200, y: 96), blue)
        XCTAssertEqual(image.color(x: 200, y: 150), blue)
    }
}
