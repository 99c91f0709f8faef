#if canImport(Glibc)
import Glibc
#endif

/// glibc malloc settings for a program that runs for months: few arenas, and freed memory handed back to the
/// system when a citizen is done (the functions are in <malloc.h>, which Swift's Glibc module does not import).
public enum MallocTuning {
    /// Two malloc arenas instead of glibc's eight per core: the kiosk's few background threads (HTTP, printing,
    /// outbox) allocate little, and extra arenas only hold on to freed memory.
    ///
    /// Also fixes the mmap threshold at 128 KiB: glibc otherwise raises it to the size of each large block freed,
    /// after which rendered text and QR images (100 KiB–1 MiB, a new one for every ticket number) are cut from the
    /// heap and leave holes that the heap never gives back — the soak's RSS crept up by megabytes over 10,000
    /// cycles while the memory in use stayed flat. Blocks this large are mapped and unmapped on their own instead.
    public static func limitArenas() {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mArenaMax: Int32 = -8  // M_ARENA_MAX
        let mMmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD (setting it turns off the dynamic threshold)
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            _ = mallopt(mArenaMax, 2)
            _ = mallopt(mMmapThreshold, 128 * 1024)
        }
        #endif
    }

    /// Returns free heap pages to the system (`malloc_trim(0)`); about a millisecond, done when a screen
    /// sequence ends (back home), never in the middle of a touch.
    public static func trim() {
        #if canImport(Glibc)
        typealias MallocTrim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        }
        #endif
    }
}
