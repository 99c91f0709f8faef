import Foundation
import HallAPI

/// The CSV import: each good row through the platform push path (source `csv`), the bad ones reported by line. Used
/// by the admin page's upload and `hallserver appointments import FILE.csv`. Re-importing the same file changes nothing
/// (a push with the same external id and content is a replay). `importRow` answers true when the appointment is new.
enum AppointmentImport {
    static func run(text: String,
                    importRow: @Sendable (_ externalId: String, _ push: AppointmentPush) async throws -> Bool) async
        -> AppointmentImportReport {
        let (rows, problems) = AppointmentCSV.parse(text)
        var report = AppointmentImportReport(problems: problems)
        for row in rows {
            do {
                if try await importRow(row.externalId, row.push) { report.created += 1 } else { report.existing += 1 }
            } catch let error as HallError {
                report.problems.append(AppointmentCSV.Problem(line: row.line, reason: "\(error.kind.rawValue): \(error.message)"))
            } catch {
                report.problems.append(AppointmentCSV.Problem(line: row.line, reason: "not stored: \(type(of: error))"))
            }
        }
        report.problems.sort { $0.line < $1.line }
        return report
    }
}
