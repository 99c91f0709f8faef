/// Reading what a barcode scanner typed: the ticket QR holds the progress page URL
/// (`https://hall/t/<token>`); a printed number (`A023`) may also be scanned or typed.
public enum ScanText {
    /// The token after `/t/` up to the next `/`, `?`, `#` or space, if the text holds one.
    public static func token(in text: String) -> String? {
        guard let range = text.range(of: "/t/") else { return nil }
        let token = text[range.upperBound...].prefix { !"/?# \t\r\n".contains($0) }
        return token.isEmpty ? nil : String(token)
    }

    /// The text as a ticket number: ASCII letters and digits upper-cased, everything else dropped;
    /// `nil` when nothing is left or it is too long to be a number.
    public static func ticketNumber(in text: String) -> String? {
        let characters = text.compactMap(ticketCharacter)
        guard !characters.isEmpty, characters.count <= 8 else { return nil }
        return String(characters)
    }

    /// True once the text looks like the start of a URL (so its letters are not typed into the entry).
    static func looksLikeURL(_ text: String) -> Bool {
        text.contains(":") || text.contains("/")
    }

    /// An upper-case ASCII letter or digit, or `nil`; full-width ones (Ａ, ａ, ３ from a Chinese input method) count
    /// as their ASCII twins.
    static func ticketCharacter(_ character: Character) -> Character? {
        var character = character
        if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
           (0xFF10...0xFF19).contains(scalar.value) || (0xFF21...0xFF3A).contains(scalar.value)
            || (0xFF41...0xFF5A).contains(scalar.value),
           let ascii = Unicode.Scalar(scalar.value - 0xFEE0) {
            character = Character(ascii)
        }
        guard character.isASCII, character.isLetter || character.isNumber else { return nil }
        return Character(character.uppercased())
    }
}
