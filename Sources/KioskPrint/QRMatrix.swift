import CQRencode

/// A QR code as a square of modules (libqrencode, error correction level M).
public struct QRMatrix: Hashable, Sendable {
    /// Modules per side.
    public let size: Int
    /// Row-major, `true` = dark.
    public let modules: [Bool]
    /// Light modules required around the code (ISO/IEC 18004).
    public static let quietZone = 4

    /// Encodes `payload` (8-bit mode, automatic version, level M).
    public init(_ payload: String) throws(PrintError) {
        guard let code = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            throw PrintError(.layout, "QR code: libqrencode cannot encode a \(payload.utf8.count)-byte text (too long for a QR code?)")
        }
        defer { QRcode_free(code) }
        let side = Int(code.pointee.width)
        var modules = [Bool](repeating: false, count: side * side)
        for i in 0..<(side * side) { modules[i] = code.pointee.data[i] & 1 == 1 }
        self.size = side
        self.modules = modules
    }

    public subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }
}
