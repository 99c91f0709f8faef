/// A sentence with the places where the ticket number and the window are said: "请 {number} 号 到 {window} 号窗口 办理".
/// Everything else is words, each said from a clip of the voice pack (see `SpokenWords`).
public struct VoiceTemplate: Sendable, Equatable {
    /// One piece of the sentence.
    public enum Piece: Sendable, Equatable {
        /// Words said as written (split into clips by `SpokenWords`).
        case text(String)
        /// The ticket number, e.g. A023.
        case number
        /// The window, e.g. 3.
        case window
    }

    public let pieces: [Piece]
    /// The template as written.
    public let source: String

    /// "请 {number} 号 到 {window} 号窗口 办理" (the common form in Chinese halls).
    public static let defaultChinese = try! parse("请 {number} 号 到 {window} 号窗口 办理", key: "zhTemplate")
    /// "Number {number}, please go to window {window}".
    public static let defaultEnglish = try! parse("Number {number}, please go to window {window}", key: "enTemplate")

    /// Parses `text`; `{number}` must appear, `{window}` may. `key` names the setting in the error.
    public static func parse(_ text: String, key: String) throws(VoiceSettingsError) -> VoiceTemplate {
        var pieces: [Piece] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            guard let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) else {
                pieces.append(.text(String(rest)))
                break
            }
            if open > rest.startIndex { pieces.append(.text(String(rest[..<open]))) }
            guard rest[open] == "{", let close = rest[open...].firstIndex(of: "}") else {
                throw VoiceSettingsError(key: key, "'\(text)' has an unmatched brace; write the places as {number} and {window}")
            }
            let name = rest[rest.index(after: open)..<close]
            switch name {
            case "number": pieces.append(.number)
            case "window": pieces.append(.window)
            default:
                throw VoiceSettingsError(key: key, "'\(text)' has an unknown place {\(name)}; use {number} (the ticket) and {window}")
            }
            rest = rest[rest.index(after: close)...]
        }
        guard pieces.contains(.number) else {
            throw VoiceSettingsError(key: key, "'\(text)' never says the ticket number; put {number} where it is said")
        }
        return VoiceTemplate(pieces: pieces, source: text)
    }
}
