/// What the ticket renderer remembers about a run of text at one size and weight: its width, line skip and
/// rendered coverage mask. Most of a ticket's text is the same on every ticket (the hall's name, the labels,
/// the notes at the foot), so a ticket renders only its number, counts and time; the rest is copied from here
/// without touching the font, whose glyph cache every size change empties.
///
/// Bounded: two generations of at most `budgetBytes / 2` of masks each; when the current one fills it
/// becomes the old one and the old one is dropped, so strings every ticket uses stay while one-off numbers go.
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
    private var widths: [Key: Int] = [:]
    private var oldWidths: [Key: Int] = [:]
    private var masks: [Key: Mask] = [:]
    private var oldMasks: [Key: Mask] = [:]
    private var maskBytes = 0
    private(set) var lookups = 0
    private(set) var hits = 0

    init(budgetBytes: Int = 1 << 20) {
        self.budgetBytes = budgetBytes
    }

    /// The remembered width of `key`, or `measure()`'s answer (then remembered).
    mutating func width(_ key: Key, measure: () -> Int) -> Int {
        if let width = widths[key] { return width }
        let width = oldWidths[key] ?? measure()
        if widths.count >= 512 { oldWidths = widths; widths.removeAll(keepingCapacity: true) }
        widths[key] = width
        return width
    }

    /// The remembered mask of `key`, or `render()`'s (then remembered); `nil` when rendering failed.
    mutating func mask(_ key: Key, render: () -> Mask?) -> Mask? {
        lookups += 1
        if let mask = masks[key] { hits += 1; return mask }
        if let mask = oldMasks[key] {
            hits += 1
            remember(key, mask)
            return mask
        }
        guard let mask = render() else { return nil }
        remember(key, mask)
        return mask
    }

    private mutating func remember(_ key: Key, _ mask: Mask) {
        if maskBytes + mask.bytes.count > budgetBytes / 2 {
            oldMasks = masks
            masks.removeAll(keepingCapacity: true)
            maskBytes = 0
        }
        masks[key] = mask
        maskBytes += mask.bytes.count
    }
}
