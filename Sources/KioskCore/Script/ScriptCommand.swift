/// One command of a scripted session (`hallkiosk --script FILE`), one per line.
public enum ScriptCommand: Hashable, Sendable {
    /// `tap X Y`: touch down and up at screen pixel (X, Y).
    case tap(x: Double, y: Double)
    /// `press X Y MS`: touch down at (X, Y), hold MS milliseconds, lift (the admin screen's long press).
    case press(x: Double, y: Double, milliseconds: Int)
    /// `tap-text TEXT`: tap the centre of the hit region whose label contains TEXT.
    case tapText(String)
    /// `type TEXT`: text as a keyboard or barcode scanner types it.
    case type(String)
    /// `key NAME`: a key by SDL name (`Return`, `Backspace`, `Escape` …).
    case key(String)
    /// `wait MS`: let MS milliseconds pass.
    case wait(milliseconds: Int)
    /// `wait-text TEXT [MS]`: wait until some text on screen contains TEXT (default 5000 ms).
    case waitText(String, timeoutMilliseconds: Int)
    /// `wait-event EVENT [KEY=VALUE …] [MS]`: wait until the kiosk records EVENT (a line of its event stream) with
    /// those fields, later than the event the previous `wait-event` matched (default 5000 ms). E.g.
    /// `wait-event printer condition=ok 30000`: go on once the printer has paper again.
    case waitEvent(EventPattern, timeoutMilliseconds: Int)
    /// `wait-stdin LINE [MS]`: wait until the line LINE arrives on the kiosk's standard input — the control channel
    /// a test tells the script through when it has done its part (stopped the server, changed a file); default 5000 ms.
    case waitStdin(String, timeoutMilliseconds: Int)
    /// `expect-text TEXT`: some text on screen contains TEXT, else the script fails here.
    case expectText(String)
    /// `expect-no-text TEXT`: no text on screen contains TEXT.
    case expectNoText(String)
    /// `screenshot PATH`: save the screen as PNG.
    case screenshot(path: String)
    /// `quit`: end the session (exit 0 if every expectation held).
    case quit
    /// `freeze MS`: block the run loop for MS milliseconds, as a hung UI would (tests of the systemd watchdog).
    case freeze(milliseconds: Int)
}

/// What `wait-event` waits for: an event by name whose fields include `fields` (compared as the event stream
/// writes them: `3`, `true`, `paperOut`).
public struct EventPattern: Hashable, Sendable, CustomStringConvertible {
    /// The event's name (`screen`, `printer`, `ticketIssued` …).
    public var event: String
    /// Fields the event must have, with these values.
    public var fields: [String: String]

    public init(event: String, fields: [String: String] = [:]) {
        self.event = event
        self.fields = fields
    }

    /// Whether an event `name` with `fields` is one this pattern waits for.
    public func matches(name: String, fields: [String: String]) -> Bool {
        name == event && self.fields.allSatisfy { fields[$0.key] == $0.value }
    }

    /// As written in a script: `printer condition=ok`.
    public var description: String {
        ([event] + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
    }
}

/// A command with the line it came from, for error messages.
public struct ScriptLine: Hashable, Sendable {
    /// 1-based line number in the script file.
    public var number: Int
    public var command: ScriptCommand
    public init(number: Int, command: ScriptCommand) {
        self.number = number
        self.command = command
    }
}

/// A script line that could not be read.
public struct ScriptError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "script line \(line): \(message)" }
}
