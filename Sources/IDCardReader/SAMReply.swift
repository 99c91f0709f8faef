/// A decoded reply frame: `SW1 SW2 SW3 data…`. Its data may hold a card's text, so printing it shows only the
/// status and the data's length.
public struct SAMReply: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// SW1 and SW2: `00 00` in every good reply; anything else means the reader saw a frame error.
    public var sw1: UInt8
    public var sw2: UInt8
    /// SW3, the status.
    public var status: SAMStatus
    /// The bytes after SW3 (without the checksum).
    public var data: [UInt8]

    public init(sw1: UInt8 = 0, sw2: UInt8 = 0, status: SAMStatus, data: [UInt8] = []) {
        self.sw1 = sw1
        self.sw2 = sw2
        self.status = status
        self.data = data
    }

    /// The reply frame on the wire (what a reader, or the simulator, sends).
    public var frame: [UInt8] { SAMFrame.encode(body: [sw1, sw2, status.rawValue] + data) }

    /// Whether this reply means `command` succeeded (SW1 SW2 clean and the command's success status).
    public func isSuccess(for command: SAMCommand) -> Bool {
        sw1 == 0 && sw2 == 0 && status == command.successStatus
    }

    /// `SAMReply(90 (success), 1284 data bytes)`.
    public var description: String {
        let frameError = sw1 == 0 && sw2 == 0 ? "" : ", SW1 SW2 \(hex(sw1)) \(hex(sw2))"
        return "SAMReply(\(status)\(frameError), \(data.count) data bytes)"
    }

    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["status": status, "sw1": sw1, "sw2": sw2, "dataBytes": data.count], displayStyle: .struct)
    }
}
