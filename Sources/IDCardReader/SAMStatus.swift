/// The reader's status byte (SW3) with what it means. SW1 SW2 are `00 00` in every good reply.
public struct SAMStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let success = SAMStatus(rawValue: 0x90)
    public static let itemAbsent = SAMStatus(rawValue: 0x91)
    public static let cardFound = SAMStatus(rawValue: 0x9F)
    public static let frameChecksumError = SAMStatus(rawValue: 0x10)
    public static let frameLengthError = SAMStatus(rawValue: 0x11)
    public static let commandError = SAMStatus(rawValue: 0x21)
    public static let unauthorisedOperation = SAMStatus(rawValue: 0x23)
    public static let unrecognisedError = SAMStatus(rawValue: 0x24)
    public static let cardAuthenticatingSAMFailed = SAMStatus(rawValue: 0x31)
    public static let samAuthenticatingCardFailed = SAMStatus(rawValue: 0x32)
    public static let verificationError = SAMStatus(rawValue: 0x33)
    public static let unknownCardType = SAMStatus(rawValue: 0x40)
    public static let readFailed = SAMStatus(rawValue: 0x41)
    public static let randomNumberFailure = SAMStatus(rawValue: 0x47)
    public static let samSelfTestFailed = SAMStatus(rawValue: 0x60)
    public static let samUnauthorised = SAMStatus(rawValue: 0x66)
    public static let noCard = SAMStatus(rawValue: 0x80)
    public static let selectFailed = SAMStatus(rawValue: 0x81)

    /// What the status means, for logs and the doctor (never personal data).
    public var reason: String {
        switch self {
        case .success: "success"
        case .itemAbsent: "item absent (e.g. no appended address)"
        case .cardFound: "card found"
        case .frameChecksumError: "the reader got a frame with a bad checksum"
        case .frameLengthError: "the reader got a frame with a wrong length"
        case .commandError: "the reader does not know the command"
        case .unauthorisedOperation: "unauthorised operation"
        case .unrecognisedError: "unrecognised error"
        case .cardAuthenticatingSAMFailed: "the card did not accept the SAM"
        case .samAuthenticatingCardFailed: "the SAM did not accept the card"
        case .verificationError: "information verification error"
        case .unknownCardType: "unknown card type"
        case .readFailed: "reading the card failed"
        case .randomNumberFailure: "random-number failure"
        case .samSelfTestFailed: "the SAM failed its self-test and accepts no commands"
        case .samUnauthorised: "the SAM is not authorised"
        case .noCard: "no card on the reader"
        case .selectFailed: "selecting the card failed"
        default: "unknown status"
        }
    }

    /// `90 (success)`.
    public var description: String { "\(hex(rawValue)) (\(reason))" }
}

func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}
