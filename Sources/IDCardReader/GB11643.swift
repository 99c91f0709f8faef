/// The citizen identity number's check character (GB 11643-1999, ISO 7064 MOD 11-2).
public enum GB11643 {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// The check character for the first 17 digits, or nil when `first17` is not 17 ASCII digits.
    public static func checkCharacter<S: StringProtocol>(forFirst17 first17: S) -> Character? {
        let digits = first17.utf8.map { Int($0) - 48 }
        guard digits.count == 17, digits.allSatisfy({ (0...9).contains($0) }) else { return nil }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checkCharacters[sum % 11]
    }

    /// Why an 18-character number is not a valid citizen identity number (never quoting it), or nil when it is.
    public static func problem<S: StringProtocol>(in number: S) -> String? {
        guard number.count == 18 else { return "the ID number has \(number.count) characters, not 18" }
        guard let expected = checkCharacter(forFirst17: number.prefix(17)) else {
            return "the ID number's first 17 characters are not all digits"
        }
        guard number.last.map({ $0.uppercased() == String(expected) }) == true else {
            return "the ID number's check character does not match (GB 11643 MOD 11-2)"
        }
        return nil
    }

    /// Whether `number` is 17 digits plus the right check character (`x` counts as `X`).
    public static func isValid<S: StringProtocol>(_ number: S) -> Bool { problem(in: number) == nil }
}
