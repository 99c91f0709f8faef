import Foundation

/// Runs the real `hallkiosk` binary offscreen with a script, as CI and acceptance tests do.
public enum KioskProcess {
    /// Writes a kiosk config for the demo ticket kiosk pointing at `serverURL`.
    public static func writeConfig(in folder: URL, serverURL: String, size: (Int, Int) = (1080, 1920),
                                   offlineGraceSeconds: Int = 2, statusRefreshSeconds: Int = 1) throws -> String {
        let path = folder.appendingPathComponent("kiosk-\(size.0)x\(size.1).toml").path
        try """
        role = "ticketKiosk"
        [device]
        id = "kiosk-01"
        token = "demo-kiosk-01-token-change-me"
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
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Writes a rating device config for the demo window `window` (device `rating-<window>`) pointing at `serverURL`.
    public static func writeRatingConfig(in folder: URL, serverURL: String, window: String = "w01",
                                         size: (Int, Int) = (1280, 800), promptSeconds: Int = 60,
                                         extra: String = "") throws -> String {
        let path = folder.appendingPathComponent("rating-\(window)-\(size.0)x\(size.1).toml").path
        try """
        role = "ratingDevice"
        [device]
        id = "rating-\(window)"
        window = "\(window)"
        token = "demo-rating-\(window)-token-change-me"
        [server]
        url = "\(serverURL)"
        timeoutSeconds = 2
        [screen]
        width = \(size.0)
        height = \(size.1)
        videoDriver = "offscreen"
        [ui]
        offlineGraceSeconds = 5
        statusRefreshSeconds = 2
        [rating]
        promptSeconds = \(promptSeconds)
        thanksSeconds = 2
        \(extra)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A `hallkiosk` started in the background (`launch`); `finish` waits for it and returns what it printed.
    public final class Running: @unchecked Sendable {
        public let process: Process
        let outputPath: String
        let handle: FileHandle

        init(process: Process, outputPath: String, handle: FileHandle) {
            self.process = process
            self.outputPath = outputPath
            self.handle = handle
        }

        /// Everything printed so far.
        public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

        /// Waits until `text` appears in the output (or the process ends, or `timeoutSeconds` pass).
        @discardableResult
        public func waitForOutput(_ text: String, timeoutSeconds: Double = 30) -> Bool {
            let deadline = Date().addingTimeInterval(timeoutSeconds)
            while Date() < deadline {
                if output.contains(text) { return true }
                if !process.isRunning { return output.contains(text) }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
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

    /// Starts `hallkiosk --config CONFIG --video offscreen [--script SCRIPT]` in the background.
    public static func launch(config: String, script: String?, in folder: URL) throws -> Running {
        var arguments = ["--config", config, "--video", "offscreen"]
        if let script {
            let scriptPath = folder.appendingPathComponent("script-\(UUID().uuidString).txt").path
            try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
            arguments += ["--script", scriptPath]
        }
        let process = Process()
        process.executableURL = try BuiltProducts.executable("hallkiosk")
        process.arguments = arguments
        let outputPath = folder.appendingPathComponent("kiosk-\(UUID().uuidString).log").path
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return Running(process: process, outputPath: outputPath, handle: handle)
    }

    /// Runs `hallkiosk --config CONFIG --script SCRIPT`; returns the exit code and everything it printed.
    public static func run(config: String, script: String, in folder: URL, timeoutSeconds: Double = 90) throws -> (code: Int32, output: String) {
        let scriptPath = folder.appendingPathComponent("script-\(UUID().uuidString).txt").path
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = try BuiltProducts.executable("hallkiosk")
        process.arguments = ["--config", config, "--video", "offscreen", "--script", scriptPath]
        let outputPath = folder.appendingPathComponent("kiosk-\(UUID().uuidString).log").path
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try handle.close()
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return (process.terminationStatus, output)
    }
}
