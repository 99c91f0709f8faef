/// One GA/T 467 SAM frame: `AA AA AA 96 69 | LEN_H LEN_L | body… | CHK`.
///
/// `LEN` is big-endian and counts every byte after itself including `CHK`; `CHK` is the XOR of every byte after the
/// preamble (the two length bytes and the body). A request's body is `CMD PARA data…`, a reply's is
/// `SW1 SW2 SW3 data…`.
public enum SAMFrame {
    /// The five bytes that open every frame in both directions.
    public static let preamble: [UInt8] = [0xAA, 0xAA, 0xAA, 0x96, 0x69]
    /// Preamble plus the two length bytes.
    public static let headerLength = 7
    /// The longest body a reader sends: the read reply with fingerprint (2,321-byte frame) plus room for a vendor's
    /// longer variant. Anything that claims more is a wrong length, not a frame to wait for.
    public static let maximumLength = 4_096

    /// The whole frame for `body`: preamble, length, body, XOR checksum.
    public static func encode(body: [UInt8]) -> [UInt8] {
        precondition(body.count + 1 <= maximumLength, "a SAM frame body of \(body.count) bytes is longer than any reader takes")
        let length = UInt16(body.count + 1)
        var frame = preamble
        frame.reserveCapacity(headerLength + body.count + 1)
        frame.append(UInt8(length >> 8))
        frame.append(UInt8(length & 0xFF))
        frame.append(contentsOf: body)
        frame.append(checksum(length: length, body: body[...]))
        return frame
    }

    /// XOR of the two length bytes and the body.
    public static func checksum(length: UInt16, body: ArraySlice<UInt8>) -> UInt8 {
        body.reduce(UInt8(length >> 8) ^ UInt8(length & 0xFF), ^)
    }
}
