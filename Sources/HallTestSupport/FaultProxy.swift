import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP proxy in front of the real hall server that can be switched to misbehave:
/// answer 500 (or any status, with `Retry-After`), answer garbage, hang, forward but lose the answer,
/// or freeze the connections it is carrying. Plain blocking sockets, a thread per connection.
///
/// Every request is forwarded with `Connection: close`, so each request is a new connection and a
/// behaviour change applies to the very next request.
public final class FaultProxy: @unchecked Sendable {
    /// What the proxy does with a request.
    public enum Behaviour: Sendable, Equatable {
        /// Pass it to the hall server and its answer back.
        case forward
        /// Answer this status with this body (and headers) without asking the server.
        case answer(status: Int, body: String, headers: [String] = [])
        /// Answer 200 with a body that is not JSON.
        case garbage
        /// Read the request and never answer (until the behaviour changes or the proxy stops).
        case hang
        /// Forward the request, wait for the server's answer, then close the connection without passing it on.
        case loseAnswer
    }

    /// The first line of a request, for per-request rules.
    public struct RequestLine: Sendable {
        public var method: String
        /// Path with query, e.g. `/api/v1/windows/w01/events`.
        public var path: String
    }

    /// The proxy's loopback port.
    public let port: Int
    /// `http://127.0.0.1:<port>`: give this to the client under test.
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    private let upstreamPort: Int
    private let listener: Int32
    private let lock = NSLock()
    private var rule: @Sendable (RequestLine) -> Behaviour = { _ in .forward }
    private var frozen: Set<Int32> = []
    private var stopped = false
    private var open: Set<Int32> = []
    private var counts: [String: Int] = [:]

