/// A document format the kiosk can send.
public enum DocumentFormat: String, Hashable, Sendable, CaseIterable {
    /// PWG raster (`image/pwg-raster`), written with libcups' raster API: `black_1`, one page.
    case pwg
    /// PNG (`image/png`), 8-bit palette, black and white.
    case png
    /// Raw ESC/POS bytes (`application/vnd.cups-raw`) for receipt printers on a raw queue.
    case escpos

    /// The MIME type sent as `document-format`.
    public var mimeType: String {
        switch self {
        case .pwg: "image/pwg-raster"
        case .png: "image/png"
        case .escpos: "application/vnd.cups-raw"
        }
    }

    /// The file name extension of a document of this format.
    public var fileExtension: String {
        switch self {
        case .pwg: "pwg"
        case .png: "png"
        case .escpos: "bin"
        }
    }

    /// Printer resolution for a head `widthDots` wide: 512 dots is the 180 dpi TM-T88 class, others 203 dpi.
    public static func dpi(forWidth widthDots: Int) -> Int { widthDots == 512 ? 180 : 203 }
}
