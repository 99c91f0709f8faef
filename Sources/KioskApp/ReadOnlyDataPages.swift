import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The program's own constant tables that the linker put in its writable segment.
///
/// In the static release build `.rodata` (38 MB, 34 MB of it ICU's locale and time-zone data, then the Unicode and
/// TLS tables) shares the writable load segment with `.data` and `.bss`, so `CodePageAdvice` cannot unmap that
/// mapping whole: pages the process wrote would be lost. `.rodata` has no relocations and is only read, so its
/// pages still hold the file's bytes; `release()` unmaps those of them that `/proc/self/pagemap` says are still the
/// file's (never copied on write), and they come back from the page cache on use, like code.
enum ReadOnlyDataPages {
    /// Where `.rodata` lies in the executable file.
    struct Section: Equatable {
        var fileOffset: UInt64
        var size: UInt64
    }

    /// `.rodata` of this executable (nil when the file or its section table cannot be read: nothing is released).
    /// Reads only the ELF header, the section table and the section names.
    static let section: Section? = {
        guard let file = FileHandle(forReadingAtPath: "/proc/self/exe") else { return nil }
        defer { try? file.close() }
        return rodata { offset, count in
            guard (try? file.seek(toOffset: offset)) != nil, let data = try? file.read(upToCount: count), data.count == count else { return nil }
            return [UInt8](data)
        }
    }()

    /// Finds `.rodata` in an ELF64 little-endian file's section table; `read(offset, count)` gives the file's bytes.
    static func rodata(read: (UInt64, Int) -> [UInt8]?) -> Section? {
        func integer(_ bytes: [UInt8], _ at: Int, _ width: Int) -> UInt64 {
            (0..<width).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[at + $1]) }
        }
        guard let head = read(0, 64), head[0..<4] == [0x7F, 0x45, 0x4C, 0x46], head[4] == 2, head[5] == 1 else { return nil }
        let tableOffset = integer(head, 0x28, 8), entrySize = Int(integer(head, 0x3A, 2))
        let count = Int(integer(head, 0x3C, 2)), namesIndex = Int(integer(head, 0x3E, 2))
        guard entrySize >= 64, count > namesIndex, count < 65_536, let table = read(tableOffset, count * entrySize) else { return nil }
        func header(_ index: Int) -> (name: Int, type: UInt64, offset: UInt64, size: UInt64) {
            let at = index * entrySize
            return (Int(integer(table, at, 4)), integer(table, at + 4, 4), integer(table, at + 24, 8), integer(table, at + 32, 8))
        }
        let namesSection = header(namesIndex)
        guard namesSection.size < 1 << 24, let names = read(namesSection.offset, Int(namesSection.size)) else { return nil }
        let wanted = Array(".rodata\0".utf8)
        for index in 0..<count {
            let section = header(index)
            guard section.type == 1 /* PROGBITS */, section.name + wanted.count <= names.count,
                  names[section.name..<(section.name + wanted.count)].elementsEqual(wanted) else { continue }
            return Section(fileOffset: section.offset, size: section.size)
        }
        return nil
    }

    /// The whole pages of `section` inside `mappings` (this executable's, from smaps) as address ranges.
    static func pageRanges(of section: Section, in mappings: [CodePageAdvice.Mapping], pageSize: UInt) -> [Range<UInt>] {
        mappings.compactMap { mapping in
            let length = UInt64(mapping.end - mapping.start)
            let from = max(section.fileOffset, mapping.offset), to = min(section.fileOffset + section.size, mapping.offset + length)
            guard from < to else { return nil }
            let start = mapping.start + UInt(from - mapping.offset), end = mapping.start + UInt(to - mapping.offset)
            let first = (start + pageSize - 1) / pageSize * pageSize, last = end / pageSize * pageSize
            return first < last ? first..<last : nil
        }
    }

    /// Unmaps the resident pages of `.rodata` that still hold the file's bytes; returns how many kB.
    static func release(mappings: [CodePageAdvice.Mapping]) -> Int {
        #if canImport(Glibc)
        guard let section, let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return 0 }
        let pageSize = UInt(sysconf(Int32(_SC_PAGESIZE)))
        let ours = mappings.filter { $0.path == executable && $0.permissions.hasPrefix("rw") && $0.permissions.hasSuffix("p") }
        return pageRanges(of: section, in: ours, pageSize: pageSize).reduce(0) { $0 + releaseCleanPages($1, pageSize: pageSize) }
        #else
        return 0
        #endif
    }

    /// Unmaps the pages of `range` (page-aligned, in a private file mapping) that are resident and still the file's
    /// own; a page written since it was mapped (now anonymous) stays. Returns how many kB.
    static func releaseCleanPages(_ range: Range<UInt>, pageSize: UInt) -> Int {
        #if canImport(Glibc)
        let pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC)
        guard pagemap >= 0 else { return 0 }
        defer { close(pagemap) }
        let count = Int((range.upperBound - range.lowerBound) / pageSize)
        var entries = [UInt64](repeating: 0, count: count)
        let wanted = count * 8
        let read = entries.withUnsafeMutableBytes { pread(pagemap, $0.baseAddress, wanted, off_t(range.lowerBound / pageSize * 8)) }
        guard read == wanted else { return 0 }
        // Bit 63: present; bit 61: a file page (a page copied on write is anonymous).
        var released = 0
        var runStart: Int?
        for index in 0...count {
            let clean = index < count && entries[index] & (1 << 63) != 0 && entries[index] & (1 << 61) != 0
            if clean, runStart == nil { runStart = index }
            if !clean, let first = runStart {
                let address = range.lowerBound + UInt(first) * pageSize
                if madvise(UnsafeMutableRawPointer(bitPattern: address), (index - first) * Int(pageSize), MADV_DONTNEED) == 0 {
                    released += (index - first) * Int(pageSize) / 1024
                }
                runStart = nil
            }
        }
        return released
        #else
        return 0
        #endif
    }
}
