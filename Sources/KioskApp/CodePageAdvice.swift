import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps the kiosk's mapped code to the code it runs.
///
/// A process's RSS counts every page of a mapped file (its code, the static Swift runtime's, each library's)
/// that is mapped into it. At start the kiosk runs a lot of code it never needs again — argument parsing, TOML,
/// TLS and SQLite set-up, font loading, the Swift runtime's own start-up — and Linux maps up to 16 neighbouring
/// pages on each fault ("fault-around"). In the static release build file pages were ~45 MB of an RSS of
/// ~60 MB before the first citizen.
///
/// After the first frame, `releaseUnusedCodePages()` unmaps those pages (`MADV_DONTNEED`); a calling display
/// does it again whenever a busy moment has settled. They stay in the page
/// cache, so the code the kiosk then runs comes back as minor faults over the first ticket (microseconds each)
/// and nothing is read from disk again; the file pages resident afterwards are what serving citizens uses
/// (~23 MB after 1,000 tickets).
/// Only mappings that hold nothing but the file's own pages are touched: a page the process changed
/// (relocations: the `Anonymous` count in smaps) would be lost, so such mappings are skipped.
/// `MADV_RANDOM` (no fault-around) was tried as well: no lower RSS after 2,000 tickets, and it would also turn
/// off read-ahead if the page cache were ever dropped.
public enum CodePageAdvice {
    /// Unmaps every read-only, file-backed mapping without private changes, and the program's constant tables
    /// that still hold the file's bytes (`ReadOnlyDataPages`); returns how many kB were mapped before (0 when /proc
    /// is unreadable). Code still in use comes back on its next run as minor faults.
    @discardableResult
    public static func releaseUnusedCodePages() -> Int {
        #if canImport(Glibc)
        guard let data = ProcessClock.smaps(), let smaps = String(data: data, encoding: .utf8) else { return 0 }
        var released = 0
        let mappings = Mapping.parse(smaps)
        for mapping in mappings where mapping.isPlainFileCode {
            guard let address = UnsafeMutableRawPointer(bitPattern: mapping.start) else { continue }
            let length = Int(mapping.end - mapping.start)
            if madvise(address, length, MADV_DONTNEED) == 0 {
                released += mapping.rssKB
            }
        }
        return released + ReadOnlyDataPages.release(mappings: mappings)
        #else
        return 0
        #endif
    }

    /// One mapping of `/proc/self/smaps`: its range, permissions, path and the figures used here.
    struct Mapping: Equatable {
        var start: UInt
        var end: UInt
        var permissions: String
        var path: String
        var rssKB = 0
        var anonymousKB = 0
        /// Where in the file the mapping starts.
        var offset: UInt64 = 0

        /// A private, read-only mapping of a regular file (not a device, not shared memory) holding no page the
        /// process changed.
        var isPlainFileCode: Bool {
            permissions.hasPrefix("r") && !permissions.contains("w") && permissions.hasSuffix("p") && anonymousKB == 0
                && path.hasPrefix("/") && !path.hasPrefix("/dev/") && !path.hasPrefix("/memfd:")
        }

        static func parse(_ smaps: String) -> [Mapping] {
            var mappings: [Mapping] = []
            for line in smaps.split(separator: "\n") {
                let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
                if fields.count >= 5, fields[0].contains("-"), fields[1].count == 4 {
                    let range = fields[0].split(separator: "-")
                    guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16) else { continue }
                    let path = fields.count == 6 ? String(fields[5]).trimmingCharacters(in: .whitespaces) : ""
                    mappings.append(Mapping(start: start, end: end, permissions: String(fields[1]), path: path,
                                            offset: UInt64(fields[2], radix: 16) ?? 0))
                } else if fields.count >= 2, !mappings.isEmpty, let kB = Int(fields[1]) {
                    switch fields[0] {
                    case "Rss:": mappings[mappings.count - 1].rssKB = kB
                    case "Anonymous:": mappings[mappings.count - 1].anonymousKB = kB
                    default: break
                    }
                }
            }
            return mappings
        }
    }
}
