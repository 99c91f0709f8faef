import Foundation
import Logging

/// swift-log lines on standard error that journald files at their real priority.
///
/// journald reads a service's standard error line by line and, by default (`SyslogLevelPrefix=yes`), takes a
/// leading `<N>` as the line's syslog priority. Under systemd (`JOURNAL_STREAM` set) each line therefore starts
/// with `<3>` for an error, `<4>` for a warning and so on, and leaves the timestamp to the journal, so
/// `journalctl -u hallkiosk -p warning` shows exactly the warnings and errors. Elsewhere (a terminal, a test)
/// the lines are swift-log's usual ones.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let journal: Bool
    private var fallback: StreamLogHandler

    /// `journal`: whether standard error goes to journald (default: `JOURNAL_STREAM` is set).
    public init(label: String, level: Logger.Level = .info,
                journal: Bool = ProcessInfo.processInfo.environment["JOURNAL_STREAM"].map { !$0.isEmpty } ?? false) {
        self.label = label
        self.logLevel = level
        self.journal = journal
        self.fallback = StreamLogHandler.standardError(label: label)
        self.fallback.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set {
            metadata[key] = newValue
            fallback[metadataKey: key] = newValue
        }
    }

    /// The syslog priority journald files a line of `level` under (sd-daemon.h: 2 critical … 7 debug).
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .critical: 2
        case .error: 3
        case .warning: 4
        case .notice: 5
        case .info: 6
        case .debug, .trace: 7
        }
    }

    /// One journal line: `<N>level label: [source] message key=value …` (one line: newlines become spaces, since
    /// journald would start a new entry, at the default priority, at each).
    public static func line(level: Logger.Level, label: String, message: Logger.Message, metadata: Logger.Metadata,
                            source: String) -> String {
        let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text = "<\(priority(level))>\(level) \(label): [\(source)] \(message)" + (fields.isEmpty ? "" : " " + fields)
        return text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ") + "\n"
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
                    file: String, function: String, line: UInt) {
        guard journal else {
            fallback.log(level: level, message: message, metadata: explicit, source: source, file: file, function: function,
                         line: line)
            return
        }
        let all = metadata.merging(explicit ?? [:]) { $1 }
        Self.write(Self.line(level: level, label: label, message: message, metadata: all, source: source))
    }

    private static let lock = NSLock()

    private static func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Foundation.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
            written += n
        }
    }
}
