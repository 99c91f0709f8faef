import Foundation
import KioskCore
import XCTest
@testable import KioskSDL

/// Input through SDL's real queue, and the program's own rotation.
final class InputAndRotationTests: XCTestCase {
    func testRotation90SavesTheLayoutFrameAndTheRotatedWindow() throws {
        let window = try openWindow(size: Size(width: 1080, height: 1920), rotation: 90)
        defer { window.close() }
        XCTAssertEqual(window.layoutSize, Size(width: 1080, height: 1920))
        XCTAssertEqual(window.windowSize, Size(width: 1920, height: 1080))
        let list = SampleScreen.home.displayList(size: window.layoutSize, language: .zh, measurer: window.measurer)
        window.draw(list)
        let layoutPath = ShotFolder.file("home-1080x1920-zh-rot90-layout")
        let windowPath = ShotFolder.file("home-1080x1920-zh-rot90-window")
        try window.screenshot(to: layoutPath)
        try window.screenshotWindow(to: windowPath)
        let layout = try RGBImage(contentsOf: layoutPath)
        let physical = try RGBImage(contentsOf: windowPath)
        XCTAssertEqual([layout.width, layout.height], [1080, 1920])
        XCTAssertEqual([physical.width, physical.height], [1920, 1080])

        // The same screen unrotated is pixel for pixel the layout screenshot.
        let plain = try openWindow(size: Size(width: 1080, height: 1920))
        plain.draw(list)
        let plainPath = ShotFolder.file("home-1080x1920-zh-rot0")
        try plain.screenshot(to: plainPath)
        plain.close()
        XCTAssertEqual(try RGBImage(contentsOf: plainPath).rgb, layout.rgb)

        // Every layout pixel sits where the rotation says on the window.
        let rotation = try ScreenRotation(degrees: 90, layoutSize: window.layoutSize)
        var mismatches = 0
        for y in stride(from: 0, to: 1920, by: 7) {
            for x in stride(from: 0, to: 1080, by: 7) {
                let centre = rotation.windowPoint(forLayout: Point(x: Double(x) + 0.5, y: Double(y) + 0.5))
                if physical.color(x: Int(centre.x), y: Int(centre.y)) != layout.color(x: x, y: y) { mismatches += 1 }
            }
        }
        XCTAssertEqual(mismatches, 0)
    }

    func testInjectedTouchesComeBackAtTheSameLayoutPointInEveryRotation() throws {
        for degrees in [0, 90, 180, 270] {
            let window = try openWindow(size: Size(width: 1080, height: 1920), rotation: degrees)
            defer { window.close() }
            _ = window.waitEvents(timeoutMilliseconds: 0)
            for point in [Point(x: 0, y: 0), Point(x: 123.5, y: 456), Point(x: 1079, y: 1919), Point(x: 540, y: 960.25)] {
                window.inject(.touchDown(point))
                window.inject(.touchUp(point))
                let events = window.waitEvents(timeoutMilliseconds: 500)
                XCTAssertEqual(events, [.touchDown(point), .touchUp(point)], "rotation \(degrees)")
            }
        }
    }

    func testTextKeysQuitCancelAndOnlyTheFirstFingerCount() throws {
        let window = try openWindow(size: Size(width: 1280, height: 800))
        defer { window.close() }
        _ = window.waitEvents(timeoutMilliseconds: 0)
        let long = "http://127.0.0.1:8080/t/tok3nAbCdEfGhIjKlMnOpQ 户籍"
        window.inject(.text(long))
        window.inject(.key("Return"))
        window.inject(.key("Backspace"))
        window.inject(.key("Escape"))
        window.inject(.key("Keypad Enter"))
        window.inject(.key("F1"))
        window.inject(.touchDown(Point(x: 10, y: 10)))
        window.inject(.touchCancel)
        window.inject(.quit)
        let events = window.waitEvents(timeoutMilliseconds: 500)
        let text = events.compactMap { if case .text(let piece) = $0 { return piece } else { return nil } }.joined()
        XCTAssertEqual(text, long)
        XCTAssertEqual(events.filter { if case .text = $0 { return false } else { return true } }, [
            .key("Return"), .key("Backspace"), .key("Escape"), .key("Keypad Enter"),
            .touchDown(Point(x: 10, y: 10)), .touchCancel, .quit,
        ])
    }

    func testWakeFromAnotherThreadEndsTheWaitAtOnce() throws {
        let window = try openWindow(size: Size(width: 640, height: 480))
        defer { window.close() }
        _ = window.waitEvents(timeoutMilliseconds: 0)
        let start = Date()
        XCTAssertEqual(window.waitEvents(timeoutMilliseconds: 120), [])
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.11)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { KioskWindow.wake() }
        let waitStart = Date()
        XCTAssertEqual(window.waitEvents(timeoutMilliseconds: 5_000), [.wake])
        XCTAssertLessThan(Date().timeIntervalSince(waitStart), 1.0)
    }

    func testScreenRotationRoundTrips() throws {
        for degrees in [0, 90, 180, 270, -90, 450] {
            let rotation = try ScreenRotation(degrees: degrees, layoutSize: Size(width: 800, height: 1280))
            for point in [Point(x: 0, y: 0), Point(x: 799, y: 3), Point(x: 400.5, y: 1000)] {
                let there = rotation.windowPoint(forLayout: point)
                XCTAssertTrue(there.x >= 0 && there.x <= rotation.windowSize.width && there.y >= 0
                    && there.y <= rotation.windowSize.height)
                XCTAssertEqual(rotation.layoutPoint(forWindow: there), point)
            }
        }
        XCTAssertThrowsError(try ScreenRotation(degrees: 45, layoutSize: Size(width: 1, height: 1)))
    }
}
