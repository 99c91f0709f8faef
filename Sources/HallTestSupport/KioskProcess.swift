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
