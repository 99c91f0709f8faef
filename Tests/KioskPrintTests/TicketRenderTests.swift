import Foundation
import HallTestSupport
import HallAPI
@testable import KioskPrint
import XCTest

/// The ticket layout and its raster: widths, QR, glyph coverage.
final class TicketRenderTests: XCTestCase {
    func testEverySupportedWidthRendersAtThatWidthWithAScannableQR() throws {
        let folder = try temporaryFolder(self, "ticket-render")
        for width in TicketLayout.supportedWidths {
            let layout = TicketLayout.make(sampleContent(), widthDots: width)
            let raster = try sharedRenderer.render(layout)
            XCTAssertEqual(raster.width, width)
            XCTAssertGreaterThan(raster.height, width, "a ticket is taller than wide")
            let png = folder.appendingPathComponent("ticket-\(width).png").path
            try Data(PNGEncoder.encode(raster)).write(to: URL(fileURLWithPath: png))
            if ProcessInfo.processInfo.environment["KEEP_TICKETS"] != nil {
                try? FileManager.default.copyItem(atPath: png, toPath: "/tmp/ticket-\(width).png")
            }
            XCTAssertEqual(try zbar(png), "http://hall.test/t/q3VxT0b9Qe2LmZk7Yp1RcW4nX8s", "QR at \(width) dots")
        }
    }

    func testTheRatingCodeIsPrintedRightUnderTheNumber() throws {
        for language in Language.allCases {
            let items = TicketLayout.make(sampleContent(language: language), widthDots: 576).items
            let texts = items.compactMap { item -> String? in if case .text(let t, _, _, _, _) = item { t } else { nil } }
            let number = try XCTUnwrap(texts.firstIndex(of: "A023"))
            XCTAssertTrue(texts[number + 1].contains("0427"), "\(language): the code follows the number: \(texts)")
            XCTAssertTrue(texts[number + 1].contains(language == .zh ? "评价码" : "Rating code"), texts[number + 1])
        }
        let withoutCode = TicketLayout.make(sampleContent({ var t = sampleTicket(); t.ratingCode = nil; return t }()), widthDots: 576)
        XCTAssertFalse(withoutCode.items.contains { if case .text(let t, _, _, _, _) = $0 { t.contains("评价码") } else { false } })
    }

    func testQRModulesAreAtLeastFourDotsWithAQuietZone() throws {
        for width in TicketLayout.supportedWidths {
            let layout = TicketLayout.make(sampleContent(), widthDots: width)
            guard case .qr(_, let module)? = layout.items.first(where: { if case .qr = $0 { true } else { false } }) else {
                return XCTFail("no QR code at \(width)")
            }
            XCTAssertGreaterThanOrEqual(module, 4, "module size at \(width)")
            let side = (try QRMatrix("http://hall.test/t/q3VxT0b9Qe2LmZk7Yp1RcW4nX8s").size + 8) * module
            XCTAssertLessThanOrEqual(side, width, "QR with its quiet zone fits at \(width)")
        }
    }

    func testEveryCharacterOfBothLanguagesHasAGlyph() throws {
        for language in Language.allCases {
            var ticket = sampleTicket()
            ticket.priority = .elderly
            let layout = TicketLayout.make(sampleContent(ticket, language: language), widthDots: 576)
            XCTAssertEqual(sharedRenderer.missingGlyphs(in: layout), [], "language \(language)")
        }
    }

    func testMissingGlyphsAreFound() {
        // An emoji and a rare CJK character outside the bundled GB2312 subset.
        let layout = TicketLayout(widthDots: 576, sideMargin: 8, items: [.text("取号 😀 𠀀", size: 24, bold: false, alignment: .left, wrap: true)])
        XCTAssertEqual(sharedRenderer.missingGlyphs(in: layout), ["😀", "𠀀"])
    }

    func testTheBigNumberIsInkAndTheMarginsAreBlank() throws {
        let raster = try sharedRenderer.render(TicketLayout.make(sampleContent(), widthDots: 576))
        let inked = raster.blackCount
        XCTAssertGreaterThan(inked, raster.width * raster.height / 50, "the ticket carries ink")
        for y in 0..<raster.height where raster[0, y] {
            // Only the dashed rules reach the edge.
            XCTAssertTrue(raster[1, y] && raster[7, y], "stray ink at the left edge, row \(y)")
        }
    }

