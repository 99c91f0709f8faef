import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The soak's loopback proxy between the kiosk and the hall server: forwards every request (one connection
/// each, `Connection: close`) unless a queued fault matches it — then it answers 500, answers garbage, hangs
/// for a while, or forwards the request and loses the answer. Plain blocking sockets, a thread per connection.
/// (The tests' `FaultProxy` does the same for XCTest; this one lives in the kiosk program for `hallkiosk soak`.)
final class SoakProxy: @unchecked Sendable {
    enum Fault: Sendable, CustomStringConvertible {
        case error500
        case garbage
        case hang(seconds: Double)
        case loseAnswer

        var description: String {
            switch self {
            case .error500: "500"
            case .garbage: "garbage"
            case .hang(let s): "hang \(String(format: "%.1f", s)) s"
            case .loseAnswer: "lost answer"
            }
        }
    }

    /// Which requests a fault applies to.
    enum Target: String, Sendable, CaseIterable {
        case any, hallStatus, tickets, lookups, ratings

        func matches(method: String, path: String) -> Bool {
            let p = path.components(separatedBy: "?")[0]
            switch self {
            case .any: return true
            case .hallStatus: return p == "/api/v1/hall"
            case .tickets: return method == "POST" && p == "/api/v1/tickets"
            case .lookups: return method == "GET" && p.hasPrefix("/api/v1/tickets")
            case .ratings: return p.hasPrefix("/api/v1/ratings")
            }
        }
    }

    private struct Pending {
        var target: Target
        var fault: Fault
        var remaining: Int
    }

    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }
    private let upstreamPort: Int
    private let listener: Int32
    private let lock = NSLock()
    private var pending: [Pending] = []
    private var stopped = false
    private var applied = 0
    private var forwarded = 0

    init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw SoakFailure("proxy: socket() failed, errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = Self.loopback(port: 0)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, len) } }
        guard bound == 0, listen(listener, 128) == 0 else {
            close(listener)
            throw SoakFailure("proxy: cannot listen on loopback, errno \(errno)")
        }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        self.listener = listener
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// The next `count` requests matching `target` get `fault`.
    func inject(_ fault: Fault, target: Target, count: Int) {
        lock.withLock { pending.append(Pending(target: target, fault: fault, remaining: count)) }
    }

    /// Drops faults not applied yet.
    func clearFaults() { lock.withLock { pending.removeAll() } }

    /// Faults applied so far, requests forwarded so far.
    var counts: (applied: Int, forwarded: Int) { lock.withLock { (applied, forwarded) } }

    func stop() {
        let already = lock.withLock { () -> Bool in
            defer { stopped = true }
            return stopped
        }
        if already { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop() {
        while !isStopped {
            let client = accept(listener, nil, nil)
            if client < 0 { if isStopped { return } else { continue } }
            let thread = Thread { [self] in
                handle(client)
                close(client)
            }
            thread.start()
        }
    }

    private func decide(method: String, path: String) -> Fault? {
        lock.withLock {
            guard let i = pending.firstIndex(where: { $0.target.matches(method: method, path: path) }) else {
                forwarded += 1
                return nil
            }
            let fault = pending[i].fault
            pending[i].remaining -= 1
            if pending[i].remaining <= 0 { pending.remove(at: i) }
            applied += 1
            return fault
        }
    }

    private func handle(_ client: Int32) {
        guard let (head, rest) = readHead(client) else { return }
        var lines = head.components(separatedBy: "\r\n")
        let first = lines.first?.split(separator: " ") ?? []
        guard first.count >= 2 else { return }
        let length = lines.compactMap { l -> Int? in
            let parts = l.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        var body = rest
        while body.count < length, let more = readSome(client, timeoutMs: 10_000) { body += more }
        let fault = decide(method: String(first[0]), path: String(first[1]))
        switch fault {
        case .error500?:
            reply(client, status: 500, body: #"{"error":{"code":"internal","message":"soak: injected 500"}}"#)
        case .garbage?:
            reply(client, status: 200, body: "<html><body>Welcome to the hall Wi-Fi. Please log in.</body></html>")
        case .hang(let seconds)?:
            Thread.sleep(forTimeInterval: seconds)
        case .loseAnswer?, nil:
            lines.removeAll { $0.lowercased().hasPrefix("connection:") || $0.isEmpty }
            lines.append("Connection: close")
            let request = Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) + body
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard upstream >= 0 else { return }
            defer { close(upstream) }
            var addr = Self.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            // The server is down: the kiosk sees what it would see without a proxy, a closed connection.
            guard connected == 0, writeAll(upstream, request) else { return }
            if case .loseAnswer? = fault {
                while readSome(upstream, timeoutMs: 10_000) != nil {}
                return
            }
            // Copy the answer until the server closes (or stays silent for 10 s: a stopped server).
            while let chunk = readSome(upstream, timeoutMs: 10_000) {
                guard writeAll(client, chunk) else { return }
            }
        }
    }

    private func readHead(_ fd: Int32) -> (String, [UInt8])? {
        var data: [UInt8] = []
        while data.count < 65536 {
            guard let more = readSome(fd, timeoutMs: 10_000) else { return nil }
            data += more
            if let end = Self.headEnd(data) {
                return (String(decoding: data[..<end], as: UTF8.self), Array(data[(end + 4)...]))
            }
        }
        return nil
    }

    private func readSome(_ fd: Int32, timeoutMs: Int32) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 16384)
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, timeoutMs) > 0 else { return nil }
        let n = read(fd, &buffer, buffer.count)
        return n > 0 ? Array(buffer[0..<n]) : nil
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    private func reply(_ fd: Int32, status: Int, body: String) {
        let head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Internal Server Error")\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        _ = writeAll(fd, Array((head + body).utf8))
    }

    static func headEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 {
            return i
        }
        return nil
    }

    static func loopback(port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        return addr
    }
}

/// Why the soak stopped.
public struct SoakFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
