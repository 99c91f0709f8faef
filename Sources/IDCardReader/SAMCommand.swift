/// The SAM commands the kiosk sends (业务终端接口). Each is `CMD PARA` plus optional data.
public enum SAMCommand: Sendable, Equatable, CaseIterable {
    /// SAM_A 状态检测: 90 when the SAM passed its self-test.
    case samStatus
    /// 读SAM管理信息: 90 + the 16-byte SAM id.
    case samID
    /// 寻找证/卡: 9F when a card is in the field, 80 when none.
    case findCard
    /// 选取证/卡: 90 + 8-byte card serial number, 81 when it failed.
    case selectCard
    /// 读固定信息: 90 + 256-byte text + 1024-byte photo.
    case readBaseInfo
    /// 追加住址: 90 + the appended address, 91 when there is none.
    case readAppendedAddress
    /// 读固定信息 with fingerprint: 90 + text + photo + fingerprint.
    case readBaseInfoWithFingerprint
    /// Sets the largest RF frame (0x50 bytes).
    case setMaximumRFBytes

    /// `CMD PARA data…`.
    public var body: [UInt8] {
        switch self {
        case .samStatus: [0x11, 0xFF]
        case .samID: [0x12, 0xFF]
        case .findCard: [0x20, 0x01]
        case .selectCard: [0x20, 0x02]
        case .readBaseInfo: [0x30, 0x01]
        case .readAppendedAddress: [0x30, 0x03]
        case .readBaseInfoWithFingerprint: [0x30, 0x10]
        case .setMaximumRFBytes: [0x61, 0xFF, 0x50]
        }
    }

    /// The request frame on the wire.
    public var frame: [UInt8] { SAMFrame.encode(body: body) }

    /// The status that means the command did what was asked (9F for find, 90 for the rest).
    public var successStatus: SAMStatus { self == .findCard ? .cardFound : .success }

    /// A short name for logs.
    public var name: String {
        switch self {
        case .samStatus: "SAM status"
        case .samID: "SAM id"
        case .findCard: "find card"
        case .selectCard: "select card"
        case .readBaseInfo: "read base info"
        case .readAppendedAddress: "read appended address"
        case .readBaseInfoWithFingerprint: "read base info with fingerprint"
        case .setMaximumRFBytes: "set maximum RF bytes"
        }
    }
}
