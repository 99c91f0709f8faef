import Foundation
@testable import KioskApp
import XCTest

/// Unmapping start-up code: which mappings qualify, and that the test process itself keeps running (and maps
/// fewer file pages) after the advice.
final class CodePageAdviceTests: XCTestCase {
    let sample = """
        55d109508000-55d10bf61000 r-xp 00000000 08:01 1234                       /usr/bin/hallkiosk
        Size:              43364 kB
        Rss:               26308 kB
        Anonymous:             0 kB
        55d10bf62000-55d10c08c000 r--p 02a59000 08:01 1234                       /usr/bin/hallkiosk
        Size:               1192 kB
        Rss:                1192 kB
        Anonymous:          1192 kB
        55d10c08c000-55d10e5ef000 rw-p 02b83000 08:01 1234                       /usr/bin/hallkiosk
        Rss:                4988 kB
        Anonymous:          1628 kB
        7f0000000000-7f0000100000 rw-p 00000000 00:00 0
        Rss:                 900 kB
        Anonymous:           900 kB
        7f0000200000-7f0000300000 r--s 00000000 00:05 77                         /dev/dri/card0
        Rss:                  64 kB
        Anonymous:             0 kB
        7f0000400000-7f0000500000 r--s 00000000 00:01 88                         /memfd:wayland-shm (deleted)
        Rss:                  64 kB
        Anonymous:             0 kB
        7f1000000000-7f1000100000 r--p 00000000 08:01 99                         /usr/lib/x86_64-linux-gnu/libc.so.6
        Rss:                 160 kB
        Anonymous:             0 kB
        7f1000100000-7f1000200000 r-xp 00100000 08:01 99                         /usr/lib/x86_64-linux-gnu/libc.so.6
        Rss:                1536 kB
        Anonymous:             0 kB
        7fff00000000-7fff00021000 rw-p 00000000 00:00 0                          [stack]
        Rss:                  40 kB
        Anonymous:            40 kB
        """

    func testOnlyUnchangedReadOnlyFileMappingsQualify() {
        let mappings = CodePageAdvice.Mapping.parse(sample)
        XCTAssertEqual(mappings.count, 9)
        XCTAssertEqual(mappings[0], CodePageAdvice.Mapping(start: 0x55d1_0950_8000, end: 0x55d1_0bf6_1000, permissions: "r-xp",
                                                           path: "/usr/bin/hallkiosk", rssKB: 26308, anonymousKB: 0))
        XCTAssertEqual(mappings[3].path, "", "an anonymous mapping has no path")
        XCTAssertEqual(mappings[5].path, "/memfd:wayland-shm (deleted)")
        let chosen = mappings.filter(\.isPlainFileCode).map { "\($0.permissions) \($0.path)" }
        XCTAssertEqual(chosen, [
            "r-xp /usr/bin/hallkiosk",
            "r--p /usr/lib/x86_64-linux-gnu/libc.so.6",
            "r-xp /usr/lib/x86_64-linux-gnu/libc.so.6",
        ], "not: relocated read-only data (its pages were changed), writable data, anonymous memory, devices, shared memory")
    }

    func testTheProcessKeepsRunningWithFewerFilePagesMapped() throws {
        func fileRSS() -> Int {
            let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
            let line = status.split(separator: "\n").first { $0.hasPrefix("RssFile:") } ?? ""
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
        }
        let before = fileRSS()
        let released = CodePageAdvice.releaseUnusedCodePages()
        let after = fileRSS()
        XCTAssertGreaterThan(released, 1024, "the test binary maps megabytes of code")
        XCTAssertLessThan(after, before - 1024, "file pages before \(before) kB, after \(after) kB")
        // Code and read-only data come back on use: Foundation, JSON, Unicode tables, regular expressions.
        let json = try JSONEncoder().encode(["号码": "A023", "service": "户籍办理"])
        let decoded = try JSONDecoder().decode([String: String].self, from: json)
        XCTAssertEqual(decoded["号码"], "A023")
        XCTAssertEqual("Ünïcödé 户籍".uppercased(), "ÜNÏCÖDÉ 户籍")
        XCTAssertNotNil(try Regex("A[0-9]{3}").firstMatch(in: "ticket A023"))
    }
}