    func testALongNumberShrinksToFitAndLongTextWraps() throws {
        var content = sampleContent(sampleTicket(number: "A0001234"))
        content.footerLines = [String(repeating: "请保管好您的号票，", count: 8)]
        let raster = try sharedRenderer.render(TicketLayout.make(content, widthDots: 384))
        XCTAssertEqual(raster.width, 384)
    }

    func testATestPrintSaysSoAtTopAndBottomAndStillScans() throws {
        func texts(_ layout: TicketLayout) -> [String] {
            layout.items.compactMap { if case .text(let text, _, _, _, _) = $0 { text } else { nil } }
        }
        let ticket = sampleContent()
        XCTAssertFalse(texts(TicketLayout.make(ticket, widthDots: 576)).contains { $0.contains("测试打印") }, "a real ticket carries no mark")
        var test = ticket
        test.isTestPrint = true
        for width in TicketLayout.supportedWidths {
            let layout = TicketLayout.make(test, widthDots: width)
            let lines = texts(layout)
            XCTAssertEqual(lines.prefix(2), ["测试打印 · 不是号票", "TEST PRINT · not a queue ticket"], "top at \(width)")
            XCTAssertEqual(lines.suffix(2), ["测试打印 · 不是号票", "TEST PRINT · not a queue ticket"], "bottom at \(width)")
            XCTAssertEqual(sharedRenderer.missingGlyphs(in: layout), [])
            let png = try temporaryFolder(self, "test-print").appendingPathComponent("test-\(width).png").path
            try Data(PNGEncoder.encode(try sharedRenderer.render(layout))).write(to: URL(fileURLWithPath: png))
            XCTAssertEqual(try zbar(png), "http://hall.test/t/q3VxT0b9Qe2LmZk7Yp1RcW4nX8s", "QR at \(width) dots")
        }
    }

    func testRememberedTextRunsPrintTheSameDots() throws {
        let renderer = try TicketRenderer(fonts: bundledFonts)
        let first = TicketLayout.make(sampleContent(sampleTicket(number: "A023", ahead: 5)), widthDots: 576)
        let fresh = try renderer.render(first)
        let runs = renderer.textRunStatistics.lookups
        XCTAssertEqual(renderer.textRunStatistics.hits, 0)
        // Another ticket at two widths and sizes in between: the face is resized many times.
        _ = try renderer.render(TicketLayout.make(sampleContent(sampleTicket(number: "B117", ahead: 12)), widthDots: 384))
        _ = try renderer.render(TicketLayout.make(sampleContent(sampleTicket(number: "A024", ahead: 6)), widthDots: 576))
        let before = renderer.textRunStatistics
        XCTAssertEqual(try renderer.render(first), fresh, "a remembered run prints exactly the dots it printed first")
        XCTAssertEqual(renderer.textRunStatistics.hits - before.hits, runs, "every run of a ticket seen before is remembered")
        XCTAssertEqual(try TicketRenderer(fonts: bundledFonts).render(first), fresh, "a new renderer prints the same ticket")
    }

    func testTextRunCacheKeepsTwoGenerationsWithinItsBudget() {
        var cache = TextRunCache(budgetBytes: 4_000)  // two generations of 2,000 bytes
        var renders = 0
        func mask(_ text: String) -> TextRunCache.Mask? {
            cache.mask(TextRunCache.Key(text: text, size: 24, bold: false)) {
                renders += 1
                return TextRunCache.Mask(bytes: [UInt8](repeating: 255, count: 1_000), width: 100, height: 10)
            }
        }
        _ = mask("hall"); _ = mask("A001")                   // generation 1: full
        _ = mask("hall")                                      // hit
        _ = mask("A002")                                      // generation 2 starts; 1 becomes old
        _ = mask("hall")                                      // from the old generation, kept in the new one
        XCTAssertEqual(renders, 3)
        _ = mask("A003")                                      // generation 3: A001, A002 gone; hall kept
        _ = mask("hall")
        XCTAssertEqual(renders, 4, "a run every ticket uses stays")
        _ = mask("A001")
        XCTAssertEqual(renders, 5, "a one-off run is dropped after two generations")
        XCTAssertEqual(cache.lookups, 8)
        XCTAssertEqual(cache.hits, 3)
    }

    func testIssueTimeIsHallTime() {
        let date = Date(timeIntervalSince1970: 1_795_400_000) // 2026-11-23T02:13:20Z
        XCTAssertEqual(TicketLayout.issueTime(date, TimeZone(identifier: "Asia/Shanghai")!), "2026-11-23 10:13")
        XCTAssertEqual(TicketLayout.issueTime(date, TimeZone(identifier: "UTC")!), "2026-11-23 02:13")
    }
}
