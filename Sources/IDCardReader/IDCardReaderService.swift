import Foundation
import Glibc

/// The thin adapter around `ReaderMachine`: one background thread that opens the port, sends the commands, feeds
/// the decoder and delivers `ReaderEvent`s. Start it once; it reconnects by itself until `stop()`.
public final class IDCardReaderService: @unchecked Sendable {
    /// Which port: a fixed path (`/dev/ttyUSB0`, a udev symlink, the simulator's link), or the first
    /// `/dev/ttyUSB*` / `/dev/ttyACM*` at each connect.
    public enum Device: Sendable, Equatable, CustomStringConvertible {
        case path(String)
        case automatic

        public var description: String {
            switch self {
            case let .path(path): path
            case .automatic: "the first /dev/ttyUSB* or /dev/ttyACM*"
            }
        }
    }

    public let device: Device
    public let timing: ReaderMachine.Timing
    /// Every event, in order (cards, unreadable cards, health changes). One consumer.
    public let events: AsyncStream<ReaderEvent>
    private let continuation: AsyncStream<ReaderEvent>.Continuation
    private let lock = NSLock()
    private var currentHealth = ReaderHealth()
    private var stopping = false
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    public init(device: Device, timing: ReaderMachine.Timing = .init()) {
        self.device = device
        self.timing = timing
        (events, continuation) = AsyncStream.makeStream(of: ReaderEvent.self, bufferingPolicy: .bufferingNewest(256))
    }

    deinit { stop() }

    /// The latest health (for the heartbeat and the doctor).
    public var health: ReaderHealth { lock.withLock { currentHealth } }

    /// Starts the reader thread (once).
    public func start() {
        lock.withLock {
            guard thread == nil else { return }
            let thread = Thread { [self] in run() }
            thread.name = "idcard-reader"
            self.thread = thread
            thread.start()
        }
    }

    /// Stops the thread, closes the port and finishes `events`. Returns when the thread has ended.
    public func stop() {
        let running = lock.withLock { () -> Bool in
            let was = thread != nil && !stopping
            stopping = true
            return was
        }
        if running { finished.wait() }
        continuation.finish()
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func run() {
        defer { finished.signal() }
        let clock = ContinuousClock()
        let origin = clock.now
        var machine = ReaderMachine(timing: timing)
        var decoder = SAMFrameDecoder()
        var port: SerialPort?
        var step = machine.start()
        while !isStopping {
            let input: ReaderMachine.Input
            switch step {
            case .connect:
                input = connect(&port)
            case let .send(command, timeout):
                input = exchange(command, timeout: timeout, port: port, decoder: &decoder, clock: clock)
            case let .wait(duration):
                sleep(duration, clock: clock)
                input = .waitEnded
            case .disconnect:
                port?.close()
                port = nil
                _ = decoder.reset()
                input = .disconnected
            }
            guard !isStopping else { break }
            let transition = machine.handle(input, now: clock.now - origin)
            lock.withLock { currentHealth = machine.health }
            for event in transition.events { continuation.yield(event) }
            step = transition.next
        }
        port?.close()
    }

    private func connect(_ port: inout SerialPort?) -> ReaderMachine.Input {
        guard let path = resolvedPath() else { return .connectFailed("no reader: no /dev/ttyUSB* or /dev/ttyACM* device") }
        do {
            port = try SerialPort(path: path)
            return .connected
        } catch {
            return .connectFailed(error.description)
        }
    }

    private func resolvedPath() -> String? {
        switch device {
        case let .path(path): path
        case .automatic: SerialPort.firstReaderDevice()
        }
    }

    /// Sends `command` and waits for one reply; stale bytes and partial frames from before are dropped first.
    private func exchange(_ command: SAMCommand, timeout: Duration, port: SerialPort?, decoder: inout SAMFrameDecoder,
                          clock: ContinuousClock) -> ReaderMachine.Input {
        guard let port else { return .ioFailed("the port is not open") }
        port.discardInput()
        _ = decoder.reset()
        do {
            try port.write(command.frame)
            let deadline = clock.now + timeout
            while !isStopping {
                let left = deadline - clock.now
                guard left > .zero else { return .replyTimedOut }
                let bytes = try port.read(milliseconds: Int32(min(left, .milliseconds(50)).milliseconds))
                for output in decoder.feed(bytes) {
                    switch output {
                    case let .reply(reply): return .reply(reply)
                    case .discarded(_, .badChecksum), .discarded(_, .wrongLength): return .replyCorrupted
                    case .discarded: continue
                    }
                }
            }
            return .replyTimedOut
        } catch {
            return .ioFailed(error.description)
        }
    }

    private func sleep(_ duration: Duration, clock: ContinuousClock) {
        let deadline = clock.now + duration
        while !isStopping {
            let left = deadline - clock.now
            guard left > .zero else { return }
            let slice = min(left, .milliseconds(50))
            usleep(UInt32(max(1, slice.microseconds)))
        }
    }

    /// Opens `device` once, asks the SAM its status and closes it again: for `hallkiosk doctor` (the kiosk's own
    /// service must not be running on the same port).
    public static func probe(device: Device, timeout: Duration = .seconds(1)) -> ReaderHealth {
        let path: String
        switch device {
        case let .path(p): path = p
        case .automatic:
            guard let found = SerialPort.firstReaderDevice() else {
                return ReaderHealth(connected: false, lastError: "no reader: no /dev/ttyUSB* or /dev/ttyACM* device")
            }
            path = found
        }
        let port: SerialPort
        do { port = try SerialPort(path: path) } catch { return ReaderHealth(connected: false, lastError: error.description) }
        defer { port.close() }
        let clock = ContinuousClock()
        var decoder = SAMFrameDecoder()
        do {
            try port.write(SAMCommand.samStatus.frame)
            let deadline = clock.now + timeout
            while clock.now < deadline {
                let bytes = try port.read(milliseconds: 50)
                for case let .reply(reply) in decoder.feed(bytes) {
                    let ok = reply.isSuccess(for: .samStatus)
                    return ReaderHealth(connected: true, samStatus: reply.status, lastError: ok ? nil : "SAM status \(reply.status)")
                }
            }
            return ReaderHealth(connected: false, lastError: "\(path) opened but the reader did not answer the SAM status command within \(timeout)")
        } catch {
            return ReaderHealth(connected: false, lastError: error.description)
        }
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000 }
    var microseconds: Int64 { components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000 }
}
