import Foundation
import HallTestSupport
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

    /// The executable's `.rodata` is found from its section table (also in this test binary), and nothing is made of
    /// a file that is not ELF.
    func testTheConstantTablesAreFoundInTheSectionTable() throws {
        let section = try XCTUnwrap(ReadOnlyDataPages.section, "the test binary has a .rodata")
        XCTAssertGreaterThan(section.size, 0)
        let readelf = try runProgram("/usr/bin/readelf", ["-SW", "/proc/self/exe".resolvedLink])
        let line = try XCTUnwrap(readelf.out.split(separator: "\n").first { $0.contains(" .rodata ") })
        let fields = line.split(separator: " ").map(String.init)
        let at = try XCTUnwrap(fields.firstIndex(of: ".rodata"))
        XCTAssertEqual(UInt64(fields[at + 3], radix: 16), section.fileOffset, String(line))
        XCTAssertEqual(UInt64(fields[at + 4], radix: 16), section.size, String(line))
        XCTAssertNil(ReadOnlyDataPages.rodata { offset, count in offset == 0 ? [UInt8](repeating: 0x41, count: count) : nil })
        XCTAssertNil(ReadOnlyDataPages.rodata { _, _ in nil })
    }

    /// Only whole pages of the section inside the mapping: a page shared with writable data at either end is not.
    func testOnlyWholePagesOfTheSectionAreCandidates() {
        let mapping = CodePageAdvice.Mapping(start: 0x10_0000, end: 0x20_0000, permissions: "rw-p", path: "/x", offset: 0x5_0000)
        let ranges = ReadOnlyDataPages.pageRanges(of: .init(fileOffset: 0x5_0800, size: 0x3000), in: [mapping], pageSize: 0x1000)
        XCTAssertEqual(ranges, [0x10_1000..<0x10_3000], "0x100800…0x103800 has two whole pages")
        XCTAssertEqual(ReadOnlyDataPages.pageRanges(of: .init(fileOffset: 0x1000, size: 0x2000), in: [mapping], pageSize: 0x1000), [],
                       "a section before the mapping")
    }

    /// In a private writable mapping of a file: pages still the file's are unmapped and read back the same; a page
    /// the process wrote keeps what it wrote.
    func testCleanPagesAreReleasedAndAWrittenPageKeepsItsBytes() throws {
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rodata-\(UUID().uuidString)").path
        let pattern = (0..<(8 * pageSize)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / pageSize) }
        try Data(pattern).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fd = open(path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let base = try XCTUnwrap(mmap(nil, pattern.count, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0))
        XCTAssertNotEqual(base, MAP_FAILED)
        defer { munmap(base, pattern.count) }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var sum = 0
        for i in stride(from: 0, to: pattern.count, by: 64) { sum &+= Int(bytes[i]) }  // every page resident
        XCTAssertGreaterThan(sum, 0)
        bytes[3 * pageSize + 5] = 0xEE  // page 3 is now the process's own
        let start = UInt(bitPattern: base)
        let released = ReadOnlyDataPages.releaseCleanPages(start..<(start + UInt(pattern.count)), pageSize: UInt(pageSize))
        XCTAssertEqual(released, 7 * pageSize / 1024, "seven clean pages released, the written one kept")
        XCTAssertEqual(bytes[3 * pageSize + 5], 0xEE, "the written byte survives")
        for i in 0..<pattern.count where i != 3 * pageSize + 5 {
            guard bytes[i] == pattern[i] else { return XCTFail("byte \(i) is \(bytes[i]), the file has \(pattern[i])") }
        }
    }
}

private extension String {
    var resolvedLink: String { (try? FileManager.default.destinationOfSymbolicLink(atPath: self)) ?? self }
}
