import Foundation
import HallAPI
import HallTestSupport
import KioskCore
import XCTest

@testable import KioskSDL

/// Repainting only what changed gives exactly the pixels of a whole new frame, and repaints little.
final class FrameDamageTests: XCTestCase {
    static let strings: Strings = { try! Strings.bundled() }()

    func frames(size: Size, rotation: Int) throws -> (KioskWindow, [DisplayList]) {
        let window = try openWindow(size: size, rotation: rotation)
        let context = KioskContext(display: DisplayEnvironment(size: window.layoutSize, strings: Self.strings, measurer: window.measurer))
        var engine = KioskEngine(state: KioskState(now: Date(timeIntervalSince1970: 1_790_000_000), intentKeySeed: "t"), context: context)
        _ = engine.handle(.hallStatusArrived(DemoHall.status(), at: Date(timeIntervalSince1970: 1_790_000_000)))
        var lists = [engine.display]
        let button = try XCTUnwrap(engine.display.tapPoint(forLabelContaining: "户籍办理"))
        _ = engine.handle(.touchDown(x: button.x, y: button.y))
        lists.append(engine.display)  // pressed
        _ = engine.handle(.touchCancel)
        _ = engine.handle(.tick(now: Date(timeIntervalSince1970: 1_790_000_000 + 61)))
        lists.append(engine.display)  // released, clock a minute on
        _ = engine.handle(.touchDown(x: 300, y: 300))
        _ = engine.handle(.touchUp(x: 300, y: 300))
        lists.append(engine.display)  // another screen altogether
        return (window, lists)
    }

    func testIncrementalFramesEqualWholeFrames() throws {
        for (size, rotation) in [(Size(width: 1080, height: 1920), 0), (Size(width: 1280, height: 800), 90)] {
            let (window, lists) = try frames(size: size, rotation: rotation)
            defer { window.close() }
            window.draw(lists[0])
            for (index, list) in lists.enumerated().dropFirst() {
                window.draw(list)
                let incremental = try window.currentPixels()
                _ = window.drawTimed(list, full: true)
                let whole = try window.currentPixels()
                let differing = zip(incremental, whole).filter { $0 != $1 }.count
                XCTAssertEqual(differing, 0, "frame \(index) at \(size) rotated \(rotation): \(differing) bytes differ")
            }
        }
    }

    func testAPressedButtonRepaintsOnlyThatButton() throws {
        let (window, lists) = try frames(size: Size(width: 1080, height: 1920), rotation: 0)
        defer { window.close() }
        let bounds: (DisplayItem) -> Rect = { $0.bounds ?? Rect(x: 0, y: 0, width: 0, height: 0) }
        let pressed = try XCTUnwrap(FrameDamage.regions(from: lists[0], to: lists[1], bounds: bounds))
        let area = pressed.reduce(0) { $0 + $1.width * $1.height }
        XCTAssertGreaterThan(area, 0)
        XCTAssertLessThan(area, 0.1 * 1080 * 1920, "a pressed button is a small part of the screen: \(pressed)")
        XCTAssertEqual(FrameDamage.regions(from: lists[0], to: lists[0], bounds: bounds), [])
    }

    /// A whole home frame writes each pixel about once: opaque steps hide what is under them (button fills under
    /// their text, the background under the buttons), and text and corners sit on known colours, so are copied.
    func testAWholeHomeFrameWritesEachPixelAboutOnce() throws {
        for (size, rotation) in [(Size(width: 1080, height: 1920), 0), (Size(width: 1920, height: 1080), 0),
                                 (Size(width: 1280, height: 800), 0), (Size(width: 1280, height: 800), 90)] {
            let (window, lists) = try frames(size: size, rotation: rotation)
            defer { window.close() }
            _ = window.drawTimed(lists[0], full: true)
            let stats = window.lastFrameStatistics
            let label = "\(Int(size.width))x\(Int(size.height)) rotated \(rotation): \(stats)"
            XCTAssertEqual(stats.repaintedPixels, Int(size.width * size.height), label)
            XCTAssertEqual(stats.targetPixels, Int(size.width * size.height), label)
            XCTAssertGreaterThanOrEqual(stats.written, stats.repaintedPixels, "every pixel is written: \(label)")
            XCTAssertLessThan(stats.overdraw, 1.01, label)
            XCTAssertLessThan(stats.blended, stats.repaintedPixels / 100, label)
        }
    }
}
