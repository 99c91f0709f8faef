/// A card read from the reader: the fields of the 256-byte text block, the photo already dropped.
///
/// Printing it in any way (`print`, interpolation, `dump`, a debugger) shows only the kind, the masked number and
/// the masked name; the clear values are behind `clearText` on purpose.
public struct IDCard: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Which document the text block describes (the flag at offset 248).
    public enum Kind: String, Sendable, CaseIterable {
        /// 居民身份证 (flag blank).
        case residentID = "resident ID card"
        /// 港澳台居民居住证 (flag `J`).
        case hongKongMacaoTaiwanPermit = "Hong Kong/Macao/Taiwan residence permit"
        /// 外国人永久居留身份证, 2017 layout (flag `I`): 15-character card number.
        case foreignPermanentResident2017 = "foreigner's permanent residence card (2017)"
        /// 外国人永久居留身份证, 2023 layout (flag `Y`): 18-character number at the resident offsets.
        case foreignPermanentResident2023 = "foreigner's permanent residence card (2023)"
    }

    public enum Gender: Sendable, Equatable {
        case male, female
        /// A code other than 1 or 2 (kept, not guessed).
        case other(String)
    }

    /// Valid to a date, or 长期 (no end).
    public enum ValidUntil: Sendable, Equatable {
        case date(CardDate)
        case longTerm
    }

    public var kind: Kind
    /// The Chinese name (for a 2017 foreigner's card with no Chinese name, the English name).
    public var name: PersonName
    /// The English name on a foreigner's card.
    public var englishName: PersonName?
    public var gender: Gender
    /// 民族 on a resident ID card; nil on the other kinds.
    public var ethnicGroup: EthnicGroup?
    /// The three-letter nationality code on a foreigner's card.
    public var nationality: String?
    public var birthDate: CardDate
    /// 住址 (resident ID card and HMT permit).
    public var address: PrivateText?
    public var idNumber: IDNumber
    /// 签发机关 (for a 2017 foreigner's card, the issuing office code).
    public var issuingAuthority: String
    public var validFrom: CardDate
    public var validUntil: ValidUntil
    /// 通行证号码 and 签发次数 on an HMT permit.
    public var passNumber: PrivateText?
    public var issueCount: String?

    public init(kind: Kind, name: PersonName, englishName: PersonName? = nil, gender: Gender, ethnicGroup: EthnicGroup? = nil,
                nationality: String? = nil, birthDate: CardDate, address: PrivateText? = nil, idNumber: IDNumber,
                issuingAuthority: String, validFrom: CardDate, validUntil: ValidUntil, passNumber: PrivateText? = nil,
                issueCount: String? = nil) {
        self.kind = kind
        self.name = name
        self.englishName = englishName
        self.gender = gender
        self.ethnicGroup = ethnicGroup
        self.nationality = nationality
        self.birthDate = birthDate
        self.address = address
        self.idNumber = idNumber
        self.issuingAuthority = issuingAuthority
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.passNumber = passNumber
        self.issueCount = issueCount
    }

    /// `resident ID card 4301**********1234 张*`.
    public var description: String { "\(kind.rawValue) \(idNumber.masked) \(name.masked)" }
    public var debugDescription: String { "IDCard(\(description))" }
    public var customMirror: Mirror {
        Mirror(self, children: ["kind": kind, "idNumber": idNumber.masked, "name": name.masked], displayStyle: .struct)
    }

    /// Whether the card is within its validity on `day`.
    public func isValid(on day: CardDate) -> Bool {
        guard validFrom <= day else { return false }
        switch validUntil {
        case .longTerm: return true
        case let .date(end): return day <= end
        }
    }
}

/// A date as printed on the card (YYYYMMDD).
public struct CardDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYYMMDD` (month 1–12, day 1–31); nil otherwise.
    public init?<S: StringProtocol>(yyyymmdd text: S) {
        let digits = text.utf8.map { Int($0) - 48 }
        guard digits.count == 8, digits.allSatisfy({ (0...9).contains($0) }) else { return nil }
        let number = digits.reduce(0) { $0 * 10 + $1 }
        self.init(year: number / 10_000, month: number / 100 % 100, day: number % 100)
        guard (1...12).contains(month), (1...31).contains(day), year >= 1800 else { return nil }
    }

    /// `2020-01-31`.
    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    public static func < (a: CardDate, b: CardDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}

/// 民族, by its two-digit code (GB 3304): 01 汉 … 56 基诺, 97 其他, 98 外国血统中国籍人士.
public struct EthnicGroup: Sendable, Hashable, CustomStringConvertible {
    public var code: String
    public init(code: String) { self.code = code }

    /// The group's name (`汉族`), or `民族代码 NN` for a code outside the table.
    public var name: String {
        if code == "97" { return "其他" }
        if code == "98" { return "外国血统中国籍人士" }
        if let n = Int(code), (1...Self.names.count).contains(n) { return Self.names[n - 1] + "族" }
        return "民族代码 \(code)"
    }

    public var isKnown: Bool { !name.hasPrefix("民族代码") }
    public var description: String { name }

    static let names = [
        "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎",
        "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南",
        "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙",
        "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
    ]
}
