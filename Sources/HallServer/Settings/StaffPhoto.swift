import Crypto
import Foundation
import HallAPI

/// A staff photo uploaded on the settings page: JPEG or PNG (told by its first bytes, not its name), at most
/// `maxBytes` and `maxSide` × `maxSide` pixels (read from the image's header). Kept in the hall's store by its
/// SHA-256, which the settings document names (`StaffConfig.photoSha256`) and the photo URL carries as its version.
public struct StaffPhoto: Sendable, Equatable {
    public enum Format: String, Sendable {
        case jpeg, png
        public var contentType: String { self == .jpeg ? "image/jpeg" : "image/png" }
        public var fileExtension: String { self == .jpeg ? "jpg" : "png" }
    }

    /// Largest photo accepted, bytes (300 KB).
    public static let maxBytes = 300 * 1024
    /// Largest width and height accepted, pixels.
    public static let maxSide = 1000
    /// Largest upload request the server reads for a photo (the form around it included): a bigger photo is still
    /// answered with the size rule rather than cut off.
    public static let uploadLimitBytes = 4 << 20

    public var format: Format
    public var width: Int
    public var height: Int
    public var bytes: Data
    /// SHA-256 of `bytes`, lower-case hex.
    public var digest: String

    public init(format: Format, width: Int, height: Int, bytes: Data, digest: String) {
        self.format = format
        self.width = width
        self.height = height
        self.bytes = bytes
        self.digest = digest
    }

    /// The photo in `bytes`, checked; a file that is not a JPEG or PNG, or too big, is refused in both languages.
    public static func checked(_ bytes: Data) throws(ConfigProblem) -> StaffPhoto {
        guard !bytes.isEmpty else {
            throw ConfigProblem("照片：请选择一个 JPEG 或 PNG 文件 / photo: choose a JPEG or PNG file")
        }
        guard bytes.count <= maxBytes else {
            let kb = (bytes.count + 1023) / 1024
            throw ConfigProblem("照片：文件 \(kb) KB，最大 \(maxBytes / 1024) KB；请缩小到 \(maxSide)×\(maxSide) 像素以内再上传 / "
                + "photo: the file is \(kb) KB, at most \(maxBytes / 1024) KB; shrink it to at most \(maxSide)×\(maxSide) pixels")
        }
        let b = [UInt8](bytes)
        let format: Format
        let size: (Int, Int)?
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            format = .png
            size = pngSize(b)
        } else if b.starts(with: [0xFF, 0xD8, 0xFF]) {
            format = .jpeg
            size = jpegSize(b)
        } else {
            throw ConfigProblem("照片：不是 JPEG 或 PNG 图片（请另存为 .jpg 或 .png）/ photo: the file is not a JPEG or PNG image (save it as .jpg or .png)")
        }
        guard let (width, height) = size, width > 0, height > 0 else {
            throw ConfigProblem("照片：\(format == .png ? "PNG" : "JPEG") 文件已损坏，读不出尺寸；请重新保存后上传 / "
                + "photo: the \(format == .png ? "PNG" : "JPEG") file is damaged (no size in its header); save it again")
        }
        guard width <= maxSide, height <= maxSide else {
            throw ConfigProblem("照片：\(width)×\(height) 像素，最大 \(maxSide)×\(maxSide)；请缩小后上传 / "
                + "photo: \(width)×\(height) pixels, at most \(maxSide)×\(maxSide); shrink it and upload again")
        }
        return StaffPhoto(format: format, width: width, height: height, bytes: bytes, digest: Hex.encode(SHA256.hash(data: bytes)))
    }

    /// Width and height from a PNG's IHDR chunk.
    static func pngSize(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 24, b[12...15].elementsEqual("IHDR".utf8) else { return nil }
        return (bigEndian(b, 16, 4), bigEndian(b, 20, 4))
    }

    /// Width and height from a JPEG's first start-of-frame segment (SOF0…SOF15 but DHT, JPG and DAC).
    static func jpegSize(_ b: [UInt8]) -> (Int, Int)? {
        var i = 2
        while i + 4 <= b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }   // fill byte
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { i += 2; continue }
            if marker == 0xD9 || marker == 0xDA { return nil }   // end of image, or scan data before any frame
            let length = bigEndian(b, i + 2, 2)
            guard length >= 2 else { return nil }
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard i + 9 <= b.count else { return nil }
                return (bigEndian(b, i + 7, 2), bigEndian(b, i + 5, 2))
            }
            i += 2 + length
        }
        return nil
    }

    private static func bigEndian(_ b: [UInt8], _ at: Int, _ count: Int) -> Int {
        b[at..<(at + count)].reduce(0) { $0 << 8 | Int($1) }
    }

    /// The format of stored or file bytes (nil: neither JPEG nor PNG).
    static func sniff(_ bytes: Data) -> Format? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        return nil
    }
}
