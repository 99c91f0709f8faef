import Foundation

/// The format and pixel size written in a PNG or JPEG header, read without decoding the image — so a photo too big
/// to decode safely (a 10 000 × 10 000 PNG is 400 MB of pixels) is refused before any memory is spent on it.
public struct ImageHeader: Hashable, Sendable {
    public enum Format: String, Sendable { case png = "PNG", jpeg = "JPEG" }
    public var format: Format
    public var width: Int
    public var height: Int

    /// The header of `data`, or nil when it is neither a PNG nor a JPEG with a readable frame header.
    public init?(_ data: Data) {
        let bytes = [UInt8](data.prefix(64 * 1024))
        func be16(_ i: Int) -> Int { Int(bytes[i]) << 8 | Int(bytes[i + 1]) }
        func be32(_ i: Int) -> Int { be16(i) << 16 | be16(i + 2) }
        if bytes.count >= 24, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
           bytes[12...15].elementsEqual("IHDR".utf8) {
            self.init(format: .png, width: be32(16), height: be32(20))
            return
        }
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        // JPEG: walk the marker segments to the first frame header (SOF0…SOF15 except DHT C4, JPG C8, DAC CC).
        var i = 2
        while i + 3 < bytes.count {
            guard bytes[i] == 0xFF else { return nil }
            let marker = bytes[i + 1]
            if marker == 0xFF { i += 1; continue }  // fill byte
            if (0xD0...0xD9).contains(marker) || marker == 0x01 { i += 2; continue }  // no length
            let length = be16(i + 2)
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard i + 8 < bytes.count else { return nil }
                self.init(format: .jpeg, width: be16(i + 7), height: be16(i + 5))
                return
            }
            guard length >= 2 else { return nil }
            i += 2 + length
        }
        return nil
    }

    init(format: Format, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }
}
