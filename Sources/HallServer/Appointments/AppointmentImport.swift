import Foundation
import HallAPI

/// The CSV import: each good row through the platform push path (source `csv`), the bad ones reported by line. Used
/// by the admin page's upload and `hallserver appointments import FILE.csv`. Re-importing the same file changes nothing
/// (a push with the same external id and content is a replay).
enum AppointmentImport {
    static func run(text: String,
                    importRow: @Sendable (_ externalId: String, _ push: AppointmentPush) async throws -> AppointmentPushOutcome) async
        -> AppointmentImportReport {
        let (rows, problems) = AppointmentCSV.parse(text)
        var report = AppointmentImportReport(problems: problems)
        for row in rows {
            do {
                switch try await importRow(row.externalId, row.push) {
                case .created: report.created += 1
                case .changed: report.changed += 1
                case .replayed: report.unchanged += 1
                case .locked: report.locked += 1
                }
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
