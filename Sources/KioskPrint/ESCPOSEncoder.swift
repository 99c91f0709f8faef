/// Encodes a raster as raw ESC/POS for receipt printers: `ESC @` (initialise), the raster as
/// `GS v 0` bit images in bands, `ESC d n` (feed n lines), `GS V 1` (partial cut).
public enum ESCPOSEncoder {
    /// Options a receipt printer takes.
    public struct Options: Hashable, Sendable {
        /// Lines fed after the image so the ticket clears the cutter. Default 4.
        public var feedLines: Int
        /// Partial cut at the end. Default true.
        public var cut: Bool
        /// Rows per `GS v 0` band (printers have small input buffers). Default 128.
        public var bandRows: Int
        public init(feedLines: Int = 4, cut: Bool = true, bandRows: Int = 128) {
            self.feedLines = feedLines
            self.cut = cut
            self.bandRows = bandRows
        }
    }

    public static func encode(_ raster: Raster, options: Options = Options()) -> [UInt8] {
        let bytesPerRow = (raster.width + 7) / 8
        let packed = raster.packedRows()
        var out: [UInt8] = [0x1B, 0x40]
        var row = 0
        while row < raster.height {
            let rows = min(options.bandRows, raster.height - row)
            out += [0x1D, 0x76, 0x30, 0x00, UInt8(bytesPerRow & 0xFF), UInt8(bytesPerRow >> 8), UInt8(rows & 0xFF), UInt8(rows >> 8)]
            out += packed[(row * bytesPerRow)..<((row + rows) * bytesPerRow)]
            row += rows
        }
        if options.feedLines > 0 { out += [0x1B, 0x64, UInt8(min(255, options.feedLines))] }
        if options.cut { out += [0x1D, 0x56, 0x01] }
        return out
    }
}

/// Reads back what `ESCPOSEncoder` writes (for tests and for checking bytes captured from a raw queue).
public struct ESCPOSDocument: Hashable, Sendable {
    /// The bit images, stacked.
    public var raster: Raster
    /// Lines fed by `ESC d`.
    public var feedLines: Int
    /// Whether the last command is a cut (`GS V`).
    public var endsWithCut: Bool

    /// Parses `bytes`; throws on any command this kiosk does not send, naming its offset.
    public init(bytes: [UInt8]) throws(PrintError) {
        func fail(_ i: Int, _ what: String) -> PrintError { PrintError(.encoding, "ESC/POS at byte \(i): \(what)") }
        guard bytes.starts(with: [0x1B, 0x40]) else { throw fail(0, "does not start with ESC @") }
        var i = 2
        var width: Int?
        var packed: [UInt8] = []
        var height = 0
        var feed = 0
        var cut = false
        while i < bytes.count {
            cut = false
            if bytes[i...].starts(with: [0x1D, 0x76, 0x30]), i + 8 <= bytes.count {
                let xBytes = Int(bytes[i + 4]) | Int(bytes[i + 5]) << 8
                let rows = Int(bytes[i + 6]) | Int(bytes[i + 7]) << 8
                guard width == nil || width == xBytes * 8 else { throw fail(i, "band width changes") }
                width = xBytes * 8
                let end = i + 8 + xBytes * rows
                guard end <= bytes.count else { throw fail(i, "GS v 0 band longer than the data") }
                packed += bytes[(i + 8)..<end]
                height += rows
                i = end
            } else if bytes[i...].starts(with: [0x1B, 0x64]), i + 3 <= bytes.count {
                feed += Int(bytes[i + 2])
                i += 3
            } else if bytes[i...].starts(with: [0x1D, 0x56]), i + 3 <= bytes.count {
                cut = true
                i += bytes[i + 2] >= 65 ? 4 : 3
            } else {
                throw fail(i, "unexpected byte 0x\(String(bytes[i], radix: 16))")
            }
        }
        guard let width else { throw fail(i, "no GS v 0 image") }
        raster = Raster(packedRows: packed, width: width, height: height)
        feedLines = feed
        endsWithCut = cut
    }
}
