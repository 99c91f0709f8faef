import Foundation
import KioskCore

/// The kiosk's activities as a scripted session's `wait-event` sees them: every activity recorded since the session
/// began, and a cursor after the one the last `wait-event` matched. Filled from any thread (the event stream's
/// listener), read by the run loop.
final class ScriptEventFeed: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [(name: String, fields: [String: String])] = []
    /// Index of the first activity a `wait-event` may still match.
    private var cursor = 0

    /// Notes one activity (called by the event stream for each one it records).
    func record(_ activity: KioskActivity) {
        let fields = activity.fields.mapValues(\.streamText)
        lock.withLock { seen.append((activity.name, fields)) }
    }

    /// Whether an activity after the cursor matches `pattern`; if so the cursor moves past it (the next `wait-event`
    /// waits for something later).
    func consume(_ pattern: EventPattern) -> Bool {
        lock.withLock {
            guard let found = seen[cursor...].firstIndex(where: { pattern.matches(name: $0.name, fields: $0.fields) }) else {
                return false
            }
            cursor = found + 1
            return true
        }
    }

    /// The last activities after the cursor, for a failure message (`printer condition=paperOut | screen …`).
    func recentSinceCursor(_ count: Int = 12) -> String {
        lock.withLock {
            let recent = seen[cursor...].suffix(count).map { item in
                ([item.name] + item.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
            }
            return recent.isEmpty ? "none" : recent.joined(separator: " | ")
        }
    }
}

/// The scripted session's control channel: lines arriving on the kiosk's standard input, which `wait-stdin LINE`
/// waits for (a test writes `server-stopped` once it has stopped the server). Read on its own thread, started only
/// for a script that has a `wait-stdin` line — a kiosk without one never touches its standard input.
final class ScriptStdin: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private var closed = false

    /// What a `wait-stdin` finds.
    enum Lookup: Equatable {
        /// The line arrived (and is taken: a second `wait-stdin` of the same line waits for it again).
        case arrived
        /// Not yet; standard input is still open.
        case notYet
        /// Standard input ended without the line.
        case closed
    }

    /// Starts reading standard input, line by line, on a thread of its own.
    func startReading() {
        let thread = Thread { [self] in
            while let line = readLine(strippingNewline: true) {
                add(line)
            }
            lock.withLock { closed = true }
        }
        thread.name = "script stdin"
        thread.start()
    }

    /// Adds a line as if it arrived on standard input.
    func add(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        lock.withLock { lines.append(trimmed) }
    }

    /// Takes the first arrived `line`, if any.
    func take(_ line: String) -> Lookup {
        lock.withLock {
            if let found = lines.firstIndex(of: line) {
                lines.remove(at: found)
                return .arrived
            }
            return closed ? .closed : .notYet
        }
    }

    /// The lines that arrived and were not taken, for a failure message.
    var untaken: [String] { lock.withLock { lines } }
}
