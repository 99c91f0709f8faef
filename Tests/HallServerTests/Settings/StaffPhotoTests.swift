import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// Test images: a real PNG (stored deflate, decodable by any viewer) and JPEG headers.
enum TestImages {
    /// A `width`×`height` RGB PNG: a light background, a round head and shoulders (a placeholder portrait).
    static func portraitPNG(width: Int = 120, height: Int = 160) -> Data {
        var raw: [UInt8] = []
        raw.reserveCapacity(height * (1 + width * 3))
        for y in 0..<height {
            raw.append(0)
            for x in 0..<width {
                let dx = Double(x - width / 2), dy = Double(y - height * 2 / 5)
                let head = dx * dx + dy * dy < Double(width * width) / 16
                let body = y > height * 7 / 10 && abs(dx) < Double(width) * (0.2 + Double(y - height * 7 / 10) / Double(height))
                raw += head || body ? [0x3A, 0x5A, 0x8C] : [0xDD, 0xE6, 0xF2]
            }
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += chunk("IHDR", be32(width) + be32(height) + [8, 2, 0, 0, 0])
        var zlib: [UInt8] = [0x78, 0x01]
        var rest = raw[...]
        repeat {
            let block = rest.prefix(65_535)
            rest = rest.dropFirst(block.count)
            let n = UInt16(block.count)
            zlib += [rest.isEmpty ? 1 : 0, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)] + block
        } while !rest.isEmpty
        zlib += be32(Int(adler32(raw)))
        png += chunk("IDAT", zlib)
        png += chunk("IEND", [])
        return Data(png)
    }

    /// The start of a PNG that says `width`×`height` (no pixels: enough for the header checks).
    static func pngHeader(width: Int, height: Int) -> Data {
        Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", be32(width) + be32(height) + [8, 2, 0, 0, 0]))
    }

    /// A JPEG's markers up to its frame header saying `width`×`height`: SOI, APP0 (JFIF), DQT, SOF`sof`, EOI.
    static func jpegHeader(width: Int, height: Int, sof: UInt8 = 0xC0) -> Data {
        var b: [UInt8] = [0xFF, 0xD8]
        b += [0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        b += [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64)
        b += [0xFF, sof, 0x00, 0x11, 0x08, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF), 0x03,
              1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]
        b += [0xFF, 0xD9]
        return Data(b)
    }

    private static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(data.count) + body + be32(Int(crc32(body)))
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return ~c
    }

    private static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for x in bytes { a = (a + UInt32(x)) % 65_521; b = (b + a) % 65_521 }
        return b << 16 | a
    }

    /// A `multipart/form-data` body as a browser sends the photo form.
    static func multipart(boundary: String, fields: [(String, String)], file: (name: String, filename: String, type: String, bytes: Data)?) -> Data {
        var body = Data()
        for (k, v) in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
        }
        if let file {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.type)\r\n\r\n".utf8)
            body += file.bytes + Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        return body
    }
}

/// Given the bytes of an uploaded file, When the settings page checks it as a staff photo, Then a JPEG or PNG within
/// 300 KB and 1000×1000 is taken with its size read from the header, and anything else is refused in both languages.
final class StaffPhotoTests: XCTestCase {
    func testJPEGAndPNGAreToldByTheirBytesWithTheirSizeFromTheHeader() throws {
        let png = try StaffPhoto.checked(TestImages.portraitPNG())
        XCTAssertEqual([png.format.rawValue, "\(png.width)x\(png.height)"], ["png", "120x160"])
        XCTAssertEqual(png.digest.count, 64)
        let jpeg = try StaffPhoto.checked(TestImages.jpegHeader(width: 600, height: 800))
        XCTAssertEqual([jpeg.format.rawValue, "\(jpeg.width)x\(jpeg.height)"], ["jpeg", "600x800"])
        let progressive = try StaffPhoto.checked(TestImages.jpegHeader(width: 1000, height: 1000, sof: 0xC2))
        XCTAssertEqual(progressive.width, 1000)
    }

    func testAnythingElseIsRefusedSayingWhatAndTheFixInBothLanguages() {
        let cases: [(Data, [String])] = [
            (Data("GIF89a....".utf8), ["不是 JPEG 或 PNG", "not a JPEG or PNG image"]),
            (Data("<html>photo.jpg</html>".utf8), ["not a JPEG or PNG image"]),
            (Data(), ["请选择一个 JPEG 或 PNG 文件", "choose a JPEG or PNG file"]),
            (TestImages.pngHeader(width: 1200, height: 800), ["1200×800 像素，最大 1000×1000", "1200×800 pixels, at most 1000×1000"]),
            (TestImages.jpegHeader(width: 800, height: 1001), ["800×1001 pixels"]),
            (TestImages.pngHeader(width: 1, height: 1) + Data(count: 301 * 1024), ["最大 300 KB", "at most 300 KB", "302 KB"]),
            (Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]), ["PNG 文件已损坏", "the PNG file is damaged"]),
            (Data([0xFF, 0xD8, 0xFF, 0xD9]), ["the JPEG file is damaged"]),
        ]
        for (bytes, words) in cases {
            XCTAssertThrowsError(try StaffPhoto.checked(bytes)) { error in
                for w in words { XCTAssertTrue("\(error)".contains(w), "'\(w)' in: \(error)") }
            }
        }
    }

    func testAMultipartFormIsReadBackFieldsAndFile() throws {
        let png = TestImages.portraitPNG(width: 10, height: 10)
        let body = TestImages.multipart(boundary: "----x7", fields: [("id", "s1"), ("t", "令牌")], file: ("photo", "我.png", "image/png", png))
        XCTAssertEqual(MultipartForm.boundary(contentType: "multipart/form-data; boundary=----x7"), "----x7")
        XCTAssertEqual(MultipartForm.boundary(contentType: "multipart/form-data; boundary=\"q\""), "q")
        XCTAssertNil(MultipartForm.boundary(contentType: "application/x-www-form-urlencoded"))
        let form = try XCTUnwrap(MultipartForm.parse(body, boundary: "----x7"))
        XCTAssertEqual(form.fields.map(\.0), ["id", "t"])
        XCTAssertEqual(form.fields.map(\.1), ["s1", "令牌"])
        XCTAssertEqual(form.files.first?.bytes, png)
        XCTAssertEqual(form.files.first?.filename, "我.png")
        XCTAssertNil(MultipartForm.parse(body.prefix(body.count / 2), boundary: "----x7"), "cut short")
        XCTAssertNil(MultipartForm.parse(body, boundary: "other"))
    }
}
