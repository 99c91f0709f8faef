@testable import CallVoice
import Foundation
import XCTest

/// What a call says, as the clips of the voice pack.
final class AnnouncementScriptTests: XCTestCase {
    let call = Announcement(sequence: 1, ticketNumber: "A023", window: "3", calledAt: Date(timeIntervalSince1970: 0))
    let sentence = ["zh/qing", "zh/A", "zh/0", "zh/2", "zh/3", "zh/hao", "zh/dao", "zh/3", "zh/hao", "zh/chuangkou", "zh/banli"]

    func testTheDefaultIsTheChimeThenTheChineseSentenceTwice() {
        let script = AnnouncementScript(call, settings: VoiceSettings())
        XCTAssertEqual(script.parts.map(\.kind), [.chime, .chinese, .chinese])
        XCTAssertEqual(script.clipNames, ["chime"] + sentence + sentence)
        XCTAssertEqual(script.parts.map(\.pauseBeforeMs), [0, AnnouncementScript.afterChimeMs, 800])
        XCTAssertEqual(script.parts[1].clips.filter(\.isNumber).map(\.name), ["zh/A", "zh/0", "zh/2", "zh/3", "zh/3"],
                       "the ticket's and the window's clips are the ones that must not be missing")
    }

    func testARecallSaysTheSameWords() {
        var recall = call
        recall.isRecall = true
        XCTAssertEqual(AnnouncementScript(recall, settings: VoiceSettings()), AnnouncementScript(call, settings: VoiceSettings()))
    }

    func testEnglishFollowsOnceAndNumbersCanBeReadAsNumbers() throws {
        var settings = try VoiceSettings.make(VoiceConfig(zhRepeats: 1, english: true, readNumber: "number", chime: false, repeatPauseMs: 500))
        var script = AnnouncementScript(call, settings: settings)
        XCTAssertEqual(script.parts.map(\.kind), [.chinese, .english])
        XCTAssertEqual(script.parts.map(\.pauseBeforeMs), [0, 500])
        XCTAssertEqual(script.clipNames, ["zh/qing", "zh/A", "zh/2", "zh/shi", "zh/3", "zh/hao", "zh/dao", "zh/3", "zh/hao", "zh/chuangkou", "zh/banli",
                                          "en/number", "en/A", "en/20", "en/3", "en/please-go-to-window", "en/3"])
        settings.readNumber = .digits
        script = AnnouncementScript(Announcement(sequence: 2, ticketNumber: "b105", window: "12", calledAt: .distantPast), settings: settings)
        XCTAssertEqual(script.clipNames, ["zh/qing", "zh/B", "zh/1", "zh/0", "zh/5", "zh/hao", "zh/dao", "zh/shi", "zh/2", "zh/hao", "zh/chuangkou", "zh/banli",
                                          "en/number", "en/B", "en/1", "en/0", "en/5", "en/please-go-to-window", "en/12"])
    }

    func testChineseNumbers() {
        let cases: [(Int, String)] = [(0, "0"), (3, "3"), (10, "shi"), (12, "shi 2"), (20, "2 shi"), (23, "2 shi 3"), (100, "1 bai"),
                                      (105, "1 bai 0 5"), (110, "1 bai 1 shi"), (999, "9 bai 9 shi 9"), (1000, "1 qian"),
                                      (1010, "1 qian 0 1 shi"), (1001, "1 qian 0 1"), (9999, "9 qian 9 bai 9 shi 9")]
        for (value, words) in cases {
            XCTAssertEqual(SpokenWords.chineseNumber(value), words.split(separator: " ").map { "zh/\($0)" }, "\(value)")
        }
        XCTAssertNil(SpokenWords.chineseNumber(10_000))
        XCTAssertEqual(SpokenWords.ticket("A10023", language: "zh", reading: .number), ["zh/A", "zh/1", "zh/0", "zh/0", "zh/2", "zh/3"],
                       "beyond 9999 the digits are read one by one")
        XCTAssertEqual(SpokenWords.ticket("A000", language: "zh", reading: .number), ["zh/A", "zh/0"])
    }

    func testEnglishNumbers() {
        let cases: [(Int, String)] = [(0, "0"), (7, "7"), (13, "13"), (19, "19"), (20, "20"), (42, "40 2"), (100, "1 hundred"),
                                      (105, "1 hundred 5"), (342, "3 hundred 40 2"), (999, "9 hundred 90 9")]
        for (value, words) in cases {
            XCTAssertEqual(SpokenWords.englishNumber(value), words.split(separator: " ").map { "en/\($0)" }, "\(value)")
        }
        XCTAssertNil(SpokenWords.englishNumber(1_000))
    }

    func testTemplateWordsSplitIntoKnownWordsOrStandAsOneRecordedWord() {
        XCTAssertEqual(SpokenWords.chinese("号窗口办理"), ["zh/hao", "zh/chuangkou", "zh/banli"])
        XCTAssertEqual(SpokenWords.chinese("请到 第3窗口，办理"), ["zh/qing", "zh/dao", "zh/di", "zh/3", "zh/chuangkou", "zh/banli"])
        XCTAssertEqual(SpokenWords.chinese("办理业务 请"), ["zh/办理业务", "zh/qing"], "a chunk with an unknown word is a clip of its own")
        XCTAssertEqual(SpokenWords.english("Number , please  go to Window:"), ["en/number", "en/please-go-to-window"])
        XCTAssertEqual(SpokenWords.ticket("A-0 2", language: "en", reading: .digits), ["en/A", "en/0", "en/2"], "signs are not said")
    }
}
