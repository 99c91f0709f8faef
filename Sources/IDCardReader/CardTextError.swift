/// Why a read reply or text block could not become an `IDCard`. Never quotes personal data.
public enum CardTextError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The read reply's data is shorter than its own length fields say, or the text is not 256 bytes.
    case badReadReply(String)
    /// The card-type flag at offset 248 is none of blank, `J`, `I`, `Y`.
    case unknownCardKind(flag: UInt16)
    /// A field the card must carry is blank.
    case missingField(String)
    /// A date field is not YYYYMMDD (or 长期 for the end of validity).
    case badDate(String)
    /// The ID number fails its format or check character.
    case badIDNumber(String)

    public var description: String {
        switch self {
        case let .badReadReply(why): "the read reply is malformed: \(why)"
        case let .unknownCardKind(flag): "unknown card kind: flag 0x\(String(flag, radix: 16, uppercase: true)) at offset 248 (expected blank, J, I or Y)"
        case let .missingField(field): "the card's \(field) is blank"
        case let .badDate(field): "the card's \(field) is not a date YYYYMMDD"
        case let .badIDNumber(why): why
        }
    }
}
