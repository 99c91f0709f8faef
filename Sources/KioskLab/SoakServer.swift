import FaultInjection
import Foundation
import KioskApp
#if canImport(Glibc)
import Glibc
#endif

/// The real `hallserver` the soak runs against, as a child process on a fixed loopback port and its own
/// SQLite file: stopped and started again (SIGTERM or SIGKILL), paused with SIGSTOP.
final class SoakServer: @unchecked Sendable {
    let binary: String
    let arguments: [String]
    private(set) var port = 0
    private var process: Process?
    private let logPath: String
    private let portFile: String
    private let lock = NSLock()

    init(binary: String, config: String, folder: String) throws {
        self.binary = binary
        arguments = ["--config", config, "--db", folder + "/hall.sqlite", "--log-level", "warning"]
        logPath = folder + "/hallserver.log"
        portFile = folder + "/hallserver.port"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        try start()
    }

    var pid: Int32 { lock.withLock { process?.processIdentifier ?? 0 } }

    /// Starts the server (a free port the first time, the same port afterwards) and waits until it listens.
    func start() throws {
        try? FileManager.default.removeItem(atPath: portFile)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments + ["--port", String(port), "--port-file", portFile]
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        p.standardOutput = log
        p.standardError = log
        p.standardInput = FileHandle.nullDevice
        try p.run()
        try? log.close()
        lock.withLock { process = p }
        for _ in 0..<2000 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8),
               let n = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), n > 0 {
                port = n
                return
            }
            guard p.isRunning else { break }
            usleep(10_000)
        }
        throw SoakFailure("hallserver did not start listening (see \(logPath))")
    }

    /// Stops it: SIGTERM (a clean stop) or SIGKILL (a power cut); waits for the exit.
    func stop(kill hard: Bool) {
        guard let p = lock.withLock({ process }), p.isRunning else { return }
        kill(p.processIdentifier, SIGCONT)
        kill(p.processIdentifier, hard ? SIGKILL : SIGTERM)
        p.waitUntilExit()
    }

    func restart(kill hard: Bool) throws {
        stop(kill: hard)
        try start()
    }

    /// Freezes the server for `seconds` (SIGSTOP … SIGCONT): connections are accepted, nothing is answered.
    func pause(seconds: Double) {
        let pid = self.pid
        kill(pid, SIGSTOP)
        Thread.sleep(forTimeInterval: seconds)
        kill(pid, SIGCONT)
    }

    /// The server's resident set size, kB.
    var rssKB: Int { SoakProbe.rssKB(pid: pid) }
}

/// /proc figures of a process.
enum SoakProbe {
    static func rssKB(pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return -1 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
        }
        return -1
    }

    static func openFiles(pid: Int32) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd"))?.count ?? 0)
    }

    static func threads(pid: Int32) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task"))?.count ?? 0)
    }
}

/// A small blocking HTTP/1.1 client for the soak's own calls to the hall server (staff actions, checks):
/// one connection per request, no caches, so it adds nothing that grows to the process being measured.
enum SoakHTTP {
    struct Answer {
        var status: Int
        var body: Data
    }

    static func request(_ method: String, port: Int, _ path: String, token: String? = nil, body: String? = nil,
                        timeoutSeconds: Int = 20) throws -> Answer {
        guard let fd = Loopback.connection(to: port, timeoutSeconds: timeoutSeconds) else {
            throw SoakFailure("\(method) \(path): connection refused")
        }
        defer { close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        let bytes = Array((body ?? "").utf8)
        if body != nil { head += "Content-Type: application/json\r\n" }
        if method == "POST" || body != nil { head += "Content-Length: \(bytes.count)\r\n" }
        let request = Array((head + "\r\n").utf8) + bytes
        guard Loopback.writeAll(fd, request) else { throw SoakFailure("\(method) \(path): send failed") }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 { throw SoakFailure("\(method) \(path): no answer within \(timeoutSeconds) s") }
            if n == 0 { break }
            data += buffer[0..<n]
        }
        guard let end = Loopback.headEnd(data) else { throw SoakFailure("\(method) \(path): incomplete answer") }
        let headText = String(decoding: data[..<end], as: UTF8.self)
        let status = Int(headText.split(separator: " ").dropFirst().first ?? "") ?? 0
        var payload = Array(data[(end + 4)...])
        if headText.lowercased().contains("transfer-encoding: chunked") { payload = dechunk(payload) }
        return Answer(status: status, body: Data(payload))
    }

    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            var j = i
            while j + 1 < bytes.count && !(bytes[j] == 13 && bytes[j + 1] == 10) { j += 1 }
            let sizeText = String(decoding: bytes[i..<j], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = j + 2
            guard start + size <= bytes.count else { break }
            out += bytes[start..<(start + size)]
            i = start + size + 2
        }
        return out
    }
}

/// SplitMix64: the soak's seeded random numbers (the same seed, the same faults at the same cycles).
struct SoakRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
