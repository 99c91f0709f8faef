import JournalLogging
import Logging
import XCTest

final class JournalLogHandlerTests: XCTestCase {
    func testEachLevelGetsItsSyslogPriority() {
        let expected: [(Logger.Level, Int)] = [(.critical, 2), (.error, 3), (.warning, 4), (.notice, 5), (.info, 6), (.debug, 7),
                                               (.trace, 7)]
        for (level, priority) in expected {
            XCTAssertEqual(JournalLogHandler.priority(level), priority, "\(level)")
        }
    }

    func testALineIsOneJournalEntryWithItsPriorityFirst() {
        let line = JournalLogHandler.line(level: .warning, label: "hallkiosk", message: "hall server unreachable:\nrefused",
                                          metadata: ["server": "http://10.0.0.2:8080", "attempt": "3"], source: "KioskApp")
        XCTAssertEqual(line, "<4>warning hallkiosk: [KioskApp] hall server unreachable: refused attempt=3 server=http://10.0.0.2:8080\n")
        XCTAssertEqual(line.filter { $0 == "\n" }.count, 1, "one line: journald starts an entry at every newline")
    }
}
