import Foundation
import Glibc
import KioskCore
import Logging
import ServiceLifecycle

/// A keyboard-wedge QR/barcode scanner read straight from its evdev node (`[scanner] device`, e.g.
/// `/dev/input/by-id/usb-…-event-kbd`) and grabbed with `EVIOCGRAB`, so on KMSDRM — where SDL reads every evdev
/// keyboard itself — what it types never reaches the UI as keystrokes. Its keys are decoded (US layout, Shift) up to
/// Enter and posted to the core as text, exactly as SDL text input would be under X11. Reopens the device when it is
/// unplugged and plugged in again.
final class ScannerGrab: Service, @unchecked Sendable {
    let path: String
    let inbox: EventInbox
    let logger: Logger

    init(path: String, inbox: EventInbox, logger: Logger) {
        self.path = path
        self.inbox = inbox
        self.logger = logger
    }

    /// `EVIOCGRAB` = `_IOW('E', 0x90, int)`.
    static let eviocgrab: UInt = 0x4004_4590
    /// `struct input_event` on 64-bit Linux: a 16-byte timeval, type, code (UInt16 each), value (Int32).
    static let eventSize = 24

    func run() async {
        let stop = StopFlag()
        let thread = Thread { [self] in loop(stop) }
        thread.name = "scanner-grab"
        thread.start()
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        }
        stop.set()
    }

    private func loop(_ stop: StopFlag) {
        var warned = false
        while !stop.isSet {
            let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else {
                if !warned { logger.warning("scanner \(path) cannot be opened (\(String(cString: strerror(errno)))); retrying every 2 s") }
                warned = true
                sleepSlices(2, stop)
                continue
            }
            if ioctl(fd, Self.eviocgrab, 1) != 0 {
                logger.warning("scanner \(path): EVIOCGRAB failed (\(String(cString: strerror(errno)))): its keys may also reach the UI")
            } else {
                logger.notice("scanner \(path) grabbed: its codes go to the kiosk, not to the screen")
            }
            warned = false
            read(fd, stop)
            close(fd)
        }
    }

    private func read(_ fd: Int32, _ stop: StopFlag) {
        var decoder = WedgeKeyDecoder()
        var buffer = [UInt8](repeating: 0, count: Self.eventSize * 64)
        while !stop.isSet {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 200)
            if ready < 0 && errno != EINTR { return }
            if ready <= 0 { continue }
            if poller.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 { return }
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count < 0 { if errno == EAGAIN || errno == EINTR { continue } else { return } }
            if count == 0 { return }
            var text = ""
            for offset in stride(from: 0, to: count - Self.eventSize + 1, by: Self.eventSize) {
                let type = UInt16(buffer[offset + 16]) | UInt16(buffer[offset + 17]) << 8
                let code = UInt16(buffer[offset + 18]) | UInt16(buffer[offset + 19]) << 8
                let value = Int32(bitPattern: UInt32(buffer[offset + 20]) | UInt32(buffer[offset + 21]) << 8
                                  | UInt32(buffer[offset + 22]) << 16 | UInt32(buffer[offset + 23]) << 24)
                if let character = decoder.feed(type: type, code: code, value: value) { text.append(character) }
            }
            if !text.isEmpty { inbox.post(.text(text)) }
        }
    }

    private func sleepSlices(_ seconds: Double, _ stop: StopFlag) {
        var left = seconds
        while left > 0, !stop.isSet {
            usleep(100_000)
            left -= 0.1
        }
    }

    final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }
}

/// Turns evdev key events of a keyboard-wedge scanner into characters: letters, digits and the US-layout symbols a QR
/// payload holds, Shift for upper case, Enter as `\r`. Pure: feed it `(type, code, value)` triples.
struct WedgeKeyDecoder {
    private var shift = false

    static let evKey: UInt16 = 1
    static let leftShift: UInt16 = 42, rightShift: UInt16 = 54, enter: UInt16 = 28, keypadEnter: UInt16 = 96

    /// Linux key codes (`input-event-codes.h`) → (plain, shifted).
    static let keys: [UInt16: (Character, Character)] = {
        var map: [UInt16: (Character, Character)] = [:]
        let rows: [(UInt16, String, String)] = [
            (2, "1234567890-=", "!@#$%^&*()_+"), (16, "qwertyuiop[]", "QWERTYUIOP{}"), (30, "asdfghjkl;'`", "ASDFGHJKL:\"~"),
            (43, "\\zxcvbnm,./", "|ZXCVBNM<>?"),
        ]
        for (first, plain, shifted) in rows {
            for (index, (p, s)) in zip(plain, shifted).enumerated() { map[first + UInt16(index)] = (p, s) }
        }
        map[57] = (" ", " ")
        return map
    }()

    /// The character a key press gives, if any (`value` 1 = press, 2 = autorepeat, 0 = release).
    mutating func feed(type: UInt16, code: UInt16, value: Int32) -> Character? {
        guard type == Self.evKey else { return nil }
        if code == Self.leftShift || code == Self.rightShift {
            shift = value != 0
            return nil
        }
        guard value == 1 || value == 2 else { return nil }
        if code == Self.enter || code == Self.keypadEnter { return "\r" }
        guard let (plain, shifted) = Self.keys[code] else { return nil }
        return shift ? shifted : plain
    }
}
