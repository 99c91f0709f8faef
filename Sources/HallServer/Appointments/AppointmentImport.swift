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
                // The row's own ID number, name or phone never comes back in the reason (a column slipped into another).
                report.problems.append(AppointmentCSV.Problem(line: row.line, reason: row.push.redacting("\(error.kind.rawValue): \(error.message)")))
            } catch {
                report.problems.append(AppointmentCSV.Problem(line: row.line, reason: "not stored: \(type(of: error))"))
            }
        }
        report.problems.sort { $0.line < $1.line }
        return report
    }
}

/// What a CSV import did, for the page that answers the upload and for the command line.
public struct AppointmentImportReport: Sendable, Hashable {
    /// Rows that made a new appointment.
    public var created = 0
    /// Rows of appointments already stored: unchanged (a replay) or updated (a booked one pushed with new content).
    public var existing = 0
    /// Refused rows: line and reason (no personal data).
    public var problems: [AppointmentCSV.Problem] = []

    /// `3 new, 2 already stored, 1 refused`.
    public var summary: String { "\(created) new, \(existing) already stored, \(problems.count) refused" }
}

extension HallDesk {
    /// Imports a CSV file's text (`AppointmentCSV`): every good row as a platform push with source `csv`
    /// (`pushAppointment`), the bad ones reported by line.
    public func importAppointments(csv text: String) async -> AppointmentImportReport {
        let report = await AppointmentImport.run(text: text) { try await self.pushAppointment(source: "csv", externalId: $0, $1).created }
        logger.info("appointments imported", metadata: ["result": "\(report.summary)"])
        return report
    }
}
