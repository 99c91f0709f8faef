import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// The admin's CSV import file: columns in any order, RFC 4180 quoting, bad rows reported by line and reason without
/// personal data, good rows kept.
final class AppointmentCSVTests: XCTestCase {
    func testGoodRowsAreKeptAndBadOnesReportedByLine() {
        let text = "\u{FEFF}externalId,serviceId,slotStart,slotEnd,idNumber,name,phone\r\n"
            + "A-1,hukou,2026-12-08T09:00:00+08:00,2026-12-08T09:30:00+08:00,11010519491231002x,\"王, 小明\",13800000000\r\n"
            + "A-2,hukou,2026-12-08T09:00:00+08:00,2026-12-08T09:30:00+08:00,110105194912310021,张三,\r\n"
            + "A-3,hukou,tomorrow,2026-12-08T09:30:00+08:00,430102199003071234,李四,\r\n"
            + "A-4,social,2026-12-08T10:00:00+08:00,2026-12-08T09:30:00+08:00,430102199003071234,李四,\r\n"
            + "A-1,hukou,2026-12-08T09:00:00+08:00,2026-12-08T09:30:00+08:00,430102199003071234,李四,\r\n"
            + "A 5,hukou,2026-12-08T09:00:00+08:00,2026-12-08T09:30:00+08:00,430102199003071234,李四,\r\n"
            + "A-6,hukou,2026-12-08T09:00:00+08:00\r\n"
            + "\r\n"
            + "A-7,social,2026-12-08T10:00:00.000+08:00,2026-12-08T10:30:00+08:00,430102199003071234,\"李\"\"四\"\"\",+86 138-0000-0000\r\n"
        let (rows, problems) = AppointmentCSV.parse(text)
        XCTAssertEqual(rows.map(\.externalId), ["A-1", "A-7"])
        XCTAssertEqual(rows.map(\.line), [2, 10])
        XCTAssertEqual(rows[0].push.idNumber, "11010519491231002X", "x is read as X")
        XCTAssertEqual(rows[0].push.name, "王, 小明")
        XCTAssertEqual(rows[0].push.phone, "13800000000")
        XCTAssertEqual(rows[0].push.slotStart, ISO8601DateFormatter().date(from: "2026-12-08T01:00:00Z"))
        XCTAssertEqual(rows[1].push.name, "李\"四\"")
        XCTAssertEqual(problems.map(\.line), [3, 4, 5, 6, 7, 8])
        XCTAssertTrue(problems[0].reason.contains("check character"), problems[0].description)
        XCTAssertTrue(problems[1].reason.contains("slotStart"), problems[1].description)
        XCTAssertTrue(problems[2].reason.contains("not after"), problems[2].description)
        XCTAssertTrue(problems[3].reason.contains("also on line 2"), problems[3].description)
        XCTAssertTrue(problems[4].reason.contains("externalId"), problems[4].description)
        XCTAssertTrue(problems[5].reason.contains("3 fields"), problems[5].description)
        let said = problems.map(\.description).joined(separator: "\n")
        for secret in ["110105194912310021", "430102199003071234", "张三", "李四"] {
            XCTAssertFalse(said.contains(secret), "a problem quotes personal data: \(said)")
        }
    }

    func testTheHeaderMustNameTheColumns() {
        XCTAssertEqual(AppointmentCSV.parse("").problems.first?.line, 1)
        let missing = AppointmentCSV.parse("externalId,serviceId,slotStart,slotEnd,name\nA,b,c,d,e\n").problems
        XCTAssertEqual(missing.count, 1)
        XCTAssertTrue(missing[0].reason.contains("lacks idNumber"), missing[0].reason)
        let unknown = AppointmentCSV.parse("externalId,serviceId,slotStart,slotEnd,idNumber,name,email\n").problems
        XCTAssertTrue(unknown[0].reason.contains("unknown column 'email'"), unknown[0].reason)
        let reordered = AppointmentCSV.parse("name,idNumber,slotEnd,slotStart,serviceId,externalId\n"
                                             + "李四,430102199003071234,2026-12-08T09:30:00+08:00,2026-12-08T09:00:00+08:00,hukou,B1\n")
        XCTAssertEqual(reordered.rows.map(\.externalId), ["B1"])
        XCTAssertEqual(reordered.problems, [])
    }

    func testAQuotedLineBreakKeepsTheLineNumbersRight() {
        let text = "externalId,serviceId,slotStart,slotEnd,idNumber,name\n"
            + "C1,hukou,2026-12-08T09:00:00+08:00,2026-12-08T09:30:00+08:00,430102199003071234,\"two\nlines\"\n"
            + "C2,hukou,2026-12-08T09:00:00+08:00,2026-12-08T09:30:00+08:00,430102199003071235,李四\n"
        let (rows, problems) = AppointmentCSV.parse(text)
        XCTAssertEqual(rows.map(\.line), [2])
        XCTAssertEqual(problems.map(\.line), [4], "the second record starts on line 4")
    }
}
