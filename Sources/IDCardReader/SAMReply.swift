/// A decoded reply frame: `SW1 SW2 SW3 data…`.
public struct SAMReply: Sendable, Equatable {
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
}
