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
}
