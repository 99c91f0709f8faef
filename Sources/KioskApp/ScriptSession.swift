import Foundation
import KioskCore
import KioskSDL

/// Runs a scripted session (`--script FILE`) inside the real run loop: taps and text go through the
/// same SDL event queue as real touches; checks read the frame on screen.
final class ScriptSession {
    enum Step {
        /// Keep looping; call again after the next events are handled.
        case running
        /// The script ended: exit code and a message for the log.
        case finished(code: Int32, message: String)
    }

    private let lines: [ScriptLine]
    private var index = 0
    /// When a `wait`, `press` or a wait for a trigger (`wait-text`, `wait-event`, `wait-stdin`) ends (monotonic seconds).
    private var deadline: Double?
    private(set) var injectedPending = false
    /// What the kiosk recorded, for `wait-event`; `nil` when the script has none.
    let events: ScriptEventFeed?
    /// The control channel for `wait-stdin`; `nil` (standard input never read) when the script has none.
    let stdin: ScriptStdin?

    init(lines: [ScriptLine]) {
        self.lines = lines
        self.events = lines.contains { if case .waitEvent = $0.command { true } else { false } } ? ScriptEventFeed() : nil
        self.stdin = lines.contains { if case .waitStdin = $0.command { true } else { false } } ? ScriptStdin() : nil
    }

    /// Begins listening: the event stream tells `events` of every activity, and standard input is read when a line
    /// waits for it. Called once, before the kiosk starts.
    func attach(to activity: ActivityLog) {
        if let events { activity.addListener { events.record($0) } }
        stdin?.startReading()
    }

