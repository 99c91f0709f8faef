import Foundation
import HallTestSupport
import XCTest

/// The ticket chime through SDL audio, end to end: the real `hallkiosk` with SDL's disk audio driver
/// (`SDL_AUDIODRIVER=disk`, `SDL_DISKAUDIOFILE`), which writes what would reach the speaker to a file.
final class SoundTests: XCTestCase {
    var server: HallServerProcess!
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-sound-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        server = try HallServerProcess()
    }

    override func tearDown() {
        server?.stop()
    }

    static let takeANumber = """
        wait-text 户籍办理 20000
        tap-text 户籍办理
        wait-text 您的号码 10000
        wait 1500
        quit
        """

    /// Runs the ticket script with `soundTable` in the config; returns the audio file's path and the kiosk.
    func takeANumber(soundTable: String, name: String) throws -> (audio: String, kiosk: KioskProcess.Running, output: String) {
        let config = try KioskProcess.writeConfig(in: folder, serverURL: server.baseURL, size: (540, 960), extra: soundTable)
        let audio = folder.appendingPathComponent("\(name).raw").path
        let kiosk = try KioskProcess.launch(config: config, script: Self.takeANumber, in: folder,
                                            environment: ["SDL_AUDIODRIVER": "disk", "SDL_DISKAUDIOFILE": audio])
        let (code, output) = kiosk.finish(timeoutSeconds: 60)
        XCTAssertEqual(code, 0, output)
        return (audio, kiosk, output)
    }

    func testATicketChimesWhenSoundIsOn() throws {
        let (audio, kiosk, output) = try takeANumber(soundTable: "[sound]\nvolume = 60", name: "on")
        let data = try XCTUnwrap(FileManager.default.contents(atPath: audio), "the disk driver wrote no file:\n\(output)")
        let samples = data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        let loud = samples.filter { abs(Int($0)) > 4000 }.count
        XCTAssertGreaterThan(loud, 1000, "the chime reached the speaker (\(samples.count) samples, \(loud) loud):\n\(output)")
        XCTAssertLessThanOrEqual(samples.map { abs(Int($0)) }.max() ?? 0, Int(Double(Int16.max) * 0.6 * 0.9) + 1, "volume 60 %")
        XCTAssertEqual(kiosk.events.matching("sound", ["sound": "ticketIssued", "played": "true"]).count, 1, kiosk.events.tail())
    }

    func testNoSoundAndNoAudioDeviceWhenSoundIsOff() throws {
        let (audio, kiosk, output) = try takeANumber(soundTable: "", name: "off")
        XCTAssertFalse(FileManager.default.fileExists(atPath: audio), "sound is off by default: no audio device opened:\n\(output)")
        XCTAssertEqual(kiosk.events.matching("sound", ["sound": "ticketIssued", "played": "false"]).count, 1, kiosk.events.tail())
        XCTAssertEqual(kiosk.events.matching("ticketIssued").count, 1, kiosk.events.tail())
    }
}
