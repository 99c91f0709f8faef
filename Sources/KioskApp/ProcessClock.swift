import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Process facts from /proc, for start-up time and memory measurements.
public enum ProcessClock {
    /// Milliseconds since this process was started by the kernel (includes loading and linking).
    public static func millisecondsSinceStart() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return -1 }
        // Fields after the command name; starttime is field 22 overall, i.e. index 19 after ")".
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let startTicks = Double(fields[19]),
              let up = Double(uptime.split(separator: " ").first ?? "") else { return -1 }
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (up - startTicks / ticksPerSecond) * 1000
    }

    /// Resident and proportional set size of this process, in kB (`/proc/self/status`, `/proc/self/smaps_rollup`).
    public static func memoryKB() -> (rss: Int, pss: Int) {
        func value(_ file: String, _ key: String) -> Int {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return -1 }
            for line in text.split(separator: "\n") where line.hasPrefix(key) {
                return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
            }
            return -1
        }
        return (value("/proc/self/status", "VmRSS:"), value("/proc/self/smaps_rollup", "Pss:"))
    }

    /// This process's `/proc/self/smaps` (every mapping with its resident, anonymous … figures); nil if unreadable.
    static func smaps() -> Data? {
        // /proc files report size 0: read to the end rather than by size.
        try? FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/smaps")).readToEnd()
    }

    /// Writes this process's `/proc/self/smaps` and glibc's `malloc_info` report to `<prefix>.smaps` and
    /// `<prefix>.malloc.xml`, so RSS growth can be traced to a mapping (heap, arena, stacks, code) after the run.
    public static func dumpMemory(to prefix: String) {
        if let smaps = smaps() {
            FileManager.default.createFile(atPath: prefix + ".smaps", contents: smaps)
        }
        #if canImport(Glibc)
        typealias MallocInfo = @convention(c) (Int32, UnsafeMutablePointer<FILE>?) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_info"),
              let file = fopen(prefix + ".malloc.xml", "w") else { return }
        _ = unsafeBitCast(symbol, to: MallocInfo.self)(0, file)
        fclose(file)
        #endif
    }
}
