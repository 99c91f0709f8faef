import Foundation

/// One line of a kiosk's event stream (`hallkiosk --events PATH`, `HALLKIOSK_EVENTS`): a JSON object with `seq`,
/// `time`, `uptime`, `event` and the event's fields (see `KioskActivity` in KioskApp).
public struct KioskEventRecord: Sendable, CustomStringConvertible {
    /// Every field as text: strings as they are, numbers and booleans as JSON writes them (`3`, `12.5`, `true`).
    public let fields: [String: String]
    /// The line as written.
    public let line: String

    /// The `event` field (`screen`, `ticketIssued`, `ratingQueued` …).
    public var event: String { fields["event"] ?? "" }

    public subscript(key: String) -> String? { fields[key] }

    public var description: String { line }

    /// Parses one line; `nil` for a line that is not a JSON object (a line still being written).
    public init?(line: String) {
        guard let data = line.data(using: .utf8),
              let object = try? JSONDecoder().decode([String: Scalar].self, from: data) else { return nil }
        self.line = line
        self.fields = object.mapValues(\.text)
    }

    /// True when the event is `event` (any when `nil`) and every `conditions` field has that text.
    public func matches(event: String?, _ conditions: [String: String] = [:]) -> Bool {
        if let event, self.event != event { return false }
        return conditions.allSatisfy { fields[$0.key] == $0.value }
    }

    /// A JSON scalar read as text.
    struct Scalar: Decodable {
        let text: String
        init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer()
            if let b = try? value.decode(Bool.self) {
                text = b ? "true" : "false"
            } else if let i = try? value.decode(Int.self) {
                text = String(i)
            } else if let d = try? value.decode(Double.self) {
                text = String(d)
            } else if value.decodeNil() {
                text = "null"
            } else {
                text = try value.decode(String.self)
            }
        }
    }
}

/// A kiosk's event stream file, read while the kiosk writes it: what tests, scripts (`hallkiosk-lab wait-event`) and
/// the lead's suite wait on instead of grepping log text.
public struct KioskEventLog: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Every complete event line so far.
    public func records() -> [KioskEventRecord] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        // A last line without its newline is still being written.
        let complete = text.hasSuffix("\n") ? text : String(text[..<(text.lastIndex(of: "\n") ?? text.startIndex)])
        return complete.split(separator: "\n").compactMap { KioskEventRecord(line: String($0)) }
    }

    /// The events `event` (any when `nil`) with the `conditions` fields, among the lines after the first `skip`.
    public func matching(_ event: String?, _ conditions: [String: String] = [:], skip: Int = 0) -> [KioskEventRecord] {
        records().dropFirst(skip).filter { $0.matches(event: event, conditions) }
    }

    /// Waits until `count` events match (checking every 20 ms), at most `timeoutSeconds`, and while `alive()` (the kiosk
    /// still runs; the file is read once more after it ended). Returns the matches, or `nil` when there were too few.
    public func wait(for event: String?, _ conditions: [String: String] = [:], count: Int = 1, skip: Int = 0,
                     timeoutSeconds: Double, alive: () -> Bool = { true }) -> [KioskEventRecord]? {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while true {
            let running = alive()
            let found = matching(event, conditions, skip: skip)
            if found.count >= count { return found }
            if !running || Date() >= deadline { return nil }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// The last `n` lines, for a failure message.
    public func tail(_ n: Int = 10) -> String {
        records().suffix(n).map(\.line).joined(separator: "\n")
    }
}
