import Foundation
#if canImport(Glibc)
import Glibc
#endif
import struct HallTestSupport.TestSetupFailure

/// A plain-socket HTTP/1.1 client for attack tests: it sends exactly the bytes given (paths no client library
/// would normalise, a body one byte at a time) from a chosen loopback source address (127.0.0.2, 127.0.0.3 …), so
/// one test can be several clients of the hall.
struct RawHTTP {
    let port: Int
    /// The client's own address (any 127.0.0.0/8 address works on Linux without set-up).
    var source = "127.0.0.1"

    struct Reply {
        var status: Int
        var headers: [(String, String)]
        var body: String

        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        /// Every `Set-Cookie` header's `name=value` part.
        var cookies: [String: String] {
            var out: [String: String] = [:]
            for (k, v) in headers where k.lowercased() == "set-cookie" {
                let pair = v.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                out[String(pair[0])] = pair.count == 2 ? String(pair[1]) : ""
            }
            return out
        }
    }

    /// A connected socket (blocking, 15 s receive timeout).
    func connect() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupFailure("socket() failed") }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, source, &local.sin_addr)
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr)
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, connected == 0 else {
            close(fd)
            throw TestSetupFailure("cannot connect from \(source) to 127.0.0.1:\(port) (errno \(errno))")
        }
        return fd
    }

    /// Sends one request (`Connection: close`) and reads the whole answer.
    func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: String? = nil,
              contentType: String = "application/x-www-form-urlencoded") throws -> Reply {
        let fd = try connect()
        defer { close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        if let body { head += "Content-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n" }
        head += "\r\n" + (body ?? "")
        try write(fd, head)
        return try Self.parse(readAll(fd))
    }

    /// Writes all of `text` to `fd`.
    func write(_ fd: Int32, _ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestSetupFailure("send failed (errno \(errno))") }
            sent += n
        }
    }

    /// Reads until the peer closes (or the receive timeout passes).
    func readAll(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return out
    }

    static func parse(_ bytes: [UInt8]) throws -> Reply {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw TestSetupFailure("no HTTP answer: \(text.prefix(200))") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Reply(status: status, headers: headers, body: String(text[split.upperBound...]))
    }
}
