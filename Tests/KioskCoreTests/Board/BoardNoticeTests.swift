import XCTest
import HallAPI
@testable import KioskCore

/// The notice strip's pages: each language on its own pages, lines balanced so no page is a lone tail.
final class BoardNoticeTests: XCTestCase {
    let fitter = TextFitter(measurer: EstimatingTextMeasurer())
    let notice = LocalizedText(zh: "取号后请在休息区等候，留意大屏和语音叫号；过号请到综合咨询窗口重新排队。",
                               en: "Please wait in the seating area and listen for your number; if you miss it, queue again at General enquiries.")

    func testANoticeThatFitsIsOneBilingualPage() {
        let pages = BoardNotice.pages(notice, language: .zh, width: 100_000, size: 40, fitter: fitter)
        XCTAssertEqual(pages, [BoardNotice.line(notice, language: .zh)])
    }

    func testPagesKeepToOneLanguageAndAreBalanced() throws {
        for width in [700.0, 900, 1000, 1300] {
            let pages = BoardNotice.pages(notice, language: .zh, width: width, size: 40, fitter: fitter)
            XCTAssertGreaterThan(pages.count, 1, "width \(width)")
            let zh = pages.filter { $0.unicodeScalars.contains { $0.value >= 0x4E00 } }
            let en = pages.filter { !$0.unicodeScalars.contains { $0.value >= 0x4E00 } }
            XCTAssertEqual(zh.joined(), notice.zh, "the Chinese pages come first and hold the whole Chinese text")
            XCTAssertEqual(pages.prefix(zh.count).map { $0 }, zh)
            XCTAssertEqual(en.joined(separator: " "), notice.en, "then the English pages, whole")
            for page in pages {
                XCTAssertLessThanOrEqual(fitter.width(page, 40, bold: false), width + 0.5, "'\(page)' fits \(width)")
            }
            for group in [zh, en] where group.count > 1 {
                let widths = group.map { fitter.width($0, 40, bold: false) }
                XCTAssertGreaterThan(widths.min()! / widths.max()!, 0.6, "balanced at width \(width): \(group)")
            }
        }
    }
}
