import Foundation

/// The 256-byte text block of the read reply → `IDCard`. Strings are UCS-2LE, space-padded; the layout depends on
/// the flag at offset 248 (see `IDCard.Kind`).
public enum CardTextParser {
    /// Size of the text block.
    public static let blockLength = 256

    /// The text block inside a read reply's data (after SW3): `textLen photoLen [fingerprintLen]` big-endian, then
    /// the text, the photo and the fingerprint. Only the text is sliced out; the photo and fingerprint are dropped
    /// unread.
    public static func textBlock(inReadReply data: [UInt8], withFingerprint: Bool = false) throws(CardTextError) -> ArraySlice<UInt8> {
        let lengthsCount = withFingerprint ? 3 : 2
        guard data.count >= 2 * lengthsCount else { throw .badReadReply("\(data.count) data bytes, fewer than its length fields") }
        let lengths = (0..<lengthsCount).map { Int(data[2 * $0]) << 8 | Int(data[2 * $0 + 1]) }
        guard lengths[0] == blockLength else { throw .badReadReply("text length \(lengths[0]), not \(blockLength)") }
        let needed = 2 * lengthsCount + lengths.reduce(0, +)
        guard data.count >= needed else { throw .badReadReply("\(data.count) data bytes, its lengths say \(needed)") }
        let start = 2 * lengthsCount
        return data[start ..< start + blockLength]
    }

    /// Parses a 256-byte text block and checks the ID number.
    public static func parse<Bytes: Collection>(textBlock bytes: Bytes) throws(CardTextError) -> IDCard where Bytes.Element == UInt8 {
        let block = Array(bytes)
        guard block.count == blockLength else { throw .badReadReply("text block of \(block.count) bytes, not \(blockLength)") }
        let flag = UInt16(block[248]) | UInt16(block[249]) << 8
        switch flag {
        case 0x0000, 0x0020: return try resident(block, kind: .residentID)
        case 0x004A: return try resident(block, kind: .hongKongMacaoTaiwanPermit)
        case 0x0049: return try foreigner2017(block)
        case 0x0059: return try foreigner2023(block)
        default: throw .unknownCardKind(flag: flag)
        }
    }

    static func resident(_ b: [UInt8], kind: IDCard.Kind) throws(CardTextError) -> IDCard {
        let number = text(b, 122, 36)
        if let problem = GB11643.problem(in: number) { throw .badIDNumber(problem) }
        let ethnic = text(b, 32, 4)
        let isPermit = kind == .hongKongMacaoTaiwanPermit
        return IDCard(
            kind: kind,
            name: try required(b, 0, 30, "name"),
            gender: gender(text(b, 30, 2)),
            ethnicGroup: ethnic.isEmpty ? nil : EthnicGroup(code: ethnic),
            birthDate: try date(b, 36, "birth date"),
            address: PrivateText(text(b, 52, 70)),
            idNumber: IDNumber(number),
            issuingAuthority: text(b, 158, 30),
            validFrom: try date(b, 188, "start of validity"),
            validUntil: try validUntil(b, 204),
            passNumber: isPermit ? PrivateText(text(b, 220, 18)) : nil,
            issueCount: isPermit ? text(b, 238, 4) : nil
        )
    }

    static func foreigner2017(_ b: [UInt8]) throws(CardTextError) -> IDCard {
        let number = text(b, 122, 30)
        guard number.count == 15, number.prefix(3).allSatisfy({ $0.isASCII && $0.isLetter }),
              number.dropFirst(3).allSatisfy({ $0.isASCII && $0.isNumber })
        else { throw .badIDNumber("the foreigner's card number is not 3 letters and 12 digits") }
        let english = text(b, 0, 120)
        let chinese = text(b, 158, 30)
        guard !english.isEmpty || !chinese.isEmpty else { throw .missingField("name") }
        return IDCard(
            kind: .foreignPermanentResident2017,
            name: PersonName(chinese.isEmpty ? english : chinese),
            englishName: english.isEmpty ? nil : PersonName(english),
            gender: gender(text(b, 120, 2)),
            nationality: text(b, 152, 6),
            birthDate: try date(b, 220, "birth date"),
            idNumber: IDNumber(number),
            issuingAuthority: text(b, 240, 8),
            validFrom: try date(b, 188, "start of validity"),
            validUntil: try validUntil(b, 204)
        )
    }

    static func foreigner2023(_ b: [UInt8]) throws(CardTextError) -> IDCard {
        let number = text(b, 122, 36)
        if let problem = GB11643.problem(in: number) { throw .badIDNumber(problem) }
        let english = trimmed(raw(b, 52, 70) + raw(b, 220, 22))
        let chinese = text(b, 0, 30)
        guard !english.isEmpty || !chinese.isEmpty else { throw .missingField("name") }
        return IDCard(
            kind: .foreignPermanentResident2023,
            name: PersonName(chinese.isEmpty ? english : chinese),
            englishName: english.isEmpty ? nil : PersonName(english),
            gender: gender(text(b, 30, 2)),
            nationality: text(b, 242, 6),
            birthDate: try date(b, 36, "birth date"),
            idNumber: IDNumber(number),
            issuingAuthority: "",
            validFrom: try date(b, 188, "start of validity"),
            validUntil: try validUntil(b, 204)
        )
    }

    // MARK: Fields

    /// The UCS-2LE string at `offset`, `count` bytes long, untrimmed.
    static func raw(_ b: [UInt8], _ offset: Int, _ count: Int) -> String {
        let units = stride(from: offset, to: offset + count, by: 2).map { UInt16(b[$0]) | UInt16(b[$0 + 1]) << 8 }
        return String(decoding: units, as: UTF16.self)
    }

    static func trimmed(_ s: String) -> String {
        s.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{0}")))
    }

    static func text(_ b: [UInt8], _ offset: Int, _ count: Int) -> String { trimmed(raw(b, offset, count)) }

    static func required(_ b: [UInt8], _ offset: Int, _ count: Int, _ field: String) throws(CardTextError) -> PersonName {
        let value = text(b, offset, count)
        guard !value.isEmpty else { throw .missingField(field) }
        return PersonName(value)
    }

    static func gender(_ code: String) -> IDCard.Gender {
        switch code {
        case "1": .male
        case "2": .female
        default: .other(code)
        }
    }

    static func date(_ b: [UInt8], _ offset: Int, _ field: String) throws(CardTextError) -> CardDate {
        guard let date = CardDate(yyyymmdd: text(b, offset, 16)) else { throw .badDate(field) }
        return date
    }

    static func validUntil(_ b: [UInt8], _ offset: Int) throws(CardTextError) -> IDCard.ValidUntil {
        let value = text(b, offset, 16)
        if value == "长期" { return .longTerm }
        guard let date = CardDate(yyyymmdd: value) else { throw .badDate("end of validity") }
        return .date(date)
    }
}
