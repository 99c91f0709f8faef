import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Why a test process could not be started.
public struct TestProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

/// Finds the programs built next to the test bundle.
public enum BuiltProducts {
    /// The repository root.
    public static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The built executable `name`, next to the test bundle (or in the repository's .build/debug).
    public static func executable(_ name: String) throws -> URL {
        let bundle = Bundle(for: HallServerProcess.self).bundleURL
        let candidates = [bundle, bundle.deletingLastPathComponent(), repository.appendingPathComponent(".build/debug")]
            .map { $0.appendingPathComponent(name) }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw TestProcessError(description: "no built '\(name)' near \(bundle.path); run `swift build --build-tests`")
        }
        return found
    }
}

/// The real `hallserver` binary (demo hall) on a loopback port with its own SQLite file.
public final class HallServerProcess: @unchecked Sendable {
    public let folder: URL
    public private(set) var process: Process
    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    private let arguments: [String]

    /// Starts the demo hall, with `edit` applied to its config text; `port` 0 picks a free one. `database` is the `--db`
    /// value (a `postgres://` URL, say); nil: an SQLite file in the server's folder.
    public init(port requestedPort: Int = 0, database: String? = nil, edit: (String) -> String = { $0 }) throws {
        let binary = try BuiltProducts.executable("hallserver")
        let repository = BuiltProducts.repository
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hall-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let demo = try String(contentsOf: repository.appendingPathComponent("kiosk/demo/hall.toml"), encoding: .utf8)
        let config = folder.appendingPathComponent("hall.toml")
        var text = edit(demo)
        // A small disk reserve: test folders stay behind in /tmp, 16 MiB each would add up.
        if !text.contains("[maintenance]") { text += "\n[maintenance]\ndiskReserveMiB = 1\n" }
        try text.write(to: config, atomically: true, encoding: .utf8)
        let portFile = folder.appendingPathComponent("port").path
        arguments = ["--config", config.path, "--db", database ?? folder.appendingPathComponent("hall.sqlite").path,
                     "--log-level", "warning"]
        (process, port) = try Self.launch(binary, arguments, port: requestedPort, portFile: portFile)
    }

    private static func launch(_ binary: URL, _ arguments: [String], port: Int, portFile: String) throws -> (Process, Int) {
        try? FileManager.default.removeItem(atPath: portFile)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments + ["--port", String(port), "--port-file", portFile]
        try process.run()
        for _ in 0..<1000 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let p = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return (process, p)
            }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        process.terminate()
        throw TestProcessError(description: "hallserver did not start listening")
    }

    /// Stops the server (SIGTERM) and waits for it.
    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Starts the stopped server again on the same port and database.
    public func restart() throws {
        stop()
        (process, _) = try Self.launch(try BuiltProducts.executable("hallserver"), arguments, port: port,
                                       portFile: folder.appendingPathComponent("port").path)
    }

    /// Logs a demo staff member in at a window (taking it over from anyone signed in there); returns the staff token.
    public func staffToken(window: String = "w01", employeeNo: String = "1001") throws -> String {
        let (data, _) = try Self.request("POST", "\(baseURL)/api/v1/windows/\(window)/login",
                                         body: #"{"employeeNo":"\#(employeeNo)","pin":"123456","takeover":true}"#)
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return json?["staffToken"] as? String ?? ""
    }

    /// A plain HTTP request (Foundation); returns body and status.
    @discardableResult
    public static func request(_ method: String, _ url: String, token: String? = nil, body: String? = nil,
                               headers: [(String, String)] = []) throws -> (Data, Int) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let box = ResultBox()
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            box.set(data ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0)
        }
        task.resume()
        return box.wait()
    }

    private final class ResultBox: @unchecked Sendable {
        let semaphore = DispatchSemaphore(value: 0)
        var value: (Data, Int) = (Data(), 0)
        func set(_ d: Data, _ s: Int) { value = (d, s); semaphore.signal() }
        func wait() -> (Data, Int) { semaphore.wait(); return value }
    }
}
