#if canImport(Glibc)
import Glibc
#endif

/// glibc malloc settings for a program that runs for months: few arenas, and freed memory handed back to the
/// system when a citizen is done (the functions are in <malloc.h>, which Swift's Glibc module does not import).
public enum MallocTuning {
    /// Two malloc arenas instead of glibc's eight per core: the kiosk's few background threads (HTTP, printing,
    /// outbox) allocate little, and extra arenas only hold on to freed memory.
    public static func limitArenas() {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mArenaMax: Int32 = -8  // M_ARENA_MAX
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            _ = unsafeBitCast(symbol, to: Mallopt.self)(mArenaMax, 2)
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
