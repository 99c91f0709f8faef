import Foundation

/// Remembers measurements of another measurer (a real font is slow to measure and layouts
/// measure the same strings every frame). Thread-safe; the cache is cleared when it grows past
/// `limit` entries, so memory stays flat over months of running.
public final class CachingTextMeasurer: TextMeasurer, @unchecked Sendable {
    private struct Key: Hashable {
        var text: String
        var pointSize: Double
        var bold: Bool
    }

    private let base: any TextMeasurer
    private let limit: Int
    private let lock = NSLock()
    private var cache: [Key: Size] = [:]

    public init(_ base: any TextMeasurer, limit: Int = 20_000) {
        self.base = base
        self.limit = limit
    }

    public func size(of text: String, pointSize: Double, bold: Bool) -> Size {
        let key = Key(text: text, pointSize: pointSize, bold: bold)
        lock.lock()
        if let known = cache[key] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let measured = base.size(of: text, pointSize: pointSize, bold: bold)
        lock.lock()
        if cache.count >= limit { cache.removeAll(keepingCapacity: true) }
        cache[key] = measured
        lock.unlock()
        return measured
    }

    /// Number of remembered measurements (for tests and diagnostics).
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return cache.count
    }
}