    /// Starts listening on a free loopback port, forwarding to `127.0.0.1:upstreamPort`.
    public init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw TestProcessError(description: "FaultProxy: socket() failed, errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = Self.loopback(port: 0)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, len) } }
        guard bound == 0, listen(listener, 128) == 0 else {
            close(listener)
            throw TestProcessError(description: "FaultProxy: cannot listen on loopback, errno \(errno)")
        }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        self.listener = listener
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// Every request gets `behaviour` from now on.
    public var behaviour: Behaviour {
        get { lock.withLock { rule(RequestLine(method: "GET", path: "/")) } }
        set { lock.withLock { rule = { _ in newValue } } }
    }

    /// Decides per request (e.g. break only the event stream).
    public func setRule(_ rule: @escaping @Sendable (RequestLine) -> Behaviour) {
        lock.withLock { self.rule = rule }
    }

    /// The connections open now (e.g. a long event stream) pass nothing more in either direction but
    /// stay open — a dead link that no one closed. Later connections are not affected.
    public func freezeOpenConnections() {
        lock.withLock { frozen = open }
    }

    /// Lets frozen connections carry data again.
    public func thawConnections() {
        lock.withLock { frozen = [] }
    }

    /// How many requests were seen whose path starts with `prefix`.
    public func requestCount(pathPrefix prefix: String) -> Int {
        lock.withLock { counts.filter { $0.key.hasPrefix(prefix) }.reduce(0) { $0 + $1.value } }
    }

    /// Stops listening and closes every connection.
    public func stop() {
        let fds: [Int32] = lock.withLock {
            if stopped { return [] }
            stopped = true
            return Array(open)
        }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    // MARK: Connections

    private var isStopped: Bool { lock.withLock { stopped } }
    private func isFrozen(_ fd: Int32) -> Bool { lock.withLock { frozen.contains(fd) } }

    private func acceptLoop() {
        while !isStopped {
            let client = accept(listener, nil, nil)
            if client < 0 { if isStopped { return } else { continue } }
            track(client)
            let thread = Thread { [self] in
                handle(client)
                untrack(client)
                close(client)
            }
            thread.start()
        }
    }

    private func track(_ fd: Int32) { lock.withLock { _ = open.insert(fd) } }
    private func untrack(_ fd: Int32) { lock.withLock { _ = open.remove(fd) } }

    private func handle(_ client: Int32) {
        guard let (head, rest) = readHead(client) else { return }
        var lines = head.components(separatedBy: "\r\n")
        let first = lines.first?.split(separator: " ") ?? []
        guard first.count >= 2 else { return }
        let line = RequestLine(method: String(first[0]), path: String(first[1]))
        let behaviour: Behaviour = lock.withLock {
            counts[line.path.components(separatedBy: "?")[0], default: 0] += 1
            return rule(line)
        }
        // The body, by Content-Length (the kiosk never sends chunked requests).
        let length = lines.compactMap { l -> Int? in
            let parts = l.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        var body = rest
        while body.count < length, let more = readSome(client) { body += more }
        switch behaviour {
        case .answer(let status, let text, let headers):
            reply(client, status: status, body: text, headers: headers)
        case .garbage:
            reply(client, status: 200, body: "<html><body>Welcome to the hall Wi-Fi. Please log in.</body></html>",
                  headers: ["Content-Type: application/json"])
        case .hang:
            while !isStopped && lock.withLock({ rule(line) }) == .hang { usleep(50_000) }
        case .forward, .loseAnswer:
            lines.removeAll { $0.lowercased().hasPrefix("connection:") || $0.isEmpty }
            lines.append("Connection: close")
            let request = Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) + body
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard upstream >= 0 else { return }
            track(upstream)
            defer { untrack(upstream); close(upstream) }
            var addr = Self.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                reply(client, status: 502, body: "proxy: upstream refused", headers: [])
                return
            }
            guard writeAll(upstream, request) else { return }
            if behaviour == .loseAnswer {
                while readSome(upstream) != nil {}
                return
            }
            pump(from: upstream, to: client)
        }
    }

    /// Copies the server's answer to the client until the server closes (or the proxy stops); while
    /// frozen, copies nothing and keeps both open.
    private func pump(from source: Int32, to target: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while !isStopped {
            if isFrozen(target) { usleep(50_000); continue }
            var fds = [pollfd(fd: source, events: Int16(POLLIN), revents: 0), pollfd(fd: target, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, 100)
            if ready <= 0 { continue }
            if fds[1].revents != 0 {
                // The client sends nothing after its request: readable means it closed.
                var probe: UInt8 = 0
                if recv(target, &probe, 1, Int32(MSG_PEEK)) <= 0 { return }
            }
            if fds[0].revents != 0 {
                if isFrozen(target) { continue }
                let n = read(source, &buffer, buffer.count)
                if n <= 0 { return }
                guard writeAll(target, Array(buffer[0..<n])) else { return }
            }
        }
    }

    private func readHead(_ fd: Int32) -> (String, [UInt8])? {
        var data: [UInt8] = []
        let marker: [UInt8] = [13, 10, 13, 10]
        while data.count < 65536 {
            guard let more = readSome(fd) else { return nil }
            data += more
            if let end = Self.find(marker, in: data) {
                return (String(decoding: data[..<end], as: UTF8.self), Array(data[(end + 4)...]))
            }
        }
        return nil
    }

    private func readSome(_ fd: Int32) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while !isStopped {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, 100)
            if ready == 0 { continue }
            if ready < 0 { return nil }
            let n = read(fd, &buffer, buffer.count)
            return n > 0 ? Array(buffer[0..<n]) : nil
        }
        return nil
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

    private func reply(_ fd: Int32, status: Int, body: String, headers: [String]) {
        var head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Fault")\r\n"
        for h in headers { head += h + "\r\n" }
        if !headers.contains(where: { $0.lowercased().hasPrefix("content-type:") }) { head += "Content-Type: text/plain\r\n" }
        head += "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        _ = writeAll(fd, Array((head + body).utf8))
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        return addr
    }
}
