import Foundation

/// A `multipart/form-data` body (RFC 7578) with text fields and at most one file: what the admin's CSV upload sends.
/// Small and strict: parts are found by the boundary the `Content-Type` names; a part's name and filename come from its
/// `Content-Disposition`. Nil when the body is not such a form.
struct MultipartForm: Sendable {
    /// Text fields (parts without a filename), in order.
    var fields: [(String, String)] = []
    /// The first file part's bytes.
    var file: [UInt8]?

    init?(contentType: String, body: [UInt8]) {
        let parameters = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parameters.first?.lowercased() == "multipart/form-data",
              var boundary = parameters.first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count).description,
              !boundary.isEmpty, boundary.count <= 200 else { return nil }
        if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 { boundary = String(boundary.dropFirst().dropLast()) }
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [ArraySlice<UInt8>] = []
        var starts = Self.ranges(of: delimiter, in: body[...])
        guard starts.count >= 2 else { return nil }
        for (a, b) in zip(starts, starts.dropFirst()) {
            // Between two delimiters: CRLF, headers, CRLF CRLF, content, CRLF.
            var part = body[(a + delimiter.count)..<b]
            if part.starts(with: [13, 10]) { part = part.dropFirst(2) }
            if part.suffix(2).elementsEqual([13, 10]) { part = part.dropLast(2) }
            parts.append(part)
        }
        starts.removeAll()
        for part in parts {
            guard let split = Self.ranges(of: [13, 10, 13, 10], in: part).first else { continue }
            let head = String(decoding: part[part.startIndex..<split], as: UTF8.self)
            let content = part[(split + 4)...]
            guard let disposition = head.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }) else { continue }
            let name = Self.parameter("name", in: String(disposition))
            if Self.parameter("filename", in: String(disposition)) != nil {
                if file == nil { file = Array(content) }
            } else if let name {
                fields.append((name, String(decoding: content, as: UTF8.self)))
            }
        }
    }

    /// `name="value"` in a header line.
    private static func parameter(_ key: String, in line: String) -> String? {
        for piece in line.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where piece.hasPrefix(key + "=") {
            var value = piece.dropFirst(key.count + 1)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            return String(value)
        }
        return nil
    }

    /// Where `needle` starts in `haystack` (indices of the haystack), left to right, not overlapping.
    private static func ranges(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> [Int] {
        var found: [Int] = []
        guard !needle.isEmpty, haystack.count >= needle.count else { return found }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) {
                found.append(i)
                i += needle.count
            } else {
                i += 1
            }
        }
        return found
    }
}
