import CallVoice
import Foundation
@testable import KioskSDL
import XCTest

/// Announcements heard headless: SDL's disk audio driver (`SDL_AUDIODRIVER=disk`) writes what would reach the
/// loudspeaker to a file, which is then searched for each announcement's samples and measured with sox.
final class AnnouncementSpeakerTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    let t0 = Date()

    /// What the announcer told: log lines and the calls it said, in order (nil: silent again).
    final class Heard: @unchecked Sendable {
        private let lock = NSLock()
        private var _log: [String] = []
        private var _speaking: [Int?] = []
        var log: [String] { lock.withLock { _log } }
        var speaking: [Int?] { lock.withLock { _speaking } }
        func logged(_ line: String) { lock.withLock { _log.append(line) } }
        func said(_ call: Announcement?) { lock.withLock { _speaking.append(call?.sequence) } }
    }

    /// Sends the audio to a new file for the rest of the test; returns its path.
    func diskAudio() -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("voice-\(UUID().uuidString).raw").path
        setenv("SDL_AUDIODRIVER", "disk", 1)
        setenv("SDL_DISKAUDIOFILE", file, 1)
        addTeardownBlock {
            unsetenv("SDL_AUDIODRIVER")
            unsetenv("SDL_DISKAUDIOFILE")
            try? FileManager.default.removeItem(atPath: file)
            try? FileManager.default.removeItem(atPath: file + ".wav")
        }
        return file
    }

    func samples(_ file: String) throws -> [Int16] {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: file), "the disk audio driver wrote \(file)")
        return data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }

    /// Where each of `sounds` starts in `output`, each found whole after the end of the one before; nil for one not found.
    func places(of sounds: [[Int16]], in output: [Int16]) -> [Int?] {
        var cursor = 0
        return sounds.map { sound in
            guard let anchor = sound.firstIndex(where: { abs(Int($0)) > 1_000 }) else { return nil }
            var at = cursor
            while at + sound.count <= output.count {
                if output[at + anchor] == sound[anchor], output[at..<(at + sound.count)].elementsEqual(sound) {
                    cursor = at + sound.count
                    return at
                }
                at += 1
            }
            return nil
        }
    }

    /// Runs sox; returns what it printed (stat prints on stderr).
    @discardableResult
    func sox(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sox")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "sox \(arguments.joined(separator: " ")): \(text)")
        return text
    }

    /// The sounds in a WAV file as sox splits them at 0.3 s of silence (below 1 %): their lengths in seconds.
    func soundLengths(_ wav: String) throws -> [Double] {
        let folder = wav + "-segments"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try sox([wav, folder + "/seg.wav", "silence", "1", "0.05", "1%", "1", "0.3", "1%", ":", "newfile", ":", "restart"])
        return try FileManager.default.contentsOfDirectory(atPath: folder).sorted().compactMap { name in
            let stat = try sox([folder + "/" + name, "-n", "stat"])
            let seconds = Self.stat(stat, "Length (seconds)")
            return seconds > 0.05 ? seconds : nil  // sox leaves an empty last file
        }
    }

    static func stat(_ text: String, _ key: String) -> Double {
        text.split(separator: "\n").first { $0.hasPrefix(key) }.flatMap { Double($0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) } ?? -1
    }

    func testThreeCallsAreSaidWholeInCallOrderWithoutOverlap() throws {
        let file = diskAudio()
        let heard = Heard()
        let speaker = AnnouncementSpeaker(report: { heard.logged($0) })
        defer { speaker.close() }
        XCTAssertEqual(speaker.driver, "disk")
        var settings = VoiceSettings()
        settings.zhRepeats = 1
        let pack = VoicePack.load(directory: Self.root + "/Assets/voice/default")
        let announcer = Announcer(settings: settings, pack: pack, player: speaker, clock: { [t0] in t0 },
                                  log: { heard.logged($0) }, observer: { heard.said($0) })
        let calls = [Announcement(sequence: 1, ticketNumber: "A023", window: "3", calledAt: t0),
                     Announcement(sequence: 2, ticketNumber: "B105", window: "12", calledAt: t0),
                     Announcement(sequence: 3, ticketNumber: "A024", window: "7", calledAt: t0)]
        XCTAssertEqual(calls.map { announcer.enqueue($0) }, [.speakNow, .queued(ahead: 1), .queued(ahead: 2)])
        XCTAssertEqual(announcer.speaking?.sequence, 1)
        XCTAssertTrue(announcer.waitUntilSilent(timeoutSeconds: 60), "three short announcements take about 22 s")
        XCTAssertTrue(speaker.waitUntilClosed(timeoutSeconds: 5), "the device closes once nothing is said")
        XCTAssertEqual(heard.speaking, [1, 2, 3, nil], "the screen is told which call is being said, one after the other")
        XCTAssertEqual(heard.log, [])

        let output = try samples(file)
        let sounds = calls.map { announcer.rendering(of: $0).samples }
        let starts = places(of: sounds, in: output)
        XCTAssertEqual(starts.compactMap { $0 }.count, 3, "every announcement reached the device whole, in call order: \(starts)")
        XCTAssertLessThan(starts[0] ?? .max, 1_024, "the first chime starts at once")
        let rate = Double(VoicePack.sampleRate)
        if let a = starts[1], let b = starts[2] {
            XCTAssertLessThan(Double(a - sounds[0].count) / rate, 0.3, "the next call follows within 0.3 s (after the 0.7 s pause)")
            XCTAssertLessThan(Double(b - a - sounds[1].count) / rate, 0.3)
        }

        // Heard as a listener would: six sounds (chime, sentence) × 3, the sentences in the calls' lengths.
        try sox(["-t", "raw", "-r", "22050", "-e", "signed", "-b", "16", "-c", "1", file, file + ".wav"])
        let lengths = try soundLengths(file + ".wav")
        XCTAssertEqual(lengths.count, 6, "\(lengths)")
        for (index, seconds) in lengths.enumerated() where lengths.count == 6 {
            if index % 2 == 0 {
                XCTAssertEqual(seconds, 1.35, accuracy: 0.1, "sound \(index + 1) is the chime")
            } else {
                let sentence = Double(sounds[index / 2].count) / rate - 1.35 - 0.4 - 0.7
                XCTAssertEqual(seconds, sentence, accuracy: 0.15, "sound \(index + 1) is call \(index / 2 + 1)'s sentence")
            }
        }
        let stat = try sox([file + ".wav", "-n", "stat"])
        XCTAssertEqual(Self.stat(stat, "Maximum amplitude"), 0.708 * 0.8, accuracy: 0.02, "clips at -3 dB, played at 80 %")
        XCTAssertGreaterThan(Self.stat(stat, "RMS     amplitude"), 0.05, "speech, not near-silence")
    }

    func testAMissingClipIsLoggedByNameAndTheCallIsNotSaidWrong() throws {
        let file = diskAudio()
        let pack = FileManager.default.temporaryDirectory.appendingPathComponent("voice-pack-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Self.root + "/Assets/voice/default", toPath: pack)
        defer { try? FileManager.default.removeItem(atPath: pack) }
        try FileManager.default.removeItem(atPath: pack + "/zh/3.wav")
        var settings = VoiceSettings()
        settings.zhRepeats = 1
        XCTAssertEqual(VoicePack.check(directory: pack, settings: settings),
                       ["voice pack: \(pack)/zh/3.wav is missing; record it (16-bit mono WAV) or rebuild the pack with kiosk/voice/make-voice-pack --out \(pack)"])

        let heard = Heard()
        let speaker = AnnouncementSpeaker(report: { heard.logged($0) })
        defer { speaker.close() }
        let announcer = Announcer(settings: settings, pack: VoicePack.load(directory: pack), player: speaker, clock: { [t0] in t0 },
                                  log: { heard.logged($0) }, observer: { heard.said($0) })
        let calls = [Announcement(sequence: 1, ticketNumber: "A023", window: "5", calledAt: t0),
                     Announcement(sequence: 2, ticketNumber: "A012", window: "5", calledAt: t0)]
        for call in calls { XCTAssertTrue(announcer.enqueue(call).willBeSaid) }
        XCTAssertTrue(announcer.waitUntilSilent(timeoutSeconds: 30))
        XCTAssertEqual(heard.speaking, [1, 2, nil])
        XCTAssertEqual(heard.log.count, 1, "\(heard.log)")
        let line = heard.log.first ?? ""
        XCTAssertTrue(line.contains("#1 A023 → 5"), line)
        XCTAssertTrue(line.contains("\(pack)/zh/3.wav (missing)"), line)
        XCTAssertTrue(line.contains("not said: the chinese sentence"), line)
        XCTAssertTrue(line.contains("make-voice-pack"), line)

        let first = announcer.rendering(of: calls[0]), second = announcer.rendering(of: calls[1])
        XCTAssertEqual(first.skippedParts, ["chinese"], "A02 for A023 would send the wrong citizen: only the chime")
        XCTAssertEqual(first.samples.count, VoicePack.load(directory: pack).clips["chime"]!.count + VoicePack.sampleRate * 7 / 10)
        XCTAssertEqual(second.missingClips, [])
        XCTAssertTrue(speaker.waitUntilClosed(timeoutSeconds: 5))
        let starts = places(of: [first.samples, second.samples], in: try samples(file))
        XCTAssertEqual(starts.compactMap { $0 }.count, 2, "the chime of the first call, then the whole second call: \(starts)")
    }

    func testNoSoundCardIsLoggedOnceAndCallsGoOn() throws {
        setenv("SDL_AUDIODRIVER", "alsa", 1)
        setenv("AUDIODEV", "hw:97,0", 1)  // no such card, on any machine
        defer {
            unsetenv("SDL_AUDIODRIVER")
            unsetenv("AUDIODEV")
        }
        let heard = Heard()
        let speaker = AnnouncementSpeaker(report: { heard.logged($0) })
        defer { speaker.close() }
        let pack = VoicePack.load(directory: Self.root + "/Assets/voice/default")
        let announcer = Announcer(settings: VoiceSettings(), pack: pack, player: speaker, clock: { [t0] in t0 },
                                  log: { heard.logged($0) }, observer: { heard.said($0) })
        for sequence in 1...3 {
            XCTAssertTrue(announcer.enqueue(Announcement(sequence: sequence, ticketNumber: "A00\(sequence)", window: "1", calledAt: t0)).willBeSaid)
        }
        XCTAssertTrue(announcer.waitUntilSilent(timeoutSeconds: 10), "calls are not held up by a missing sound card")
        XCTAssertEqual(heard.speaking.compactMap { $0 }, [1, 2, 3], "each call ends at once, in order")
        XCTAssertEqual(heard.speaking.last, .some(nil))
        XCTAssertEqual(heard.log.count, 1, "logged once, not per call: \(heard.log)")
        XCTAssertTrue(heard.log.first?.contains("calls are shown but not said") == true, "\(heard.log)")
        XCTAssertFalse(speaker.isDeviceOpen)

        // A call learnt two minutes late (after a reconnect) is not said, and the log says why.
        let late = Announcement(sequence: 4, ticketNumber: "A004", window: "1", calledAt: t0.addingTimeInterval(-120))
        XCTAssertEqual(announcer.enqueue(late), .tooOld(ageSeconds: 120))
        XCTAssertNil(announcer.speaking)
        XCTAssertEqual(heard.log.last, "announcement #4 A004 → 1 not said: learnt 120 s after the call (limit 60 s)")
    }
}
