/// A text in the hall's two languages: Simplified Chinese first, English second.
public struct LocalizedText: Codable, Hashable, Sendable {
    /// Simplified Chinese.
    public var zh: String
    /// English.
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    /// The text in the language other than `language`, for the small second line of a bilingual label;
    /// `nil` when that text is missing or the same as the first line (nothing worth repeating).
    public func secondLine(besides language: Language) -> String? {
        let first = text(in: language), second = text(in: language.other)
        return second.isEmpty || second == first ? nil : second
    }

    /// The text in `language`, falling back to Chinese when the English text is empty.
    public func text(in language: Language) -> String {
        switch language {
        case .zh: return zh
        case .en: return en.isEmpty ? zh : en
        }
    }
}

/// The languages a citizen can choose.
public enum Language: String, Codable, Hashable, Sendable, CaseIterable {
    case zh
    case en

    /// The other language: what a bilingual label shows in small type under the chosen one.
    public var other: Language { self == .zh ? .en : .zh }
}
