@testable import CallVoice
import Foundation
import XCTest

/// Voice packs: the default one in the repository, a hall's own with missing or broken clips, joining clips.
final class VoicePackTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let defaultPack = root + "/Assets/voice/default"
    let call = Announcement(sequence: 1, ticketNumber: "A023", window: "3", calledAt: Date(timeIntervalSince1970: 0))

    func temporaryFolder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("voice-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/zh", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/en", withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// A clip of `count` samples all `value` (so joined clips can be told apart), at `rate`.
    func writeClip(_ dir: String, _ name: String, value: Int16, count: Int = 2_205, rate: Int = VoicePack.sampleRate) throws {
        try WAVFile.data(.init(sampleRate: rate, samples: [Int16](repeating: value, count: count))).write(to: URL(fileURLWithPath: "\(dir)/\(name).wav"))
    }

    func testTheDefaultPackHasEveryClipAnySettingsCanNeed() throws {
        let everything = try VoiceSettings.make(VoiceConfig(english: true, readNumber: "number", chime: true))
        XCTAssertEqual(VoicePack.check(directory: Self.defaultPack, settings: everything), [])
        let pack = VoicePack.load(directory: Self.defaultPack)
        XCTAssertEqual(pack.broken, [:])
        let needed = Set(VoicePack.neededClips(everything)), present = Set(pack.clips.keys)
        XCTAssertEqual(present.subtracting(needed), ["zh/di"], "one clip more than the default templates need: 第, for 到第{window}窗口")
        for (name, samples) in pack.clips {
            let seconds = Double(samples.count) / Double(VoicePack.sampleRate)
            XCTAssertGreaterThan(seconds, 0.1, name)
            XCTAssertLessThan(seconds, name == "chime" ? 1.6 : 1.5, "\(name): one short clip per word")
            let edge = samples.prefix(20).map { abs(Int($0)) }.max()! + samples.suffix(20).map { abs(Int($0)) }.max()!
            XCTAssertLessThan(edge, 3_000, "\(name): silence trimmed and faded, no click at the joins")
            XCTAssertGreaterThan(samples.map { abs(Int($0)) }.max()!, 10_000, "\(name): loud enough")
        }
        let rendering = pack.render(AnnouncementScript(call, settings: VoiceSettings()), volume: 100)
        XCTAssertEqual(rendering.missingClips, [])
        let seconds = Double(rendering.samples.count) / Double(VoicePack.sampleRate)
        XCTAssertEqual(seconds, 12.5, accuracy: 2, "the chime and the Chinese sentence twice (about 4.8 s each), as a person says it")
    }

    /// A display keeps only what its settings can say: no English words in memory while English is off.
    func testADisplayLoadsOnlyTheClipsItsSettingsCanSay() throws {
        let chineseOnly = VoiceSettings()
        let pack = VoicePack.load(directory: Self.defaultPack, only: Set(VoicePack.neededClips(chineseOnly)))
        XCTAssertEqual(pack.problems(for: chineseOnly), [])
        XCTAssertFalse(pack.clips.keys.contains { $0.hasPrefix("en/") }, "\(pack.clips.keys.sorted())")
        XCTAssertEqual(Set(pack.clips.keys), Set(VoicePack.neededClips(chineseOnly)))
        let everything = VoicePack.load(directory: Self.defaultPack)
        let kept = pack.clips.values.reduce(0) { $0 + $1.count }, all = everything.clips.values.reduce(0) { $0 + $1.count }
        XCTAssertLessThan(kept * 2, all, "Chinese and the chime are less than half the default pack's samples")
        XCTAssertEqual(pack.render(AnnouncementScript(call, settings: chineseOnly), volume: 100).samples,
                       everything.render(AnnouncementScript(call, settings: chineseOnly), volume: 100).samples, "said the same")
    }

    func testClipsAreJoinedWithGapsPausesAndVolume() throws {
        let dir = try temporaryFolder()
        try writeClip(dir, "chime", value: 1_000, count: 100)
        for (i, name) in ["zh/qing", "zh/A", "zh/0", "zh/2", "zh/3", "zh/hao", "zh/dao", "zh/chuangkou", "zh/banli"].enumerated() {
            try writeClip(dir, name, value: Int16(2_000 + i * 100), count: 10 + i)
        }
        let pack = VoicePack.load(directory: dir)
        var settings = VoiceSettings()
        settings.zhRepeats = 1
        let rendering = pack.render(AnnouncementScript(call, settings: settings), volume: 50)
        let rate = VoicePack.sampleRate
        func silence(_ ms: Int) -> [Int16] { [Int16](repeating: 0, count: rate * ms / 1_000) }
        var expected = [Int16](repeating: 500, count: 100) + silence(AnnouncementScript.afterChimeMs)
        for (index, name) in ["zh/qing", "zh/A", "zh/0", "zh/2", "zh/3", "zh/hao", "zh/dao", "zh/3", "zh/hao", "zh/chuangkou", "zh/banli"].enumerated() {
            if index > 0 { expected += silence(VoicePack.wordGapMs) }
            expected += pack.clips[name]!.map { $0 / 2 }
        }
        expected += silence(VoicePack.afterAnnouncementMs)
        XCTAssertTrue(rendering.samples == expected, "\(rendering.samples.count) samples, expected \(expected.count)")
        XCTAssertEqual(rendering.missingClips, [])
    }

    func testAMissingNumberClipLeavesItsSentenceOutAMissingWordOnlyItself() throws {
        let dir = try temporaryFolder()
        try writeClip(dir, "chime", value: 1_000)
        for name in ["zh/qing", "zh/A", "zh/0", "zh/2", "zh/hao", "zh/dao", "zh/chuangkou", "en/number", "en/A", "en/0", "en/2", "en/3",
                     "en/please-go-to-window"] {
            try writeClip(dir, name, value: 2_000)
        }
        try Data("this is not a wave".utf8).write(to: URL(fileURLWithPath: dir + "/zh/3.wav"))
        let pack = VoicePack.load(directory: dir)
        XCTAssertTrue(pack.broken["zh/3"]?.contains("not a WAV file") == true)
        var settings = VoiceSettings()
        settings.english = true
        let rendering = pack.render(AnnouncementScript(call, settings: settings), volume: 100)
        XCTAssertEqual(rendering.missingClips, ["zh/3", "zh/banli"])
        XCTAssertEqual(rendering.skippedParts, ["chinese", "chinese"], "never A02 for A023")
        let said = [Int16](repeating: 2_000, count: 2_205)
        let gap = [Int16](repeating: 0, count: VoicePack.sampleRate * VoicePack.wordGapMs / 1_000)
        let english = said + gap + said + gap + said + gap + said + gap + said + gap + said + gap + said  // number A 0 2 3 please… 3
        XCTAssertTrue(rendering.samples == [Int16](repeating: 1_000, count: 2_205)
            + [Int16](repeating: 0, count: VoicePack.sampleRate * AnnouncementScript.afterChimeMs / 1_000) + english
            + [Int16](repeating: 0, count: VoicePack.sampleRate * VoicePack.afterAnnouncementMs / 1_000),
            "the chime, then English after the chime's pause (\(rendering.samples.count) samples)")
        let message = try XCTUnwrap(pack.problem(rendering, call))
        XCTAssertTrue(message.contains("\(dir)/zh/3.wav (not a WAV file"), message)
        XCTAssertTrue(message.contains("\(dir)/zh/banli.wav (missing)"), message)
        XCTAssertTrue(message.contains("not said: the chinese, chinese sentence"), message)
        XCTAssertTrue(message.contains("kiosk/voice/make-voice-pack"), message)

        // Without the number's clip missing, only 办理 is left out.
        let other = Announcement(sequence: 2, ticketNumber: "A002", window: "2", calledAt: call.calledAt)
        let partial = pack.render(AnnouncementScript(other, settings: VoiceSettings()), volume: 100)
        XCTAssertEqual(partial.missingClips, ["zh/banli"])
        XCTAssertEqual(partial.skippedParts, [])
        XCTAssertGreaterThan(partial.samples.count, VoicePack.sampleRate * 2)

        let problems = VoicePack.check(directory: dir, settings: VoiceSettings())
        XCTAssertTrue(problems.contains("voice pack: \(dir)/zh/3.wav not a WAV file (no RIFF/WAVE header); replace it with a 16-bit mono WAV recording"), "\(problems)")
        XCTAssertTrue(problems.contains { $0.hasPrefix("voice pack: \(dir)/zh/banli.wav is missing; record it (16-bit mono WAV) or rebuild") }, "\(problems)")
        XCTAssertTrue(problems.contains { $0.hasPrefix("voice pack: \(dir)/zh/Z.wav is missing") })
        XCTAssertFalse(problems.contains { $0.contains("/en/") }, "English clips are needed only with english = true")
    }

    func testAHallsRecordingsAtOtherRatesAreResampledAndAnEmptyPackSaysSo() throws {
        let dir = try temporaryFolder()
        try writeClip(dir, "chime", value: 3_000, count: 48_000, rate: 48_000)
        XCTAssertEqual(VoicePack.load(directory: dir).clips["chime"]?.count, VoicePack.sampleRate, "one second stays one second")
        try WAVFile.data(.init(sampleRate: 22_050, samples: [])).write(to: URL(fileURLWithPath: dir + "/zh/qing.wav"))
        XCTAssertEqual(VoicePack.load(directory: dir).broken["zh/qing"], "holds no sound")
        let nowhere = dir + "/no-such-pack"
        XCTAssertEqual(VoicePack.check(directory: nowhere, settings: VoiceSettings()),
                       ["voice pack: no folder \(nowhere); build one with kiosk/voice/make-voice-pack --out \(nowhere), or set [voice] pack"])
        let empty = VoicePack.load(directory: nowhere)
        XCTAssertTrue(empty.clips.isEmpty)
        XCTAssertEqual(empty.render(AnnouncementScript(call, settings: VoiceSettings()), volume: 80).samples, [], "nothing to play")
    }

    /// kiosk/voice/make-voice-pack builds, offline, exactly the pack in the repository (needs espeak-ng and sox:
    /// kiosk/test installs them).
    func testMakeVoicePackRebuildsTheCommittedPack() throws {
        let dir = try temporaryFolder()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.root + "/kiosk/voice/make-voice-pack", "--out", dir]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("voice pack: 103 clips in \(dir)"), text)
        let everything = try VoiceSettings.make(VoiceConfig(english: true, readNumber: "number"))
        XCTAssertEqual(VoicePack.check(directory: dir, settings: everything), [])
        let built = VoicePack.load(directory: dir), committed = VoicePack.load(directory: Self.defaultPack)
        XCTAssertEqual(built.clips.keys.sorted(), committed.clips.keys.sorted())
        for (name, samples) in committed.clips {
            XCTAssertTrue(built.clips[name] == samples, "\(name): the committed clip is what the script makes; rerun kiosk/voice/make-voice-pack")
        }
    }
}
