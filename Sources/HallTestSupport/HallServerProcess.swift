import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// The real `hallserver` binary on a free loopback port with its own SQLite file.
final class HallServerProcess {
    let folder: URL
    let process: Process
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var binary: URL? {
        let bundle = Bundle(for: HallServerProcess.self).bundleURL
        return [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("hallserver") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Starts the demo hall, with `edit` applied to its config text.
    init(edit: (String) -> String = { $0 }) throws {
        guard let binary = Self.binary else { throw XCTSkip("hallserver not built") }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let demo = try String(contentsOf: Self.repository.appendingPathComponent("kiosk/demo/hall.toml"), encoding: .utf8)
        let config = folder.appendingPathComponent("hall.toml")
        try edit(demo).write(to: config, atomically: true, encoding: .utf8)
        let portFile = folder.appendingPathComponent("port").path
        process = Process()
        process.executableURL = binary
        process.arguments = ["--config", config.path, "--db", folder.appendingPathComponent("hall.sqlite").path,
                             "--port", "0", "--port-file", portFile, "--log-level", "warning"]
        try process.run()
        var found = 0
        for _ in 0..<500 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let p = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                found = p
                break
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        guard found != 0 else {
            process.terminate()
            throw XCTSkip("hallserver did not start")
        }
        port = found
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Runs a staff action with curl-free Foundation networking (login then the action).
    func staffToken(window: String = "w01", employeeNo: String = "1001") throws -> String {
        let (data, _) = try Self.request("POST", "\(baseURL)/api/v1/windows/\(window)/login",
                                         body: #"{"employeeNo":"\#(employeeNo)","pin":"123456"}"#)
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return json?["staffToken"] as? String ?? ""
    }

    @discardableResult
    static func request(_ method: String, _ url: String, token: String? = nil, body: String? = nil) throws -> (Data, Int) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
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
