import KioskCore

/// What the ticket renderer remembers about a run of text at one size and weight: its width and rendered
/// coverage mask. Most of a ticket's text is the same on every ticket (the hall's name, the labels,
/// the notes at the foot), so a ticket renders only its number, counts and time; the rest is copied from here
/// without touching the font, whose glyph cache every size change empties.
///
/// Bounded (`TwoGenerationCache`): masks in two generations of at most `budgetBytes / 2` each, widths in two of
/// 512 entries, so strings every ticket uses stay while one-off numbers go.
struct TextRunCache {
    struct Key: Hashable {
        var text: String
        var size: Int
        var bold: Bool
    }

    /// An 8-bit coverage mask, `width` bytes per row (0 = paper, 255 = ink).
    struct Mask {
        var bytes: [UInt8]
        var width: Int
        var height: Int
    }

    let budgetBytes: Int
    private var widths = TwoGenerationCache<Key, Int>(limit: 512)
    private var masks: TwoGenerationCache<Key, Mask>
    private(set) var lookups = 0
    private(set) var hits = 0

    init(budgetBytes: Int = 1 << 20) {
        self.budgetBytes = budgetBytes
        masks = TwoGenerationCache(limit: budgetBytes / 2, cost: { $0.bytes.count })
    }

    /// The remembered width of `key`, or `measure()`'s answer (then remembered).
    mutating func width(_ key: Key, measure: () -> Int) -> Int {
        if let width = widths.value(for: key) { return width }
        let width = measure()
        widths.insert(width, for: key)
        return width
    }

    /// The remembered mask of `key`, or `render()`'s (then remembered); `nil` when rendering failed.
    mutating func mask(_ key: Key, render: () -> Mask?) -> Mask? {
        lookups += 1
        if let mask = masks.value(for: key) {
            hits += 1
            return mask
        }
        guard let mask = render() else { return nil }
        masks.insert(mask, for: key)
        return mask
    }
}
