import Foundation
import KioskCore
@testable import KioskSDL
import XCTest

/// The speaker on SDL's disk audio driver (`SDL_AUDIODRIVER=disk`): what would reach the loudspeaker lands in a file.
final class SpeakerTests: XCTestCase {
    func testTheSoundsAreShortTonesAtTheChosenVolume() {
        for sound in KioskSound.allCases {
            let samples = KioskSoundWave.samples(sound, volume: 50)
            let seconds = Double(samples.count) / Double(KioskSoundWave.sampleRate)
            XCTAssertGreaterThan(seconds, 0.1, "\(sound)")
            XCTAssertLessThan(seconds, 0.5, "\(sound): a short sound")
            let peak = samples.map { abs(Int($0)) }.max() ?? 0
            XCTAssertGreaterThan(peak, Int(Double(Int16.max) * 0.5 * 0.85), "\(sound) at 50 %")
            XCTAssertLessThanOrEqual(peak, Int(Double(Int16.max) * 0.5 * 0.9) + 1, "\(sound) at 50 %")
            XCTAssertLessThan(abs(Int(samples.first!)) + abs(Int(samples.last!)), 200, "\(sound): no click at the edges")
        }
        XCTAssertEqual(Set(KioskSoundWave.samples(.error, volume: 0)), [0], "volume 0 is silence")
        XCTAssertNotEqual(KioskSoundWave.samples(.error, volume: 50), KioskSoundWave.samples(.ticketIssued, volume: 50))
    }

    func testThePlayedSoundReachesTheAudioDeviceAndTheDeviceClosesAfterwards() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("speaker-\(UUID().uuidString).raw").path
        setenv("SDL_AUDIODRIVER", "disk", 1)
        setenv("SDL_DISKAUDIOFILE", file, 1)
        defer {
            unsetenv("SDL_AUDIODRIVER")
            unsetenv("SDL_DISKAUDIOFILE")
        }
        let speaker = try Speaker(volume: 80) { problem in XCTFail(problem) }
        XCTAssertEqual(speaker.driver, "disk")
        XCTAssertFalse(FileManager.default.fileExists(atPath: file), "no device is opened before a sound")
        speaker.play(.ticketIssued)
        XCTAssertTrue(speaker.waitUntilSilent(timeoutSeconds: 5), "the device closes once the sound has played")
        let data = try XCTUnwrap(FileManager.default.contents(atPath: file))
        let samples = data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        let expected = KioskSoundWave.samples(.ticketIssued, volume: 80)
        XCTAssertGreaterThanOrEqual(samples.count, expected.count, "the whole chime was played")
        let peak = samples.map { abs(Int($0)) }.max() ?? 0
        XCTAssertEqual(peak, expected.map { abs(Int($0)) }.max()!, "the chime at 80 %, unchanged")
        speaker.close()
    }
}
