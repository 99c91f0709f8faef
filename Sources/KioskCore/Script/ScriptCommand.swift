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
