import CSDL2
import KioskCore
import XCTest

@testable import KioskSDL

/// The background is cleared exactly where no opaque rectangle paints, and text is made opaque only on one
/// solid colour.
final class FrameCoverageTests: XCTestCase {
    private func area(_ rects: [SDL_Rect]) -> Int { rects.reduce(0) { $0 + Int($1.w) * Int($1.h) } }

    /// Every pixel is either in a cover or in exactly one uncovered band, never both.
    func testUncoveredIsTheExactComplement() {
        let covers = [SDL_Rect(x: 10, y: 10, w: 50, h: 30), SDL_Rect(x: 40, y: 20, w: 50, h: 50),
                      SDL_Rect(x: -5, y: 90, w: 200, h: 20), SDL_Rect(x: 70, y: 0, w: 10, h: 5)]
        let width: Int32 = 120, height: Int32 = 100
        let bands = FrameCoverage.uncovered(width: width, height: height, covers: covers)
        for y in 0..<height {
            for x in 0..<width {
                let inside = { (r: SDL_Rect) in x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h }
                let covered = covers.contains(where: inside)
                let cleared = bands.filter(inside).count
                XCTAssertEqual(cleared, covered ? 0 : 1, "pixel \(x),\(y)")
            }
        }
    }

    func testNoCoversClearsEverythingAndFullCoverClearsNothing() {
        XCTAssertEqual(area(FrameCoverage.uncovered(width: 30, height: 20, covers: [])), 600)
        XCTAssertEqual(FrameCoverage.uncovered(width: 30, height: 20, covers: [SDL_Rect(x: 0, y: 0, w: 30, h: 20)]).count, 0)
    }

    /// A rounded rectangle's corners are not solid: the core leaves the four r×r squares out.
    func testOpaqueCoreLeavesTheCornersOut() {
        let core = FrameCoverage.opaqueCore(SDL_Rect(x: 0, y: 0, w: 100, h: 40), radius: 10)
        let bands = FrameCoverage.uncovered(width: 100, height: 40, covers: core)
        XCTAssertEqual(area(bands), 4 * 10 * 10)
    }

    func testTextOnAButtonIsOpaqueOnlyInsideItsSolidCore() {
        let button = Color(hex: 0x13509A)
        let text = TextItem(string: "户籍办理", frame: Rect(x: 20, y: 20, width: 200, height: 40), pointSize: 30, bold: true,
                            color: Color(hex: 0xFFFFFF), alignment: .center)
        var list = DisplayList(size: Size(width: 400, height: 300), background: Color(hex: 0xF4F6F8), items: [
            .rect(frame: Rect(x: 10, y: 10, width: 220, height: 60), color: button, cornerRadius: 8), .text(text),
        ])
        XCTAssertEqual(FrameCoverage.solidBackground(under: Rect(x: 30, y: 20, width: 180, height: 40), textIndex: 1, in: list), button)
        // Reaching into a rounded corner: blended.
        XCTAssertNil(FrameCoverage.solidBackground(under: Rect(x: 11, y: 11, width: 100, height: 40), textIndex: 1, in: list))
        // Something else drawn under it in between: blended.
        list.items.insert(.outline(frame: Rect(x: 25, y: 15, width: 100, height: 50), color: Color(hex: 0), lineWidth: 2, cornerRadius: 0), at: 1)
        XCTAssertNil(FrameCoverage.solidBackground(under: Rect(x: 30, y: 20, width: 180, height: 40), textIndex: 2, in: list))
        // Nothing under it at all: the background colour.
        XCTAssertEqual(FrameCoverage.solidBackground(under: Rect(x: 300, y: 200, width: 50, height: 20), textIndex: 2, in: list),
                       Color(hex: 0xF4F6F8))
    }

    /// An outline paints only its line: text inside it sits on the button under the outline.
    func testTextInsideAnOutlineSitsOnTheButtonUnderIt() {
        let button = Color(hex: 0xFFFFFF), frame = Rect(x: 10, y: 10, width: 200, height: 80)
        let text = TextItem(string: "评价", frame: Rect(x: 30, y: 30, width: 150, height: 40), pointSize: 30, bold: true,
                            color: Color(hex: 0x12467B), alignment: .center)
        let list = DisplayList(size: Size(width: 400, height: 300), background: Color(hex: 0xF2F4F7), items: [
            .rect(frame: frame, color: button, cornerRadius: 14),
            .outline(frame: frame, color: Color(hex: 0x12467B), lineWidth: 3, cornerRadius: 14), .text(text),
        ])
        XCTAssertEqual(FrameCoverage.solidBackground(under: Rect(x: 30, y: 30, width: 150, height: 40), textIndex: 2, in: list), button)
        // Reaching the line, or a corner square: not one colour.
        XCTAssertNil(FrameCoverage.solidBackground(under: Rect(x: 11, y: 30, width: 150, height: 40), textIndex: 2, in: list))
        XCTAssertNil(FrameCoverage.solidBackground(under: Rect(x: 14, y: 14, width: 10, height: 10), textIndex: 2, in: list))
    }

    /// The visible parts of a rectangle under others are exactly its pixels that no cover hides.
    func testUncoveredInsideAnAreaStaysInsideIt() {
        let area = SDL_Rect(x: 20, y: 10, w: 60, h: 40)
        let covers = [SDL_Rect(x: 0, y: 0, w: 30, h: 20), SDL_Rect(x: 50, y: 30, w: 100, h: 5), SDL_Rect(x: 40, y: 15, w: 10, h: 10)]
        let pieces = FrameCoverage.uncovered(area, covers: covers)
        for y in 0..<Int32(60) {
            for x in 0..<Int32(100) {
                let inside = { (r: SDL_Rect) in x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h }
                let expected = inside(area) && !covers.contains(where: inside) ? 1 : 0
                XCTAssertEqual(pieces.filter(inside).count, expected, "pixel \(x),\(y)")
            }
        }
        XCTAssertTrue(FrameCoverage.uncovered(area, covers: [SDL_Rect(x: 0, y: 0, w: 200, h: 200)]).isEmpty)
    }
}
