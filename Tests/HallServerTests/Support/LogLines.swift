import Foundation
import Logging

/// Log lines a server wrote, for tests that count them.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    /// Lines containing `text`.
    func matching(_ text: String) -> [String] { lock.withLock { lines.filter { $0.contains(text) } } }

    /// Waits until `count` lines contain `text` (a line the server writes just after the state a test waited for, so
    /// it may still be on its way), at most `seconds`; returns whether they came. The test then asserts the exact count.
    @discardableResult
    func waitFor(_ text: String, count: Int = 1, seconds: Double = 10) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if matching(text).count >= count { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return matching(text).count >= count
    }

    /// A logger writing into these lines.
    func logger(label: String = "hallserver") -> Logger {
        Logger(label: label) { _ in LogLinesHandler(sink: self) }
    }
}

private struct LogLinesHandler: LogHandler {
    let sink: LogLines
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        sink.append("\(level) \(message) \(metadata ?? [:])")
    }
}
