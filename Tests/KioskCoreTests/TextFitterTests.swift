import HallAPI
import XCTest
@testable import KioskCore

final class TextFitterTests: XCTestCase {
    let fitter = TextFitter(measurer: EstimatingTextMeasurer())

    func testEstimatorCountsCJKAsOneEmAndLatinAsZeroPointFiveFive() {
        let measurer = EstimatingTextMeasurer()
        XCTAssertEqual(measurer.size(of: "户籍办理", pointSize: 40, bold: true).width, 160)
        XCTAssertEqual(measurer.size(of: "A023", pointSize: 100, bold: false).width, 220)
        XCTAssertEqual(measurer.size(of: "x", pointSize: 40, bold: false).height, 50)
    }

    func testShortTextKeepsItsSizeOnOneLine() {
        let fitted = fitter.fit("户籍办理", width: 400, preferred: 40, minimum: 30, bold: true)
        XCTAssertEqual(fitted.lines, ["户籍办理"])
        XCTAssertEqual(fitted.pointSize, 40)
    }

    func testLatinWrapsAtSpacesAndCJKAnywhere() {
        XCTAssertEqual(fitter.wrap("Passports and travel permits", width: 300, pointSize: 30, bold: false),
                       ["Passports and", "travel permits"])
        XCTAssertEqual(fitter.wrap("个体工商户登记", width: 100, pointSize: 25, bold: false), ["个体工商", "户登记"])
    }

    func testShrinksBeforeBreakingAWord() {
        let fitted = fitter.fit("English", width: 150, preferred: 44, minimum: 30, bold: true, maxLines: 2)
        XCTAssertEqual(fitted.lines, ["English"])
        XCTAssertLessThanOrEqual(EstimatingTextMeasurer().size(of: "English", pointSize: fitted.pointSize, bold: true).width,
                                 150)
    }

    func testTruncatesWithAnEllipsisWhenNothingElseFits() {
        let fitted = fitter.fit("Human Resources and Social Security", width: 120, height: 40, preferred: 30,
                                minimum: 24, bold: false, maxLines: 1)
        XCTAssertEqual(fitted.lines.count, 1)
        XCTAssertTrue(fitted.lines[0].hasSuffix("…"))
        XCTAssertLessThanOrEqual(EstimatingTextMeasurer().size(of: fitted.lines[0], pointSize: 24, bold: false).width, 120)
    }

    func testCachingMeasurerRemembersAndStaysBounded() {
        let counting = CountingTextMeasurer()
        let cache = CachingTextMeasurer(counting, limit: 4)
        XCTAssertEqual(cache.size(of: "A", pointSize: 10, bold: false), EstimatingTextMeasurer().size(of: "A", pointSize: 10,
                                                                                                     bold: false))
        _ = cache.size(of: "A", pointSize: 10, bold: false)
        XCTAssertEqual(cache.count, 1)
        XCTAssertEqual(counting.calls, 1, "measured once")
        // "A" is used between one-off strings (as a service name is between ticket numbers): it stays.
        for n in 0..<1000 {
            _ = cache.size(of: "T\(n)", pointSize: 10, bold: false)
            _ = cache.size(of: "A", pointSize: 10, bold: false)
            XCTAssertLessThanOrEqual(cache.count, 4)
        }
        XCTAssertEqual(counting.calls, 1001, "the hot string was never measured again; each one-off once")
    }

    func testTwoGenerationCacheAgesByCost() {
        var cache = TwoGenerationCache<String, [UInt8]>(limit: 10, cost: { $0.count })
        cache.insert([1, 2, 3, 4], for: "a")
        cache.insert([1, 2, 3, 4, 5, 6], for: "b")        // 10: the young generation is full
        cache.insert([9, 9, 9, 9], for: "a")              // replacing "a" counts its new cost only: still 10
        XCTAssertEqual(cache.count, 2)
        XCTAssertEqual(cache.value(for: "a"), [9, 9, 9, 9])
        cache.insert([7], for: "c")                       // 11 > 10: a and b become old, c is young
        XCTAssertEqual(cache.value(for: "b"), [1, 2, 3, 4, 5, 6], "found in the old generation, back in the young")
        cache.insert([1, 2, 3, 4], for: "d")              // 7 + 4 > 10: c and b old, a dropped
        XCTAssertNil(cache.value(for: "a"))
        XCTAssertEqual(cache.value(for: "c"), [7])
        XCTAssertLessThanOrEqual(cache.count, 4)
    }


    func testGeometryHelpers() {
        let rect = Rect(x: 0, y: 0, width: 100, height: 50)
        XCTAssertTrue(rect.contains(Point(x: 0, y: 0)))
        XCTAssertFalse(rect.contains(Point(x: 100, y: 10)), "right edge belongs to the neighbour")
        XCTAssertFalse(rect.overlaps(Rect(x: 100, y: 0, width: 10, height: 10)))
        XCTAssertEqual(rect.columns(2, gap: 10).map(\.width), [45, 45])
        XCTAssertEqual(rect.slicedFromBottom(20, gap: 5).rest.height, 25)
        XCTAssertEqual(Color(hex: 0x12467B).description, "#12467B")
    }
}

final class LineBreakingTests: XCTestCase {
    func testClosingPunctuationNeverStartsALine() {
        let fitter = TextFitter(measurer: EstimatingTextMeasurer())
        let lines = fitter.wrap("打印机没能打印号票。请拍下二维码", width: 270, pointSize: 30, bold: false)
        XCTAssertEqual(lines, ["打印机没能打印号", "票。请拍下二维码"])
        XCTAssertTrue(lines.allSatisfy { !TextFitter.closingPunctuation.contains($0.first ?? " ") })
    }
}

final class TextFitterEdgeTests: XCTestCase {
    func testVeryLongTextWithoutAHeightLimitIsCutNotCrashed() {
        let fitter = TextFitter(measurer: EstimatingTextMeasurer())
        let long = String(repeating: "很长的服务名称", count: 40)
        let fitted = fitter.fit(long, width: 200, height: .infinity, preferred: 40, minimum: 30, bold: true, maxLines: 2)
        XCTAssertEqual(fitted.lines.count, 2)
        XCTAssertTrue(fitted.lines[1].hasSuffix("…"))
        let tiny = fitter.fit("A023", width: 0, height: 0, preferred: 0, minimum: 0, bold: false)
        XCTAssertEqual(tiny.lines.count, 1)
    }
}

final class PhraseBreakingTests: XCTestCase {
    func testLinesPreferToEndAfterAFullStopOrComma() {
        let fitter = TextFitter(measurer: EstimatingTextMeasurer())
        let lines = fitter.wrap("打印机没能打印号票。请用手机拍下二维码，或请工作人员帮助", width: 600, pointSize: 30,
                                bold: false)
        XCTAssertEqual(lines, ["打印机没能打印号票。请用手机拍下二维码，", "或请工作人员帮助"])
    }
}
