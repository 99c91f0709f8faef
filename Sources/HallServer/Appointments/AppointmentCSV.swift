import Foundation
import HallAPI
import IDCardReader

/// The admin's appointment import (`/admin/appointments` upload, `hallserver appointments import FILE.csv`): a CSV file,
/// UTF-8 (a byte-order mark is allowed), RFC 4180 quoting, one header line naming the columns in any order:
///
/// | column | required | what |
/// |---|---|---|
/// | `externalId` | yes | the row's id in the file's source system, 1–64 of `A-Z a-z 0-9 - _ .`; re-importing the same id changes nothing |
/// | `serviceId` | yes | a service of `hall.toml` |
/// | `slotStart`, `slotEnd` | yes | RFC 3339 with an offset, e.g. `2026-12-08T09:00:00+08:00` |
/// | `idNumber` | yes | 18 characters, GB 11643 check character |
/// | `name` | yes | the citizen's name |
/// | `phone` | no | |
///
/// Each row becomes an `AppointmentPush` with source `csv` and goes through the same path as a platform push. This
/// parser only reads the file: a bad row is reported by line and reason (never quoting an ID number, name or phone)
/// and the good rows are kept.
public enum AppointmentCSV {
    public static let columns = ["externalId", "serviceId", "slotStart", "slotEnd", "idNumber", "name", "phone"]
    static let required = ["externalId", "serviceId", "slotStart", "slotEnd", "idNumber", "name"]
    /// Rows one file may hold.
    public static let maxRows = 20_000

    /// A good row: its line in the file, its id and what to push.
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var externalId: String
        public var push: AppointmentPush
    }

    /// A refused row (or the whole file, line 1 for the header).
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// Reads the file's text.
    public static func parse(_ text: String) -> (rows: [Row], problems: [Problem]) {
        var records = Self.records(of: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        guard !records.isEmpty else { return ([], [Problem(line: 1, reason: "the file is empty; the first line must name the columns "
                                                                  + columns.joined(separator: ","))]) }
        let header = records.removeFirst()
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        let missing = required.filter { !names.contains($0) }
        guard missing.isEmpty else {
            return ([], [Problem(line: header.line, reason: "the header lacks \(missing.joined(separator: ", ")); the columns are "
                                 + columns.joined(separator: ",") + " (phone optional)")])
        }
        if let unknown = names.first(where: { !columns.contains($0) }) {
            return ([], [Problem(line: header.line, reason: "unknown column \(PersonalDataEcho.quote(unknown))"
                                 + "; the columns are " + columns.joined(separator: ","))])
        }
        var rows: [Row] = []
        var problems: [Problem] = []
        var seen: [String: Int] = [:]
        for record in records where !(record.fields.count == 1 && record.fields[0].trimmingCharacters(in: .whitespaces).isEmpty) {
            guard rows.count + problems.count < maxRows else {
                problems.append(Problem(line: record.line, reason: "more than \(maxRows) rows; split the file"))
                break
            }
            guard record.fields.count == names.count else {
                problems.append(Problem(line: record.line, reason: "\(record.fields.count) fields, the header has \(names.count)"))
                continue
            }
            var value: [String: String] = [:]
            for (name, field) in zip(names, record.fields) { value[name] = field.trimmingCharacters(in: .whitespaces) }
            switch row(value, line: record.line) {
            case .success(let row):
                if let first = seen[row.externalId] {
                    problems.append(Problem(line: row.line, reason: "externalId \(PersonalDataEcho.quote(row.externalId)) is also on line \(first)"))
                } else {
                    seen[row.externalId] = row.line
                    rows.append(row)
                }
            case .failure(let problem):
                problems.append(problem)
            }
        }
        return (rows, problems)
    }

    private static func row(_ v: [String: String], line: Int) -> Result<Row, Problem> {
        func bad(_ reason: String) -> Result<Row, Problem> { .failure(Problem(line: line, reason: reason)) }
        let id = v["externalId"] ?? ""
        let idChars = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
        guard (1...64).contains(id.count), id.unicodeScalars.allSatisfy(idChars.contains) else {
            return bad("externalId must be 1–64 of A-Z a-z 0-9 - _ .")
        }
        let service = v["serviceId"] ?? ""
        guard !service.isEmpty else { return bad("serviceId is empty") }
        let formatter = ISO8601DateFormatter()
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func time(_ key: String) -> Date? {
            let text = v[key] ?? ""
            return formatter.date(from: text) ?? withFraction.date(from: text)
        }
        guard let start = time("slotStart") else { return bad("slotStart is not an RFC 3339 time like 2026-12-08T09:00:00+08:00") }
        guard let end = time("slotEnd") else { return bad("slotEnd is not an RFC 3339 time like 2026-12-08T09:30:00+08:00") }
        guard end > start else { return bad("slotEnd is not after slotStart") }
        let number = (v["idNumber"] ?? "").uppercased()
        if let problem = GB11643.problem(in: number) { return bad(problem) }
        let name = v["name"] ?? ""
        guard !name.isEmpty else { return bad("name is empty") }
        guard name.count <= 50 else { return bad("name is longer than 50 characters") }
        let phone = v["phone"].flatMap { $0.isEmpty ? nil : $0 }
        if let phone, !(phone.count <= 20 && phone.allSatisfy({ $0.isNumber || "+- ".contains($0) })) {
            return bad("phone must be at most 20 digits, '+', '-' or spaces")
        }
        let push = AppointmentPush(serviceId: service, slotStart: start, slotEnd: end, idNumber: number, name: name, phone: phone)
        // The id is kept in clear and shown on pages: never the person's own data.
        guard !push.holdsPersonalData(id) else {
            return bad("externalId holds this row's ID number or phone; give the booking system's own id for the row")
        }
        return .success(Row(line: line, externalId: id, push: push))
    }

    /// RFC 4180 records with the line each starts on (quoted fields may hold commas, quotes `""` and line breaks).
    static func records(of text: String) -> [(line: Int, fields: [String])] {
        var out: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var startLine = 1
        var chars = Array(text)
        if let last = chars.last, last != "\n", last != "\r\n" { chars.append("\n") }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                fields.append(field)
                out.append((startLine, fields))
                fields = []
                field = ""
                line += 1
                startLine = line
            } else {
                field.append(c)
            }
            i += 1
        }
        return out
    }
}
