import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP proxy in front of the real hall server that can be switched to misbehave:
/// answer 500 (or any status, with `Retry-After`), answer garbage, hang, forward but lose the answer,
/// or freeze the connections it is carrying. Plain blocking sockets, a thread per connection.
/// The tests use it directly; `hallkiosk-lab soak` drives it through its queue of targeted faults.
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
        /// Read the request, answer nothing for `seconds`, then close the connection.
        case hangFor(seconds: Double)
        /// Forward the request, wait for the server's answer, then close the connection without passing it on.
        case loseAnswer
    }

    /// The first line of a request, for per-request rules.
    public struct RequestLine: Sendable {
        public var method: String
        /// Path with query, e.g. `/api/v1/windows/w01/events`.
        public var path: String
    }

    /// How the proxy treats silent peers and a server that is down.
    public struct Options: Sendable {
        /// How long the proxy waits for the next bytes of a request or of the server's answer before it drops the
        /// connection; nil waits until the proxy stops.
        public var readTimeoutSeconds: Double?
        /// When the server refuses the connection: true answers 502, false just closes the client's connection
        /// (what the client would see without a proxy).
        public var answer502WhenServerDown: Bool

        /// The tests' defaults: wait as long as it takes, answer 502 when the server is down.
        public init(readTimeoutSeconds: Double? = nil, answer502WhenServerDown: Bool = true) {
            self.readTimeoutSeconds = readTimeoutSeconds
            self.answer502WhenServerDown = answer502WhenServerDown
        }
    }

    /// The proxy's loopback port.
    public let port: Int
    /// `http://127.0.0.1:<port>`: give this to the client under test.
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    private let upstreamPort: Int
    private let options: Options
    private let listener: Int32
    private let lock = NSLock()
    private var rule: @Sendable (RequestLine) -> Behaviour = { _ in .forward }
    private var frozen: Set<Int32> = []
    private var stopped = false
    private var open: Set<Int32> = []
    private var counts: [String: Int] = [:]

    /// Starts listening on a free loopback port, forwarding to `127.0.0.1:upstreamPort`.
    public init(upstreamPort: Int, options: Options = Options()) throws {
        self.upstreamPort = upstreamPort
        self.options = options
        let socket: (fd: Int32, port: Int)
        do {
            socket = try Loopback.listener()
        } catch {
            throw Loopback.Failure(description: "FaultProxy: \(error)")
        }
        listener = socket.fd
        port = socket.port
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// Every request gets `behaviour` from now on.
    public var behaviour: Behaviour {
        get { lock.withLock { rule(RequestLine(method: "GET", path: "/")) } }
        set { lock.withLock { rule = { _ in newValue } } }
    }

    /// Decides per request (e.g. break only the event stream). The rule runs on the proxy's threads, once a
    /// request has been read, and again every 50 ms while it answers `.hang` for that request.
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

    /// How many requests were seen whose path starts with `prefix` (ids of 16 characters or more in paths count as `{id}`).
    public func requestCount(pathPrefix prefix: String) -> Int {
        lock.withLock { counts.filter { $0.key.hasPrefix(prefix) }.reduce(0) { $0 + $1.value } }
    }

    /// The path without its query, with long segments (ticket tokens, rating ids) as `{id}`: one counter per route,
    /// so the counts stay small over a soak of thousands of tickets.
    static func route(of path: String) -> String {
        path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
            .split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.count >= 16 ? "{id}" : String($0) }
            .joined(separator: "/")
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

    private var isRunning: Bool { lock.withLock { !stopped } }
    private func isFrozen(_ fd: Int32) -> Bool { lock.withLock { frozen.contains(fd) } }

    private func acceptLoop() {
        while isRunning {
            let client = accept(listener, nil, nil)
            if client < 0 { if isRunning { continue } else { return } }
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

    private func readSome(_ fd: Int32) -> [UInt8]? {
        Loopback.readSome(fd, timeoutSeconds: options.readTimeoutSeconds) { isRunning }
    }

    private func handle(_ client: Int32) {
        guard let (head, rest) = Loopback.readHead(client, timeoutSeconds: options.readTimeoutSeconds, while: { isRunning }) else { return }
        var lines = head.components(separatedBy: "\r\n")
        let first = lines.first?.split(separator: " ") ?? []
        guard first.count >= 2 else { return }
        let line = RequestLine(method: String(first[0]), path: String(first[1]))
        // The body, by Content-Length (the kiosk never sends chunked requests).
        let length = lines.compactMap { l -> Int? in
            let parts = l.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        var body = rest
        while body.count < length, let more = readSome(client) { body += more }
        let behaviour: Behaviour = lock.withLock {
            counts[Self.route(of: line.path), default: 0] += 1
            return rule(line)
        }
        switch behaviour {
        case .answer(let status, let text, let headers):
            reply(client, status: status, body: text, headers: headers)
        case .garbage:
            reply(client, status: 200, body: "<html><body>Welcome to the hall Wi-Fi. Please log in.</body></html>",
                  headers: ["Content-Type: application/json"])
        case .hang:
            while isRunning && lock.withLock({ rule(line) }) == .hang { usleep(50_000) }
        case .hangFor(let seconds):
            let until = Date().addingTimeInterval(seconds)
            while isRunning && Date() < until { usleep(50_000) }
        case .forward, .loseAnswer:
            lines.removeAll { $0.lowercased().hasPrefix("connection:") || $0.isEmpty }
            lines.append("Connection: close")
            let request = Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) + body
            guard let upstream = Loopback.connection(to: upstreamPort) else {
                if options.answer502WhenServerDown { reply(client, status: 502, body: "proxy: upstream refused", headers: []) }
                return
            }
            track(upstream)
            defer { untrack(upstream); close(upstream) }
            guard Loopback.writeAll(upstream, request) else { return }
            if behaviour == .loseAnswer {
                while readSome(upstream) != nil {}
                return
            }
            pump(from: upstream, to: client)
        }
    }

    /// Copies the server's answer to the client until the server closes, the client goes away, the server stays
    /// silent for the read timeout, or the proxy stops; while frozen, copies nothing and keeps both open.
    private func pump(from source: Int32, to target: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16384)
        var lastData = Date()
        while isRunning {
            if isFrozen(target) { usleep(50_000); lastData = Date(); continue }
            if let timeout = options.readTimeoutSeconds, Date().timeIntervalSince(lastData) >= timeout { return }
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
                lastData = Date()
                guard Loopback.writeAll(target, Array(buffer[0..<n])) else { return }
            }
        }
    }

    private func reply(_ fd: Int32, status: Int, body: String, headers: [String]) {
        var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
        for h in headers { head += h + "\r\n" }
        if !headers.contains(where: { $0.lowercased().hasPrefix("content-type:") }) { head += "Content-Type: text/plain\r\n" }
        head += "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        Loopback.writeAll(fd, Array((head + body).utf8))
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 500: "Internal Server Error"
        default: "Fault"
        }
    }
}
