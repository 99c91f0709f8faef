import Foundation

/// Remembers measurements of another measurer (a real font is slow to measure and layouts
/// measure the same strings every frame). Thread-safe and bounded for months of running: two
/// generations of at most `limit / 2` entries each — when the young one is full it becomes the old
/// one and the previous old one is dropped, and a string found in the old generation moves back to
/// the young one. Strings every frame uses (service names, buttons) stay; one-off strings (ticket
/// numbers, typed lookups) age out.
public final class CachingTextMeasurer: TextMeasurer, @unchecked Sendable {
    private struct Key: Hashable {
        var text: String
        var pointSize: Double
        var bold: Bool
    }

    private let base: any TextMeasurer
    private let lock = NSLock()
    private var sizes: TwoGenerationCache<Key, Size>

    /// - Parameter limit: most measurements kept (a kiosk's screens show a few hundred distinct strings).
    public init(_ base: any TextMeasurer, limit: Int = 2048) {
        self.base = base
        self.sizes = TwoGenerationCache(limit: max(1, limit / 2))
    }

    public func size(of text: String, pointSize: Double, bold: Bool) -> Size {
        let key = Key(text: text, pointSize: pointSize, bold: bold)
        if let known = lock.withLock({ sizes.value(for: key) }) { return known }
        let measured = base.size(of: text, pointSize: pointSize, bold: bold)
        lock.withLock { sizes.insert(measured, for: key) }
        return measured
    }

    /// Number of remembered measurements (for tests and diagnostics).
    public var count: Int { lock.withLock { sizes.count } }
}
