import Foundation
import HallTestSupport
@testable import KioskApp
import XCTest

/// `kiosk.toml`: the shipped examples load, and every kind of mistake is refused naming the key and the fix.
final class KioskConfigTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private var demo: String {
        get throws { try String(contentsOf: BuiltProducts.repository.appendingPathComponent("kiosk/demo/kiosk.toml"), encoding: .utf8) }
    }

    /// Loads `text` as a config file.
    private func load(_ text: String, overrides: KioskOverrides = KioskOverrides()) throws -> KioskSettings {
        let path = folder.appendingPathComponent("kiosk.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try KioskSettings.load(path: path, overrides: overrides)
    }

    /// The message `text` is refused with (fails when it loads).
    private func refusal(_ text: String, overrides: KioskOverrides = KioskOverrides(), line: UInt = #line) -> String {
        do {
            _ = try load(text, overrides: overrides)
            XCTFail("accepted a bad config", line: line)
            return ""
        } catch {
            return "\(error)"
        }
    }

    func testTheDemoConfigsLoad() throws {
        let kiosk = try load(try demo)
        XCTAssertEqual(kiosk.deviceId, "kiosk-01")
        XCTAssertEqual(kiosk.serverURL, "http://127.0.0.1:8080")
        XCTAssertEqual(kiosk.width, 1080)
        XCTAssertEqual(kiosk.height, 1920)
        let rating = try String(contentsOf: BuiltProducts.repository.appendingPathComponent("kiosk/demo/rating-w01.toml"), encoding: .utf8)
        XCTAssertEqual(try load(rating).deviceId, "rating-w01")
    }

    func testCommandLineOverridesWin() throws {
        let s = try load(try demo, overrides: KioskOverrides(server: "http://10.0.0.5:9000", video: "offscreen", size: "1280x800", language: "en"))
        XCTAssertEqual(s.serverURL, "http://10.0.0.5:9000")
        XCTAssertEqual(s.width, 1280)
        XCTAssertEqual(s.height, 800)
        XCTAssertEqual(s.language, .en)
    }

    func testMistakesAreRefusedNamingTheKeyAndTheFix() throws {
        let demo = try self.demo
        func edit(_ old: String, _ new: String) -> String {
            XCTAssertTrue(demo.contains(old), "the demo config has '\(old)'")
            return demo.replacingOccurrences(of: old, with: new)
        }
        let cases: [(String, String)] = [
            (edit("rotation = 0", "rotation = 45"), "screen.rotation: 45 must be 0, 90, 180 or 270"),
            (edit("url = \"http://127.0.0.1:8080\"", "url = \"127.0.0.1:8080\""), "server.url: '127.0.0.1:8080' is not an http(s) URL such as"),
            (edit("token = \"demo-kiosk-01-token-change-me\"", "token = \"short\""), "device.token: missing or shorter than 16 characters"),
            (edit("language = \"zh\"", "language = \"fr\""), "ui.language: 'fr' must be zh or en"),
            (edit("idleTimeoutSeconds = 60", "idleTimeoutSeconds = 1"), "ui.idleTimeoutSeconds: 1 is outside"),
            (edit("widthDots = 576", "widthDots = 600"), "printer.widthDots: 600 must be 576 (80 mm), 512 or 384 (58 mm)"),
            (edit("mode = \"fiveLevels\"", "mode = \"stars\""), "rating.mode: 'stars' must be fiveLevels or twoButtons"),
            (edit("width = 1080", "width = 100"), "screen.width/height: 100×1920 is outside"),
            (edit("[server]", "[server]\ncaFile = \"/nonexistent/ca.pem\""), "server.caFile: cannot read '/nonexistent/ca.pem'"),
            (edit("rotation = 0", "rotation = \"left\""), "screen.rotation"),
            (edit("[ui]", "[ui\n"), "line "),
            (edit("idleTimeoutSeconds = 60", "idleTimeoutSecs = 60"),
             "ui.idleTimeoutSecs: unknown key; did you mean 'idleTimeoutSeconds'? (known in [ui]: language, idleTimeoutSeconds"),
            (edit("[rating]", "[ratings]"), "ratings: unknown table; did you mean 'rating'? (known at the top level: role, device"),
            (edit("idleTimeoutSeconds = 60", "idleTimeoutSeconds = \"60\""), "ui.idleTimeoutSeconds: \"60\" has the wrong type for this key"),
            (edit("role = \"ticketKiosk\"", "role = \"ticketkiosk\""), "role: 'ticketkiosk' is not a device role; use \"ticketKiosk\" or \"ratingDevice\""),
        ]
        for (text, expected) in cases {
            let message = refusal(text)
            XCTAssertTrue(message.contains(expected), "expected '\(expected)' in: \(message)")
            XCTAssertTrue(message.hasPrefix(folder.appendingPathComponent("kiosk.toml").path), "names the file: \(message)")
        }
        XCTAssertTrue(refusal(demo, overrides: KioskOverrides(video: "directfb")).contains("--video: 'directfb' is not kmsdrm, x11, wayland"))
        XCTAssertTrue(refusal(demo, overrides: KioskOverrides(size: "big")).contains("--size: 'big' is not WIDTHxHEIGHT such as 1080x1920"))
        for size in ["x1920x1080", "1920x1080x", "1920x", "big"] {
            XCTAssertTrue(refusal(demo, overrides: KioskOverrides(size: size)).contains("--size: '\(size)' is not WIDTHxHEIGHT"), size)
        }
        XCTAssertTrue(refusal(demo, overrides: KioskOverrides(language: "de")).contains("--lang: 'de' must be zh or en"))
        XCTAssertTrue(refusal(demo, overrides: KioskOverrides(size: "100x100")).contains("--size: 100×100 is outside 320×240…8192×8192"),
                      "a size given on the command line is reported as --size")
        for timeout in ["0", "-5", "61"] {
            XCTAssertTrue(refusal(edit("timeoutSeconds = 5", "timeoutSeconds = \(timeout)"))
                .contains("server.timeoutSeconds: \(timeout) is outside 1…60 seconds"), timeout)
        }
        let missing = folder.appendingPathComponent("nope.toml").path
        XCTAssertThrowsError(try KioskSettings.load(path: missing)) { error in
            XCTAssertTrue("\(error)".contains("cannot read the file; start from kiosk/demo/kiosk.toml"), "\(error)")
        }
    }

    /// `[idcard] device`: a path (relative to the config file), `auto`, or no reader at all.
    func testTheIDCardReaderDevice() throws {
        let demo = try self.demo
        XCTAssertNil(try load(demo).idCardDevice)
        XCTAssertEqual(try load(demo + "\n[idcard]\ndevice = \"/dev/ttyUSB0\"\n").idCardDevice, "/dev/ttyUSB0")
        XCTAssertEqual(try load(demo + "\n[idcard]\ndevice = \"auto\"\n").idCardDevice, "auto")
        XCTAssertEqual(try load(demo + "\n[idcard]\ndevice = \"sim/ttyIDCARD\"\n").idCardDevice,
                       folder.appendingPathComponent("sim/ttyIDCARD").standardizedFileURL.path)
        XCTAssertTrue(refusal(demo + "\n[idcard]\ndevice = \"\"\n").contains("idcard.device: is empty; name the reader's port"))
        XCTAssertTrue(refusal(demo + "\n[idcard]\ndevcie = \"/dev/ttyUSB0\"\n")
            .contains("idcard.devcie: unknown key; did you mean 'device'?"))
    }

    /// Files named in the config with a relative path are found beside the config, whatever folder the kiosk was
    /// started from.
    func testRelativePathsAreRelativeToTheConfigFile() throws {
        let fonts = BuiltProducts.repository.appendingPathComponent("Fonts")
        let regular = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: fonts.path).first { $0.hasSuffix("Regular.otf") })
        let beside = folder.appendingPathComponent("fonts")
        try FileManager.default.createDirectory(at: beside, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fonts.appendingPathComponent(regular), to: beside.appendingPathComponent("kiosk.otf"))
        try "ca".write(to: folder.appendingPathComponent("hall-ca.pem"), atomically: true, encoding: .utf8)
        let text = try demo.replacingOccurrences(of: "[server]", with: "[server]\ncaFile = \"hall-ca.pem\"")
            .replacingOccurrences(of: "[fonts]", with: "[fonts]\nregular = \"fonts/kiosk.otf\"")
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath("/")
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        let settings = try load(text)
        XCTAssertEqual(settings.fontRegular, beside.appendingPathComponent("kiosk.otf").standardizedFileURL.path)
        XCTAssertEqual(settings.caFile, folder.appendingPathComponent("hall-ca.pem").standardizedFileURL.path)
        XCTAssertTrue(refusal(text.replacingOccurrences(of: "fonts/kiosk.otf", with: "fonts/missing.otf"))
            .contains("fonts.regular: cannot read '\(beside.appendingPathComponent("missing.otf").standardizedFileURL.path)'"))
    }

    func testTheTokenComesFromTheServicesCredentialFolder() throws {
        // systemd hands each unit its own folder (hallkiosk.service, hallkiosk-cage.service).
        let credentials = folder.appendingPathComponent("credentials")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        try "a-device-token-from-systemd\n".write(to: credentials.appendingPathComponent("device-token"), atomically: true, encoding: .utf8)
        let text = try demo.replacingOccurrences(of: "token = \"demo-kiosk-01-token-change-me\"",
                                                 with: "tokenFile = \"$CREDENTIALS_DIRECTORY/device-token\"")
        let path = folder.appendingPathComponent("kiosk.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try KioskSettings.decodeConfig(path: path)
        let settings = try KioskSettings.make(config, source: path, overrides: KioskOverrides(),
                                              environment: ["CREDENTIALS_DIRECTORY": credentials.path])
        XCTAssertEqual(settings.deviceToken, "a-device-token-from-systemd")

        // Outside the service the variable is unset: the message says how to check by hand.
        XCTAssertThrowsError(try KioskSettings.make(config, source: path, overrides: KioskOverrides(), environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("device.tokenFile: '$CREDENTIALS_DIRECTORY/device-token' is a systemd credential"), "\(error)")
            XCTAssertTrue("\(error)".contains("CREDENTIALS_DIRECTORY=/etc/hallkiosk/credentials hallkiosk doctor"), "\(error)")
        }
        // An empty token file is refused, not sent.
        try "".write(to: credentials.appendingPathComponent("device-token"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try KioskSettings.make(config, source: path, overrides: KioskOverrides(),
                                                    environment: ["CREDENTIALS_DIRECTORY": credentials.path])) { error in
            XCTAssertTrue("\(error)".contains("device.token: missing or shorter than 16 characters"), "\(error)")
        }
        // A plain path is used as it is.
        XCTAssertEqual(try KioskSettings.credentialPath("/etc/token", environment: [:]).get(), "/etc/token")
        XCTAssertEqual(try KioskSettings.credentialPath("${CREDENTIALS_DIRECTORY}/t", environment: ["CREDENTIALS_DIRECTORY": "/run/c/"]).get(), "/run/c/t")
    }
}
