/// Personal text (an address, a pass number) that never shows itself: `description`, `debugDescription`, `dump` and
/// string interpolation all print `<redacted N chars>`. Read it on purpose with `clearText`.
public struct PrivateText: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The text itself. Use only to show it to its owner or to key it (HMAC); never log or store it.
    public let clearText: String

    public init(_ clearText: String) { self.clearText = clearText }

    public var isEmpty: Bool { clearText.isEmpty }
    public var description: String { "<redacted \(clearText.count) chars>" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["redacted": clearText.count], displayStyle: .struct) }
}

/// A person's name, shown only masked: the first character and one `*` per other character (`张*`, `欧阳**`);
/// a Latin name keeps its first letter (`J*** ****`, spaces kept).
public struct PersonName: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The name itself. Use only on the card holder's own screen; never log or store it.
    public let clearText: String

    public init(_ clearText: String) { self.clearText = clearText }

    /// `张*` for 张三.
    public var masked: String {
        guard let first = clearText.first else { return "" }
        return String(first) + String(clearText.dropFirst().map { $0 == " " ? " " : "*" })
    }

    public var isEmpty: Bool { clearText.isEmpty }
    public var description: String { masked }
    public var debugDescription: String { "PersonName(\(masked))" }
    public var customMirror: Mirror { Mirror(self, children: ["masked": masked], displayStyle: .struct) }
}

/// An identity number (18-character GB 11643 number, or a 2017 foreigner's 15-character card number), shown only
/// masked: the first four and last four characters kept (`4301**********1234`).
public struct IDNumber: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The number itself. Use only to key it (HMAC) for the moment of a request; never log, store or print it.
    public let clearText: String

    public init(_ clearText: String) { self.clearText = clearText.uppercased() }

    /// `4301**********1234`: four and four kept, the rest starred (shorter numbers keep less).
    public var masked: String {
        let chars = Array(clearText)
        let keep = chars.count >= 12 ? 4 : chars.count / 3
        return String(chars.prefix(keep)) + String(repeating: "*", count: chars.count - 2 * keep) + String(chars.suffix(keep))
    }

    public var description: String { masked }
    public var debugDescription: String { "IDNumber(\(masked))" }
    public var customMirror: Mirror { Mirror(self, children: ["masked": masked], displayStyle: .struct) }
}
