import Glibc

/// Why the serial port failed: what, on which path, with the system's reason.
public struct SerialPortError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ what: String, path: String, errno code: Int32) {
        description = "\(what) \(path): \(String(cString: strerror(code)))"
    }
    init(_ description: String) { self.description = description }
}

/// The reader's serial port: raw, 115200 8N1, no flow control, non-blocking reads with a timeout.
/// Works the same on a USB-serial adapter (`/dev/ttyUSB*`), a CDC-ACM reader (`/dev/ttyACM*`) and a pseudo-terminal.
public final class SerialPort {
    public let path: String
    private var fd: Int32

    /// The first `/dev/ttyUSB*` or `/dev/ttyACM*`, in name order, or nil when there is none.
    public static func firstReaderDevice() -> String? {
        for pattern in ["/dev/ttyUSB*", "/dev/ttyACM*"] {
            var found = glob_t()
            defer { globfree(&found) }
            guard glob(pattern, 0, nil, &found) == 0 else { continue }
            let paths = (0..<Int(found.gl_pathc)).compactMap { found.gl_pathv[$0].map { String(cString: $0) } }
            if let first = paths.sorted().first { return first }
        }
        return nil
    }

    /// Opens `path` raw at `baud` (default 115200), 8N1.
    public init(path: String, baud: speed_t = speed_t(B115200)) throws(SerialPortError) {
        self.path = path
        fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SerialPortError("cannot open", path: path, errno: errno) }
        var options = termios()
        guard tcgetattr(fd, &options) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw SerialPortError("not a serial port:", path: path, errno: code)
        }
        cfmakeraw(&options)
        options.c_cflag |= tcflag_t(CLOCAL | CREAD)
        options.c_cflag &= ~tcflag_t(CSTOPB | PARENB)
        options.c_cflag &= ~tcflag_t(CRTSCTS)
        options.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        cfsetispeed(&options, baud)
        cfsetospeed(&options, baud)
        withUnsafeMutableBytes(of: &options.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(fd, TCSANOW, &options) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw SerialPortError("cannot set 115200 8N1 raw on", path: path, errno: code)
        }
        tcflush(fd, TCIOFLUSH)
    }

    deinit { close() }

    /// Closes the port (idempotent).
    public func close() {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }

    /// Throws away bytes received and not read yet (stale replies).
    public func discardInput() {
        if fd >= 0 { tcflush(fd, TCIFLUSH) }
    }

    /// Writes every byte (waits while the output buffer is full).
    public func write(_ bytes: [UInt8]) throws(SerialPortError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                sent += n
            } else if n < 0, errno == EAGAIN || errno == EINTR {
                _ = waitFor(Int16(POLLOUT), milliseconds: 50)
            } else {
                throw SerialPortError("cannot write to", path: path, errno: errno)
            }
        }
    }

    /// Reads what has arrived, waiting up to `milliseconds` for the first byte. Returns an empty array on timeout;
    /// throws when the device is gone (unplugged, or the other end of a pseudo-terminal closed).
    public func read(upTo count: Int = 4_096, milliseconds: Int32) throws(SerialPortError) -> [UInt8] {
        let events = waitFor(Int16(POLLIN), milliseconds: milliseconds)
        if events & Int16(POLLIN) == 0 {
            if events & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { throw SerialPortError("the reader went away: \(path) hung up") }
            return []
        }
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, count) }
        if n > 0 { return Array(buffer[..<n]) }
        if n < 0, errno == EAGAIN || errno == EINTR { return [] }
        if n == 0 { throw SerialPortError("the reader went away: \(path) reached end of file") }
        throw SerialPortError("the reader went away: cannot read", path: path, errno: errno)
    }

    private func waitFor(_ events: Int16, milliseconds: Int32) -> Int16 {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        let n = poll(&entry, 1, milliseconds)
        return n > 0 ? entry.revents : 0
    }
}
