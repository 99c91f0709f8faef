/// Reads scripted sessions. Blank lines and lines starting with `#` are skipped; TEXT runs to
/// the end of the line (trimmed), so it may contain spaces.
public enum ScriptParser {
    /// Default timeout of `wait-text` without MS.
    public static let defaultWaitTextMilliseconds = 5000

    /// Parses a whole script, failing at the first bad line.
    public static func parse(_ script: String) throws(ScriptError) -> [ScriptLine] {
        var lines: [ScriptLine] = []
        var number = 0
        for raw in script.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            if let command = try parseLine(String(raw), number: number) {
                lines.append(ScriptLine(number: number, command: command))
            }
        }
        return lines
    }

    /// Parses one line; `nil` for blank lines and comments.
    public static func parseLine(_ raw: String, number: Int) throws(ScriptError) -> ScriptCommand? {
        let line = raw.trimming(" \t\r")
        guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
        let name = String(line.prefix { $0 != " " && $0 != "\t" })
        let argument = String(line.dropFirst(name.count)).trimming(" \t")
        func fail(_ message: String) -> ScriptError { ScriptError(line: number, message: message) }
        func requireText(_ usage: String) throws(ScriptError) -> String {
            guard !argument.isEmpty else { throw fail("'\(name)' needs a text: \(usage)") }
            return argument
        }

        switch name {
        case "tap":
            let parts = argument.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 2, let x = Double(parts[0]), let y = Double(parts[1]), x >= 0, y >= 0 else {
                throw fail("'tap' needs two pixel coordinates, e.g. 'tap 540 960', not '\(line)'")
            }
            return .tap(x: x, y: y)
        case "press":
            let parts = argument.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 3, let x = Double(parts[0]), let y = Double(parts[1]), let ms = Int(parts[2]), x >= 0, y >= 0, ms >= 0 else {
                throw fail("'press' needs two pixel coordinates and milliseconds, e.g. 'press 20 20 3500', not '\(line)'")
            }
            return .press(x: x, y: y, milliseconds: ms)
        case "tap-text":
            return .tapText(try requireText("tap-text 户籍办理"))
        case "type":
            return .type(try requireText("type A023"))
        case "key":
            return .key(try requireText("key Return"))
        case "wait":
            guard let milliseconds = Int(argument), milliseconds >= 0 else {
                throw fail("'wait' needs milliseconds, e.g. 'wait 500', not '\(line)'")
            }
            return .wait(milliseconds: milliseconds)
        case "wait-text":
            let text = try requireText("wait-text 请取走您的号票 3000")
            if let space = text.lastIndex(where: { $0 == " " || $0 == "\t" }),
               let milliseconds = Int(text[text.index(after: space)...]), milliseconds >= 0 {
                let head = String(text[..<space]).trimming(" \t")
                if !head.isEmpty { return .waitText(head, timeoutMilliseconds: milliseconds) }
            }
            return .waitText(text, timeoutMilliseconds: defaultWaitTextMilliseconds)
        case "wait-event":
            return try parseWaitEvent(argument, line: line, fail: fail)
        case "wait-stdin":
            let text = try requireText("wait-stdin server-stopped 30000")
            if let space = text.lastIndex(where: { $0 == " " || $0 == "\t" }),
               let milliseconds = Int(text[text.index(after: space)...]), milliseconds >= 0 {
                let head = String(text[..<space]).trimming(" \t")
                if !head.isEmpty { return .waitStdin(head, timeoutMilliseconds: milliseconds) }
            }
            return .waitStdin(text, timeoutMilliseconds: defaultWaitTextMilliseconds)
        case "expect-text":
            return .expectText(try requireText("expect-text 今日号源已满"))
        case "expect-no-text":
            return .expectNoText(try requireText("expect-no-text 暂时不能取号"))
        case "screenshot":
            return .screenshot(path: try requireText("screenshot out/home.png"))
        case "freeze":
            guard let milliseconds = Int(argument), milliseconds >= 0 else {
                throw fail("'freeze' needs milliseconds, e.g. 'freeze 5000', not '\(line)'")
            }
            return .freeze(milliseconds: milliseconds)
        case "quit":
            guard argument.isEmpty else { throw fail("'quit' takes nothing after it, not '\(line)'") }
            return .quit
        default:
            throw fail("unknown command '\(name)'; use tap, press, tap-text, type, key, wait, wait-text, wait-event, wait-stdin, "
                + "expect-text, expect-no-text, screenshot, freeze or quit")
        }
    }

    /// `wait-event EVENT [KEY=VALUE …] [MS]`.
    static func parseWaitEvent(_ argument: String, line: String, fail: (String) -> ScriptError) throws(ScriptError) -> ScriptCommand {
        let usage = "e.g. 'wait-event printer condition=ok 30000'"
        var words = argument.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let event = words.first, !event.contains("="), Int(event) == nil else {
            throw fail("'wait-event' needs an event name first, \(usage), not '\(line)'")
        }
        words.removeFirst()
        var timeout = defaultWaitTextMilliseconds
        if let last = words.last, let milliseconds = Int(last) {
            guard milliseconds >= 0 else { throw fail("'wait-event' needs milliseconds of 0 or more, not '\(last)'") }
            timeout = milliseconds
            words.removeLast()
        }
        var fields: [String: String] = [:]
        for word in words {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw fail("'wait-event' takes fields as KEY=VALUE and the milliseconds last, \(usage); '\(word)' is neither")
            }
            guard fields[parts[0]] == nil else { throw fail("'wait-event' names the field '\(parts[0])' twice in '\(line)'") }
            fields[parts[0]] = parts[1]
        }
        return .waitEvent(EventPattern(event: event, fields: fields), timeoutMilliseconds: timeout)
    }
}

fileprivate extension String {
    func trimming(_ set: String) -> String {
        var start = startIndex, end = endIndex
        while start < end, set.contains(self[start]) { start = index(after: start) }
        while end > start, set.contains(self[index(before: end)]) { end = index(before: end) }
        return String(self[start..<end])
    }
}
