import CQRencode

/// The booking QR on the booking page's answer: the booking code only (PII-free), drawn as inline SVG so the page needs
/// no image route and works offline once loaded. libqrencode (the kiosk's QR library) encodes it at level M.
enum BookingQR {
    /// Light modules around the code (ISO/IEC 18004).
    static let quietZone = 4

    /// An SVG of `payload`, `pixels` wide, with a title for screen readers; nil when libqrencode cannot encode it.
    static func svg(_ payload: String, pixels: Int = 200, title: String) -> String? {
        guard let code = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let side = Int(code.pointee.width)
        let total = side + 2 * quietZone
        var path = ""
        for y in 0..<side {
            var x = 0
            while x < side {
                guard code.pointee.data[y * side + x] & 1 == 1 else { x += 1; continue }
                // One horizontal run of dark modules: one path segment.
                var run = 1
                while x + run < side, code.pointee.data[y * side + x + run] & 1 == 1 { run += 1 }
                path += "M\(x + quietZone) \(y + quietZone)h\(run)v1h-\(run)z"
                x += run
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" width=\"\(pixels)\" height=\"\(pixels)\" "
            + "viewBox=\"0 0 \(total) \(total)\" shape-rendering=\"crispEdges\"><title>\(HTML.escape(title))</title>"
            + "<rect width=\"\(total)\" height=\"\(total)\" fill=\"#fff\"/><path d=\"\(path)\" fill=\"#000\"/></svg>"
    }
}
