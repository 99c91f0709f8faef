import Foundation
import HallAPI
import XCTest
@testable import KioskCore

/// The calling screens keep their text inside the screen, unclipped and apart, at every size and language, and
/// every text colour keeps 4.5:1 against its ground.
final class BoardLayoutTests: XCTestCase {
    typealias F = BoardFixtures
    let measurer = EstimatingTextMeasurer()

    func testHallAndWindowScreensKeepTheLayoutRules() {
        let hallSizes = [Size(width: 1920, height: 1080), Size(width: 1080, height: 1920), Size(width: 1280, height: 800)]
        let windowSizes = [Size(width: 1280, height: 400), Size(width: 800, height: 480)]
        for language in Language.allCases {
            for size in hallSizes {
                for state in states(role: .hall, size: size, language: language) {
                    check(state.1, "\(state.0) \(Int(size.width))x\(Int(size.height)) \(language)")
                }
            }
            for size in windowSizes {
                for state in states(role: .window(id: "w02"), size: size, language: language) {
                    check(state.1, "window \(state.0) \(Int(size.width))x\(Int(size.height)) \(language)")
                }
            }
        }
    }

    func testTextColoursKeepFourAndAHalfToOne() {
        let theme = BoardTheme.standard
        let pairs: [(String, Color, Color)] = [
            ("text", theme.text, theme.panel), ("muted", theme.mutedText, theme.panel), ("number", theme.number, theme.panel),
            ("window", theme.window, theme.panel), ("dim blink", theme.dimNumber, theme.panel),
            ("highlight", theme.highlightText, theme.highlight), ("tag", theme.tagText, theme.tag),
            ("tag on highlight", theme.highlight, theme.background), ("closed", theme.closedText, theme.background),
            ("banner", theme.alarmText, theme.alarm), ("number on ground", theme.number, theme.background),
        ]
        for (name, foreground, background) in pairs {
            XCTAssertGreaterThanOrEqual(contrast(foreground, background), 4.5, name)
        }
    }

    /// A set of states: calm, a new call with tags, twelve calls, a lost link, long names.
    private func states(role: BoardRole, size: Size, language: Language) -> [(String, DisplayList)] {
        var result: [(String, DisplayList)] = []
        var board = BoardHarness(role: role, size: size, language: language)
        result.append(("connecting", board.display))
        let calls = (1...12).map { F.call(Int64(12 - $0 + 1), String(format: "A%03d", 13 - $0), window: $0 % 3 + 1,
                                          at: F.start.addingTimeInterval(Double(-60 * $0)), recall: $0 == 2 ? 1 : 0,
                                          priority: $0 == 3 ? .disabled : nil) }
        board.send(.snapshot(F.board(calls: calls, lastEventId: 12, notice: LocalizedText(zh: "请保管好随身物品", en: "Mind your belongings"))))
        result.append(("calm", board.display))
        board.send(.hallEvent(F.called(F.call(13, "A013", window: 2, at: F.start, recall: 2, priority: .appointment))))
        board.advance(4.6)
        result.append(("new call", board.display))
        board.send(.linkLost(reason: "timed out"))
        result.append(("lost", board.display))
        var long = F.board(calls: calls, lastEventId: 20)
        long.windows[1].name = LocalizedText(zh: "不动产登记与税费综合受理第二窗口", en: "Real estate registration and taxes, second window")
        long.windows[1].activity = .serving
        long.windows[1].ticketNumber = "J123"
        long.queues[0].service.name = LocalizedText(zh: "个体工商户设立变更注销登记", en: "Sole trader registration, changes and closure")
        long.hallName = LocalizedText(zh: "某某市某某区某某街道党群服务中心便民服务大厅", en: "Community Party and Public Service Centre, Citizen Service Hall")
        var longBoard = BoardHarness(role: role, size: size, language: language)
        longBoard.send(.snapshot(long))
        result.append(("long names", longBoard.display))
        return result
    }

    private func check(_ display: DisplayList, _ name: String) {
        let screen = Rect(x: 0, y: 0, width: display.size.width, height: display.size.height)
        let noticeTop = display.size.height - BoardLayout.noticeHeight(display.size)
        // The scrolling notice runs past the screen's edges on purpose; everything else stays inside.
        let texts = display.texts.filter { !($0.frame.minY >= noticeTop - 1 && !screen.contains($0.frame)) }
        for text in texts {
            XCTAssertTrue(screen.contains(text.frame), "\(name): '\(text.string)' outside the screen \(text.frame)")
            let measured = measurer.size(of: text.string, pointSize: text.pointSize, bold: text.bold)
            XCTAssertLessThanOrEqual(measured.width, text.frame.width + 0.5, "\(name): '\(text.string)' is wider than its frame")
            XCTAssertLessThanOrEqual(measured.height, text.frame.height + 0.5, "\(name): '\(text.string)' is taller than its frame")
            XCTAssertGreaterThanOrEqual(text.pointSize, 12, "\(name): '\(text.string)' is too small to read")
        }
        var frames = texts.map(\.frame)
        while let first = frames.popLast() {
            for other in frames where first.overlaps(other) {
                XCTFail("\(name): text frames overlap at \(first) and \(other)")
            }
        }
    }

    private func contrast(_ first: Color, _ second: Color) -> Double {
        func luminance(_ color: Color) -> Double {
            func channel(_ value: UInt8) -> Double {
                let c = Double(value) / 255
                return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * channel(color.red) + 0.7152 * channel(color.green) + 0.0722 * channel(color.blue)
        }
        let (a, b) = (luminance(first), luminance(second))
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }
}