    static func load(path: String) throws -> ScriptSession {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KioskConfigError("script '\(path)' cannot be read")
        }
        let lines = try ScriptParser.parse(String(decoding: data, as: UTF8.self))
        for line in lines {
            // A misspelt key would otherwise reach the kiosk as "no key" and be ignored without a word.
            if case .key(let name) = line.command, !KioskWindow.isKnownKeyName(name) {
                throw KioskConfigError("script '\(path)' line \(line.number): unknown key '\(name)'; use an SDL key name "
                    + "such as Return, Backspace, Escape or Tab")
            }
            // A misspelt event would only time out, long after the mistake.
            if case .waitEvent(let pattern, _) = line.command, !KioskActivity.eventNames.contains(pattern.event) {
                throw KioskConfigError("script '\(path)' line \(line.number): unknown event '\(pattern.event)'; use one of "
                    + KioskActivity.eventNames.sorted().joined(separator: ", "))
            }
        }
        return ScriptSession(lines: lines)
    }

    /// How long the loop may sleep before the script needs to look again: until a `wait` ends, or
    /// briefly while `wait-text` watches the screen; nil when the script is not waiting.
    func pollMilliseconds(now: Double) -> Int? {
        guard let deadline, index < lines.count else { return nil }
        let untilDeadline = max(0, Int((deadline - now) * 1000) + 1)
        switch lines[index].command {
        case .wait, .press: return untilDeadline
        default: break
        }
        return min(20, untilDeadline)
    }

    /// Advances as far as possible on the current frame (`now`: monotonic seconds).
    func step(display: DisplayList, window: KioskWindow, now: Double) -> Step {
        while index < lines.count {
            let line = lines[index]
            switch line.command {
            case .tap, .tapText, .type, .key:
                let events: [KioskEvent]
                do {
                    events = try line.command.events(on: display, line: line.number)
                } catch {
                    return .finished(code: 1, message: error.description)
                }
                for event in events { window.inject(Self.input(event)) }
                index += 1
                // Let the loop handle what was injected before reading the screen again.
                return .running
            case .press(let x, let y, let ms):
                let point = Point(x: x, y: y)
                if deadline == nil {
                    window.inject(.touchDown(point))
                    deadline = now + Double(ms) / 1000
                    return .running
                }
                guard now >= deadline! else { return .running }
                deadline = nil
                window.inject(.touchUp(point))
                index += 1
                return .running
            case .wait(let ms):
                if deadline == nil { deadline = now + Double(ms) / 1000 }
                guard now >= deadline! else { return .running }
                deadline = nil
                index += 1
            case .waitText(let text, let ms):
                if line.command.isSatisfied(by: display) == true {
                    deadline = nil
                    index += 1
                    continue
                }
                if deadline == nil { deadline = now + Double(ms) / 1000 }
                guard now >= deadline! else { return .running }
                return .finished(code: 1, message: "script line \(line.number): waited \(ms) ms for text '\(text)'; on screen: \(Self.onScreen(display))")
            case .waitEvent(let pattern, let ms):
                if events?.consume(pattern) == true {
                    deadline = nil
                    index += 1
                    continue
                }
                if deadline == nil { deadline = now + Double(ms) / 1000 }
                guard now >= deadline! else { return .running }
                return .finished(code: 1, message: "script line \(line.number): waited \(ms) ms for event '\(pattern)'; "
                    + "events since the last wait-event: \(events?.recentSinceCursor() ?? "none")")
            case .waitStdin(let text, let ms):
                switch stdin?.take(text) ?? .closed {
                case .arrived:
                    deadline = nil
                    index += 1
                    continue
                case .closed:
                    return .finished(code: 1, message: "script line \(line.number): standard input ended before the line '\(text)' "
                        + "arrived; lines that did arrive: \(stdin?.untaken ?? [])")
                case .notYet:
                    if deadline == nil { deadline = now + Double(ms) / 1000 }
                    guard now >= deadline! else { return .running }
                    return .finished(code: 1, message: "script line \(line.number): waited \(ms) ms for the line '\(text)' on "
                        + "standard input; lines that did arrive: \(stdin?.untaken ?? [])")
                }
            case .expectText(let text):
                guard line.command.isSatisfied(by: display) == true else {
                    return .finished(code: 1, message: "script line \(line.number): expected text '\(text)'; on screen: \(Self.onScreen(display))")
                }
                index += 1
            case .expectNoText(let text):
                guard line.command.isSatisfied(by: display) == true else {
                    return .finished(code: 1, message: "script line \(line.number): text '\(text)' is on screen but should not be")
                }
                index += 1
            case .screenshot(let path):
                do {
                    window.draw(display)
                    try window.screenshot(to: path)
                } catch {
                    return .finished(code: 1, message: "script line \(line.number): screenshot '\(path)' failed: \(error)")
                }
                index += 1
            case .freeze(let ms):
                // The whole loop stops: no input, no frames, no watchdog pings.
                Thread.sleep(forTimeInterval: Double(ms) / 1000)
                index += 1
                return .running
            case .quit:
                return .finished(code: 0, message: "script finished at line \(line.number)")
            }
        }
        return .finished(code: 0, message: "script finished")
    }

    /// The kiosk is stopping (a signal, the window closed) before the script ended: the lines not reached were
    /// never run, so the run fails (exit 2), naming where it stood. `nil` when nothing is left but plain `wait`s
    /// and `quit` (a script that only keeps the kiosk running until it is stopped).
    func interrupted(by reason: String) -> (code: Int32, message: String)? {
        let left = lines.dropFirst(index)
        let onlyWaiting = left.allSatisfy { line in
            switch line.command {
            case .wait, .quit: return true
            default: return false
            }
        }
        guard !onlyWaiting, let line = left.first else { return nil }
        return (2, "script line \(line.number): interrupted by \(reason) before the script finished; "
            + "\(left.count) line(s) not run")
    }

    static func input(_ event: KioskEvent) -> InputEvent {
        switch event {
        case .touchDown(let x, let y): .touchDown(Point(x: x, y: y))
        case .touchUp(let x, let y): .touchUp(Point(x: x, y: y))
        case .text(let text): .text(text)
        case .key(let name): .key(name)
        default: .wake
        }
    }

    static func onScreen(_ display: DisplayList) -> String {
        display.texts.map(\.string).prefix(20).joined(separator: " | ")
    }
}
