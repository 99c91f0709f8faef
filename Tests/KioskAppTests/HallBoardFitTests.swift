import Foundation
import HallAPI
import KioskApp
import KioskCore
import XCTest

/// The demo hall's screen in every size and language shows each service name and label whole: no "Household…" in the
/// waiting list (a portrait screen in English takes two columns), and nothing drawn outside its place.
final class HallBoardFitTests: XCTestCase {
    func testTheSampleHallScreenShowsEveryNameWhole() throws {
        let strings = try Strings.bundled()
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        for size in [Size(width: 1080, height: 1920), Size(width: 1920, height: 1080), Size(width: 1280, height: 800)] {
            for language in [Language.zh, .en] {
                let state = try SampleBoard.state(screen: "hall-board", now: now, language: language)
                let list = boardView(state, size: size, strings: strings, measurer: EstimatingTextMeasurer())
                let cut: [String] = list.items.compactMap { item -> String? in
                    guard case .text(let text) = item, text.string.hasSuffix("…") else { return nil }
                    return text.string
                }
                XCTAssertEqual(cut, [], "\(size.width)x\(size.height) \(language)")
                for service in SampleBoard.board(now: now).queues.map({ $0.service.name.text(in: language) }) {
                    let shown = list.items.compactMap { item -> String? in
                        if case .text(let text) = item { return text.string }
                        return nil
                    }.joined(separator: " ")
                    XCTAssertTrue(shown.contains(service.split(separator: " ").first.map(String.init) ?? service),
                                  "\(service) on \(size.width)x\(size.height) \(language)")
                }
            }
        }
    }
}
