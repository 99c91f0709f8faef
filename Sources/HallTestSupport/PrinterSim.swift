import Foundation
import XCTest

/// The real `kiosk/printer-sim` (ippeveprinter behind a private cupsd, plus a raw socket sink) in a private
/// state folder on random high ports; stopped in teardown. The one launcher every test target uses.
public final class PrinterSim: @unchecked Sendable {
    public let folder: URL
    /// What `printer-sim --env start` printed: PRINTER_URI, CUPS_SERVER, CUPS_QUEUE, SPOOL_DIR, …
    public let env: [String: String]
    public var printerURI: String { env["PRINTER_URI"]! }
    public var cupsServer: String { env["CUPS_SERVER"]! }
    public var queue: String { env["CUPS_QUEUE"]! }
    public var rawQueue: String { env["CUPS_RAW_QUEUE"]! }
    public var spool: URL { URL(fileURLWithPath: env["SPOOL_DIR"]!) }
    public var sink: URL { URL(fileURLWithPath: env["SINK_DIR"]!) }
    /// The simulator's state folder (`--dir`).
    public var stateFolder: String { folder.appendingPathComponent("sim").path }
    public static let script = BuiltProducts.repository.appendingPathComponent("kiosk/printer-sim").path

    /// Starts the simulator; registers its stop with `test`'s teardown.
    public init(_ test: XCTestCase) throws {
        folder = try temporaryFolder(test, "printer-sim")
        var lastError = ""
        for _ in 0..<5 {
            let port = Int.random(in: 21000...59000)
            let result = try runProgram(Self.script, ["--dir", folder.appendingPathComponent("sim").path, "--port", String(port), "--env", "start"])
            if result.code == 0 {
                var env: [String: String] = [:]
                for line in result.out.split(separator: "\n") {
                    let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                    if parts.count == 2 { env[parts[0]] = parts[1] }
                }
                self.env = env
                test.addTeardownBlock { [folder] in
                    _ = try? runProgram(Self.script, ["--dir", folder.appendingPathComponent("sim").path, "stop"])
                }
                // Runs first (teardown blocks run last-in first-out): a failed test keeps the simulator's logs.
                test.addTeardownBlock { [folder, weak test] in
                    guard let test, let run = test.testRun, run.totalFailureCount > 0 else { return }
                    Self.keepLogs(folder.appendingPathComponent("sim/logs"), for: test.name)
                }
                return
            }
            lastError = result.err
            _ = try? runProgram(Self.script, ["--dir", folder.appendingPathComponent("sim").path, "stop"])
        }
        throw TestSetupFailure("printer-sim did not start: \(lastError)")
    }

    /// Copies the simulator's logs (cupsd's error log, the printer's log) of a failed test to a folder that
    /// outlives the test, and says where.
    public static func keepLogs(_ logs: URL, for testName: String) {
        let name = testName.filter { $0.isLetter || $0.isNumber || $0 == "." }
        let kept = FileManager.default.temporaryDirectory.appendingPathComponent("printer-sim-failed-\(name)-\(getpid())")
        try? FileManager.default.removeItem(at: kept)
        if (try? FileManager.default.copyItem(at: logs, to: kept)) != nil {
            print("printer-sim logs of the failed test \(testName) kept in \(kept.path)")
        }
    }

    /// Runs a printer-sim command (paper-out, refill, printer-stop, queue-stop …); fails the test if it fails.
    public func run(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) {
        do {
            let result = try runProgram(Self.script, ["--dir", folder.appendingPathComponent("sim").path] + arguments)
            XCTAssertEqual(result.code, 0, "printer-sim \(arguments.joined(separator: " ")): \(result.err)", file: file, line: line)
        } catch {
            XCTFail("printer-sim \(arguments): \(error)", file: file, line: line)
        }
    }

    /// cupsd's own word on its job `id` (`completed`, `aborted`, …), asked with `ipptool`, not with the kiosk's code.
    public func cupsJobState(_ id: Int) -> String? {
        guard let result = try? runProgram("/usr/bin/ipptool", ["-tv", "ipp://\(cupsServer)/jobs/\(id)",
                                                                "/usr/share/cups/ipptool/get-job-attributes.test"]) else { return nil }
        return result.out.split(separator: "\n").lazy.compactMap { line -> String? in
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == "job-state (enum)" else { return nil }
            return parts[1].trimmingCharacters(in: .whitespaces)
        }.first
    }

    /// Job files kept by the simulator, oldest first.
    public func jobFiles() -> [URL] {
        let files = (try? FileManager.default.contentsOfDirectory(at: spool, includingPropertiesForKeys: nil)) ?? []
        return files.filter { !$0.hasDirectoryPath && $0.lastPathComponent.first?.isNumber == true }
            .sorted { (Int($0.lastPathComponent.prefix { $0.isNumber }) ?? 0) < (Int($1.lastPathComponent.prefix { $0.isNumber }) ?? 0) }
    }

    /// Files captured by the raw sink (one per connection).
    public func sinkFiles() -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: sink, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "bin" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Waits up to `seconds` for `condition`.
    public func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        waitUntil(seconds, condition)
    }
}
