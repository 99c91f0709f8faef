import Foundation
import HallTestSupport
import XCTest

/// `hallkiosk doctor` against the real hall server and a real X server: each finding names the problem and the
/// fix, and the exit code says whether anything must be fixed before the kiosk can serve.
final class DoctorTests: KioskOnXTestCase {
    /// Runs `hallkiosk doctor --config CONFIG` with `environment` added; returns the exit code and what it printed.
    private func doctor(_ config: String, environment: [String: String] = [:]) throws -> (code: Int32, output: String) {
        let run = try runProgram(try BuiltProducts.executable("hallkiosk").path, ["doctor", "--config", config],
                                 environment: environment)
        return (run.code, run.out)
    }

    private func config(_ edit: (String) -> String = { $0 }) throws -> String {
        let path = try KioskProcess.writeConfig(in: folder, serverURL: server.baseURL)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try edit(text).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testAHealthyKioskPassesWithWarningsForWhatIsOptional() throws {
        let (code, output) = try doctor(try config())
        XCTAssertEqual(code, 0, output)
        for line in ["✔ config", "✔ font", "✔ video    driver 'offscreen' opened", "✔ server", "✔ token    device 'kiosk-01' accepted",
                     "✔ clock", "⚠ printer  no printer configured", "⚠ admin    no admin PIN (admin.pinHash)", "hallserver hash-secret"] {
            XCTAssertTrue(output.contains(line), "'\(line)' in:\n\(output)")
        }
    }

    func testACallingDisplayChecksItsBoardAndWindowAndNotAPrinter() throws {
        func display(window: String) throws -> String {
            try KioskProcess.writeDeviceConfig(in: folder, name: "display-\(window).toml", role: "callingDisplay",
                                               device: [("id", "display-w03"), ("window", window), ("token", "demo-display-w03-token-change-me")],
                                               serverURL: server.baseURL, size: (1280, 400), offlineGraceSeconds: 5, statusRefreshSeconds: 5)
        }
        let (code, output) = try doctor(try display(window: "w03"))
        XCTAssertEqual(code, 0, output)
        XCTAssertTrue(output.contains("✔ board    window w03's screen"), output)
        XCTAssertTrue(output.contains("✔ voice    voice pack"), output)
        for absent in ["printer", "touch", "admin"] { XCTAssertFalse(output.contains(" \(absent) "), "no \(absent) finding:\n\(output)") }
        // A pack with a clip missing is named, file by file.
        let pack = folder.appendingPathComponent("pack")
        try FileManager.default.copyItem(at: BuiltProducts.repository.appendingPathComponent("Assets/voice/default"), to: pack)
        try FileManager.default.removeItem(at: pack.appendingPathComponent("zh/3.wav"))
        let withPack = try display(window: "w03")
        try (try String(contentsOfFile: withPack, encoding: .utf8) + "\n[voice]\npack = \"\(pack.path)\"\n").write(toFile: withPack, atomically: true, encoding: .utf8)
        let (packCode, packOutput) = try doctor(withPack)
        XCTAssertEqual(packCode, 1, packOutput)
        XCTAssertTrue(packOutput.contains("✘ voice") && packOutput.contains("zh/3.wav is missing"), packOutput)
        let (badCode, badOutput) = try doctor(try display(window: "w99"))
        XCTAssertEqual(badCode, 1, badOutput)
        XCTAssertTrue(badOutput.contains("✘ board    the hall has no window 'w99' (device.window); use one of w01, w02, w03"), badOutput)
    }

    func testServerDownAndAWrongTokenAreFailuresThatSayWhatToCheck() throws {
        let wrongToken = try config { $0.replacingOccurrences(of: "demo-kiosk-01-token-change-me", with: "not-the-token-of-this-kiosk") }
        let (tokenCode, tokenOutput) = try doctor(wrongToken)
        XCTAssertEqual(tokenCode, 1, tokenOutput)
        XCTAssertTrue(tokenOutput.contains("✘ token    the hall server does not know this device token"), tokenOutput)

        server.stop()
        let (code, output) = try doctor(try config())
        XCTAssertEqual(code, 1, output)
        XCTAssertTrue(output.contains("✘ server"), output)
        XCTAssertTrue(output.contains("check server.url, the network and that hallserver runs"), output)
    }

    /// Without `screen.videoDriver` the doctor opens what the kiosk would: SDL's choice from the environment (here the
    /// X server in `DISPLAY`), not an offscreen window that always works.
    func testWithoutAConfiguredDriverTheDoctorTriesTheDisplayTheKioskWouldUse() throws {
        // The doctor inherits this process's environment, and SDL tests that ran earlier in the same process set
        // SDL_VIDEODRIVER=offscreen (the order of test modules varies between builds): this test is about no driver.
        unsetenv("SDL_VIDEODRIVER")
        let display = try startX()
        let path = try config { $0.replacingOccurrences(of: "videoDriver = \"offscreen\"\n", with: "") }
        let (code, output) = try doctor(path, environment: ["DISPLAY": ":\(display)", "XAUTHORITY": "/dev/null"])
        XCTAssertEqual(code, 0, output)
        XCTAssertTrue(output.contains("✔ video    driver 'x11' (SDL's choice; screen.videoDriver fixes it) opened a 1080×1920 window"), output)
        XCTAssertTrue(output.contains("touch"), output)

        let broken = try config { $0.replacingOccurrences(of: "videoDriver = \"offscreen\"", with: "videoDriver = \"x11\"") }
        let (brokenCode, brokenOutput) = try doctor(broken, environment: ["DISPLAY": ":\(Self.freeDisplay())", "XAUTHORITY": "/dev/null"])
        XCTAssertEqual(brokenCode, 1, brokenOutput)
        XCTAssertTrue(brokenOutput.contains("✘ video"), brokenOutput)
    }

    func testABadConfigIsTheOnlyFindingAndNamesTheKey() throws {
        let path = try config { $0.replacingOccurrences(of: "timeoutSeconds = 2", with: "timeoutSeconds = 0") }
        let (code, output) = try doctor(path)
        XCTAssertEqual(code, 1, output)
        XCTAssertTrue(output.contains("✘ config"), output)
        XCTAssertTrue(output.contains("server.timeoutSeconds: 0 is outside 1…60 seconds"), output)
        XCTAssertFalse(output.contains("✔"), output)
    }

    /// Under systemd (JOURNAL_STREAM set) every line the kiosk logs starts with its syslog priority, so the journal files
    /// warnings as warnings (`journalctl -p warning`); the hall server does the same.
    func testUnderSystemdLogLinesCarryTheirJournalPriority() throws {
        server.stop()  // so the kiosk logs a warning: the hall server is unreachable
        let path = try config()
        let script = folder.appendingPathComponent("wait.txt")
        // The warning is logged before the failed answer reaches the run loop, which records hallUnreachable.
        try "wait-event hallUnreachable 15000\nquit\n".write(to: script, atomically: true, encoding: .utf8)
        let run = try runProgram(try BuiltProducts.executable("hallkiosk").path, ["--config", path, "--script", script.path],
                                 environment: ["JOURNAL_STREAM": "8:12345"])
        let output = run.err
        let lines = output.split(separator: "\n")
        XCTAssertFalse(lines.isEmpty)
        XCTAssertTrue(lines.contains { $0.hasPrefix("<6>info hallkiosk: [KioskApp] kiosk started") }, output)
        XCTAssertTrue(lines.contains { $0.hasPrefix("<4>warning ") && $0.contains("hall server") }, output)
        for line in lines where line.first != "<" {
            // SDL or a C library may print its own lines; everything from swift-log carries a priority.
            XCTAssertFalse(line.contains("hallkiosk: ["), "a log line without its priority: \(line)")
        }
    }

    /// With `[idcard] device` set, the doctor asks the reader's SAM for its status (here `kiosk/idcard-sim` on a pty).
    func testTheIDCardReaderIsCheckedWhenConfigured() throws {
        let link = folder.appendingPathComponent("ttyIDCARD").path
        let sim = Process()
        let control = Pipe()
        sim.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sim.arguments = ["python3", BuiltProducts.repository.appendingPathComponent("kiosk/idcard-sim").path, "--link", link]
        sim.standardInput = control
        sim.standardOutput = FileHandle.nullDevice
        try sim.run()
        defer {
            try? control.fileHandleForWriting.close()  // the simulator stops when its control input ends
            sim.waitUntilExit()
        }
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: link), Date() < deadline { usleep(20_000) }
        let path = try config { $0 + "\n[idcard]\ndevice = \"\(link)\"\n" }
        let (code, output) = try doctor(path)
        XCTAssertEqual(code, 0, output)
        XCTAssertTrue(output.contains("✔ idcard   reader on \(link): SAM 90 (success)"), output)

        try control.fileHandleForWriting.write(contentsOf: Data("sam-fail\n".utf8))
        usleep(200_000)
        let (failedCode, failed) = try doctor(path)
        XCTAssertEqual(failedCode, 1, failed)
        XCTAssertTrue(failed.contains("✘ idcard   reader on \(link) answers, but SAM 60 (the SAM failed its self-test"), failed)

        try control.fileHandleForWriting.write(contentsOf: Data("unplug\n".utf8))
        usleep(200_000)
        let (goneCode, gone) = try doctor(path)
        XCTAssertEqual(goneCode, 1, gone)
        XCTAssertTrue(gone.contains("✘ idcard   cannot open \(link): No such file or directory — check [idcard] device"), gone)
    }
}
