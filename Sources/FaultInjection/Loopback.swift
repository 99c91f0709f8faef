import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Blocking TCP plumbing on 127.0.0.1 for the fault proxy and small hand-made HTTP/1.1 clients:
/// listen, connect, write everything, read what comes (with a timeout), find the end of an HTTP head.
public enum Loopback {
    /// Why a listening socket could not be opened.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `127.0.0.1:port` as a socket address.
    public static func address(port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        return addr
    }

    /// A socket listening on a free loopback port (`SO_REUSEADDR`, backlog 128): its descriptor and its port.
    public static func listener() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed, errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = address(port: 0)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0, listen(fd, 128) == 0 else {
            let failed = errno
            close(fd)
            throw Failure(description: "cannot listen on loopback, errno \(failed)")
        }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }

    /// A socket connected to `127.0.0.1:port`, or nil when nothing listens there (or no socket could be made).
    /// With `timeoutSeconds`, sends and receives on it (and the connect itself) give up after that long.
    public static func connection(to port: Int, timeoutSeconds: Int? = nil) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        if let timeoutSeconds {
            var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        }
        var addr = address(port: port)
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Sends all of `bytes` (no SIGPIPE); false when the peer is gone.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// The next bytes from `fd`; nil at the end of the stream, on an error, after `timeoutSeconds` without data
    /// (nil: no limit) or as soon as `keepWaiting` says no (checked every 100 ms).
    public static func readSome(_ fd: Int32, timeoutSeconds: Double? = nil, while keepWaiting: () -> Bool = { true }) -> [UInt8]? {
        let deadline = timeoutSeconds.map { Date().addingTimeInterval($0) }
        var buffer = [UInt8](repeating: 0, count: 16384)
        while keepWaiting() {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, 100)
            if ready < 0 { return nil }
            if ready == 0 {
                if let deadline, Date() >= deadline { return nil }
                continue
            }
            let n = read(fd, &buffer, buffer.count)
            return n > 0 ? Array(buffer[0..<n]) : nil
        }
        return nil
    }

    /// Reads an HTTP head (at most 64 KiB): its text up to the blank line, and the bytes read after it.
    public static func readHead(_ fd: Int32, timeoutSeconds: Double? = nil,
                                while keepWaiting: () -> Bool = { true }) -> (head: String, rest: [UInt8])? {
        var data: [UInt8] = []
        while data.count < 65536 {
            guard let more = readSome(fd, timeoutSeconds: timeoutSeconds, while: keepWaiting) else { return nil }
            data += more
            if let end = headEnd(data) {
                return (String(decoding: data[..<end], as: UTF8.self), Array(data[(end + 4)...]))
            }
        }
        return nil
    }

    /// Where the blank line (`\r\n\r\n`) that ends an HTTP head starts in `data`.
    public static func headEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 {
            return i
        }
        return nil
    }
}
