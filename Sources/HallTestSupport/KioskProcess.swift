import Foundation
import KioskEventStream

/// Runs the real `hallkiosk` binary offscreen with a script, as CI and acceptance tests do.
public enum KioskProcess {
    /// Writes a kiosk config for the demo ticket kiosk pointing at `serverURL`; `extra` (further TOML tables,
    /// e.g. `[printer]`) goes at the end.
    public static func writeConfig(in folder: URL, serverURL: String, size: (Int, Int) = (1080, 1920),
                                   offlineGraceSeconds: Int = 2, statusRefreshSeconds: Int = 1, extra: String = "") throws -> String {
        try writeDeviceConfig(in: folder, name: "kiosk-\(size.0)x\(size.1).toml", role: "ticketKiosk",
                              device: [("id", "kiosk-01"), ("token", "demo-kiosk-01-token-change-me")],
                              serverURL: serverURL, size: size, offlineGraceSeconds: offlineGraceSeconds,
                              statusRefreshSeconds: statusRefreshSeconds, tables: extra)
    }

    /// Writes a rating device config for the demo window `window` (device `rating-<window>`) pointing at `serverURL`;
    /// `extra` (further TOML keys of `[rating]`, or further tables) goes at the end.
    public static func writeRatingConfig(in folder: URL, serverURL: String, window: String = "w01",
                                         size: (Int, Int) = (1280, 800), promptSeconds: Int = 60, thanksSeconds: Int = 2,
                                         extra: String = "") throws -> String {
        try writeDeviceConfig(in: folder, name: "rating-\(window)-\(size.0)x\(size.1).toml", role: "ratingDevice",
                              device: [("id", "rating-\(window)"), ("window", window), ("token", "demo-rating-\(window)-token-change-me")],
                              serverURL: serverURL, size: size, offlineGraceSeconds: 5, statusRefreshSeconds: 2,
                              tables: """
                              [rating]
                              promptSeconds = \(promptSeconds)
                              thanksSeconds = \(thanksSeconds)
                              \(extra)
                              """)
    }

    /// Writes `folder/name`: the TOML every test device shares — `role`, `[device]` (the `device` keys, as strings),
    /// `[server]` at `serverURL` (2 s timeout), an offscreen `[screen]` of `size`, `[ui]` — then `tables`.
    /// Returns its path.
    public static func writeDeviceConfig(in folder: URL, name: String, role: String, device: [(String, String)],
                                         serverURL: String, size: (Int, Int), offlineGraceSeconds: Int,
                                         statusRefreshSeconds: Int, tables: String = "") throws -> String {
        let path = folder.appendingPathComponent(name).path
        var text = """
        role = "\(role)"
        [device]
        \(device.map { "\($0.0) = \"\($0.1)\"" }.joined(separator: "\n"))
        [server]
        url = "\(serverURL)"
        timeoutSeconds = 2
        [screen]
        width = \(size.0)
        height = \(size.1)
        videoDriver = "offscreen"
        [ui]
        offlineGraceSeconds = \(offlineGraceSeconds)
        statusRefreshSeconds = \(statusRefreshSeconds)
        """
        if !tables.isEmpty { text += "\n" + tables }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A `hallkiosk` started in the background (`launch`); `finish` waits for it and returns what it printed.
    public final class Running: @unchecked Sendable {
        public let process: Process
        let outputPath: String
        let handle: FileHandle
        /// The kiosk's event stream (`--events`): what it did, as JSON lines.
        public let events: KioskEventLog
        /// The kiosk's standard input: the script's control channel (`wait-stdin LINE`).
        let input: Pipe

        init(process: Process, outputPath: String, handle: FileHandle, events: KioskEventLog, input: Pipe) {
            self.process = process
            self.outputPath = outputPath
            self.handle = handle
            self.events = events
            self.input = input
        }

        /// Tells the script to go on: writes `line` to the kiosk's standard input, where a `wait-stdin LINE` waits for
        /// it (the test has done its part: stopped the server, changed a file …).
        public func send(_ line: String) {
            try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
        }

        /// Waits until `count` events `event` with the `conditions` fields were written (or the process ends, or
        /// `timeoutSeconds` pass); returns whether they were.
        @discardableResult
        public func waitForEvent(_ event: String, _ conditions: [String: String] = [:], count: Int = 1,
                                 timeoutSeconds: Double = 30) -> Bool {
            events.wait(for: event, conditions, count: count, timeoutSeconds: timeoutSeconds, alive: { process.isRunning }) != nil
        }

        /// The screen the kiosk showed last (its last `screen` event), `nil` before the first.
        public var lastScreen: String? { events.matching("screen").last?["screen"] }

        /// Closes the kiosk's standard input (a `wait-stdin` still waiting then fails: its line can never come).
        public func closeInput() {
            try? input.fileHandleForWriting.close()
        }

        /// Everything printed so far.
        public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

        /// Waits until `text` appears in the output (or the process ends, or `timeoutSeconds` pass).
        @discardableResult
        public func waitForOutput(_ text: String, timeoutSeconds: Double = 30) -> Bool {
            waitUntil(timeoutSeconds) { output.contains(text) || !process.isRunning } && output.contains(text)
        }

        /// Waits for the exit (terminating it after `timeoutSeconds`); returns the exit code and the output.
        public func finish(timeoutSeconds: Double = 90) -> (code: Int32, output: String) {
            let deadline = Date().addingTimeInterval(timeoutSeconds)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
            try? handle.close()
            return (process.terminationStatus, output)
        }

        /// SIGKILL, as a power cut would.
        public func kill() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? handle.close()
        }
    }

    /// Starts `hallkiosk --config CONFIG --video offscreen --events FILE [--script SCRIPT]` in the background, with
    /// `environment` added to the test's own.
    public static func launch(config: String, script: String?, in folder: URL, environment: [String: String] = [:]) throws -> Running {
        let eventsPath = folder.appendingPathComponent("kiosk-\(UUID().uuidString).events.jsonl").path
        var arguments = ["--config", config, "--video", "offscreen", "--events", eventsPath]
        if let script {
            let scriptPath = folder.appendingPathComponent("script-\(UUID().uuidString).txt").path
            try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
            arguments += ["--script", scriptPath]
        }
        let process = Process()
        process.executableURL = try BuiltProducts.executable("hallkiosk")
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        let outputPath = folder.appendingPathComponent("kiosk-\(UUID().uuidString).log").path
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = handle
        process.standardError = handle
        let input = Pipe()
        process.standardInput = input
        // A line sent to a kiosk that has already exited must fail the write, not end the test process.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        return Running(process: process, outputPath: outputPath, handle: handle, events: KioskEventLog(path: eventsPath), input: input)
    }

    /// Runs `hallkiosk --config CONFIG --script SCRIPT`; returns the exit code and everything it printed.
    public static func run(config: String, script: String, in folder: URL, timeoutSeconds: Double = 90) throws -> (code: Int32, output: String) {
        try launch(config: config, script: script, in: folder).finish(timeoutSeconds: timeoutSeconds)
    }
}
