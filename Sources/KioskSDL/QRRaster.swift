import CQRencode

/// QR codes as a grid of modules (libqrencode, error correction M, 8-bit mode), for the screen and
/// later for the receipt printer. The grid has no quiet zone; callers add 4 light modules around it.
public enum QRRaster {
    /// The light modules every QR code needs on each side.
    public static let quietZone = 4

    /// `size`×`size` modules, row by row, `true` = dark.
    public static func modules(for payload: String) throws -> (size: Int, dark: [Bool]) {
        guard !payload.isEmpty else { throw KioskSDLError("cannot encode an empty QR payload") }
        guard let code = QRcode_encodeString8bit(payload, 0, QR_ECLEVEL_M) else {
            throw KioskSDLError("libqrencode could not encode a QR payload of \(payload.utf8.count) bytes "
                + "(too long for a QR code at error correction M?)")
        }
        defer { QRcode_free(code) }
        let size = Int(code.pointee.width)
        var dark = [Bool](repeating: false, count: size * size)
        for index in 0..<(size * size) {
            dark[index] = code.pointee.data[index] & 1 == 1
        }
        return (size, dark)
    }
}
