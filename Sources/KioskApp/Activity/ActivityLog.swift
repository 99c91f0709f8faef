import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging

/// The kiosk's event stream: every `KioskActivity` as one JSON object per line (JSON lines), appended to a file
/// or an inherited descriptor (`/dev/fd/N`) named by `--events PATH` or `HALLKIOSK_EVENTS`, and/or handed to an
/// in-process observer (the soak). Every line has
/// `seq` (1, 2, …), `time` (wall clock, RFC 3339 UTC with milliseconds), `uptime` (monotonic seconds),
/// `event` (the activity's name) and the activity's fields; keys are sorted:
///
///     {"event":"screen","previous":"issuing","screen":"ticket","seq":7,"time":"2026-12-06T08:31:02.114Z","uptime":5123.207}
///
/// Writing never fails the kiosk: a stream that cannot be written is logged once and dropped.
public final class ActivityLog: @unchecked Sendable {
    private let lock = NSLock()
    private var fd: Int32 = -1
    private var sequence = 0
    private let observer: (@Sendable (KioskActivity) -> Void)?
    private let uptime: @Sendable () -> Double
    private let logger: Logger?
    /// Told of every activity besides `observer` (a scripted session's `wait-event`); under `lock`.
    private var listeners: [@Sendable (KioskActivity) -> Void] = []

    /// No stream (and no observer): recording does nothing but tell its listeners. A fresh one each time, so a
    /// listener never hears another kiosk's activities.
    public static var none: ActivityLog { ActivityLog() }

    private init() {
        observer = nil
        uptime = { ProcessInfo.processInfo.systemUptime }
        logger = nil
    }

    /// Appends to `path` (created if missing) when given; tells `observer` of every activity when given.
    public init(path: String?, observer: (@Sendable (KioskActivity) -> Void)? = nil, logger: Logger,
                uptime: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) throws(KioskConfigError) {
        self.observer = observer
        self.uptime = uptime
        self.logger = logger
        if let path, !path.isEmpty {
            fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw KioskConfigError("--events '\(path)': cannot open for writing (\(String(cString: strerror(errno)))); "
                    + "name a file in a writable folder, or /dev/fd/N for an inherited descriptor")
            }
        }
    }

    /// The stream from `--events` (else `HALLKIOSK_EVENTS`), or `none` when neither is given.
    public static func from(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                            logger: Logger) throws(KioskConfigError) -> ActivityLog {
        guard let path = option ?? environment["HALLKIOSK_EVENTS"], !path.isEmpty else { return .none }
        return try ActivityLog(path: path, logger: logger)
    }

    /// Tells `listener` of every activity recorded from now on (from the recording thread).
    public func addListener(_ listener: @escaping @Sendable (KioskActivity) -> Void) {
        lock.withLock { listeners.append(listener) }
    }

    /// Records `activity` (from any thread).
    public func record(_ activity: KioskActivity) {
        observer?(activity)
        for listener in lock.withLock({ listeners }) { listener(activity) }
        guard fd >= 0 else { return }
        let now = Date()
        let seconds = uptime()
        lock.withLock {
            guard fd >= 0 else { return }
            sequence += 1
            var object = activity.fields.mapValues(\.json)
            object["event"] = activity.name
            object["seq"] = sequence
            object["time"] = Self.timestamp(now)
            object["uptime"] = (seconds * 1000).rounded() / 1000
            guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
            line.append(0x0A)
            let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written != line.count {
                logger?.error("event stream: write failed (\(String(cString: strerror(errno)))); no more events are written")
                Glibc.close(fd)
                fd = -1
            }
        }
    }

    /// Closes the stream (the program is ending).
    public func close() {
        lock.withLock {
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
        }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
