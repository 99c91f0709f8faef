import Foundation

/// `multipart/form-data` as a browser posts a form with a file field: the text fields and the files. Pure.
struct MultipartForm: Sendable {
    struct File: Sendable {
        var field: String
        var filename: String
        var bytes: Data
    }

    var fields: [(String, String)] = []
    var files: [File] = []

    /// The boundary of a `multipart/form-data; boundary=…` content type; nil for any other type.
    static func boundary(contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for p in parts.dropFirst() where p.lowercased().hasPrefix("boundary=") {
            var b = String(p.dropFirst("boundary=".count))
            if b.hasPrefix("\""), b.hasSuffix("\""), b.count >= 2 { b = String(b.dropFirst().dropLast()) }
            return b.isEmpty || b.count > 200 ? nil : b
        }
        return nil
    }

    /// The parts of `body`; nil when it is not a well-formed multipart body with that boundary.
    static func parse(_ body: Data, boundary: String) -> MultipartForm? {
        let bytes = [UInt8](body)
        let delimiter = Array(("--" + boundary).utf8)
        var form = MultipartForm()
        guard var at = find(delimiter, in: bytes, from: 0) else { return nil }
        while true {
            at += delimiter.count
            // `--` after a delimiter ends the body.
            if bytes.count >= at + 2, bytes[at] == 0x2D, bytes[at + 1] == 0x2D { return form }
            guard bytes.count >= at + 2, bytes[at] == 0x0D, bytes[at + 1] == 0x0A else { return nil }
            at += 2
            guard let headerEnd = find([0x0D, 0x0A, 0x0D, 0x0A], in: bytes, from: at) else { return nil }
            let headers = String(decoding: bytes[at..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = find([0x0D, 0x0A] + delimiter, in: bytes, from: contentStart) else { return nil }
            let content = Data(bytes[contentStart..<next])
            let disposition = headers.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("content-disposition:") } ?? ""
            guard let name = parameter("name", in: disposition) else { return nil }
            if let filename = parameter("filename", in: disposition) {
                form.files.append(File(field: name, filename: filename, bytes: content))
            } else {
                form.fields.append((name, String(decoding: content, as: UTF8.self)))
            }
            at = next + 2
        }
    }

    /// `name="value"` of a `Content-Disposition` header.
    private static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].lowercased() == name else { continue }
            var v = String(kv[1])
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            return v
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var i = start
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
