extension DisplayList {
    /// The enabled hit region whose label contains `text` (first in drawing order), for `tap-text`.
    /// Falls back to a disabled region so a script can still tap it (and see nothing happen).
    public func hitRegion(labelContaining text: String) -> HitRegion? {
        hitRegions.first { $0.enabled && $0.label.contains(text) } ?? hitRegions.first { $0.label.contains(text) }
    }

    /// Where `tap-text` taps: the centre of the region whose label contains `text`.
    public func tapPoint(forLabelContaining text: String) -> Point? {
        hitRegion(labelContaining: text)?.frame.center
    }

    /// True when some text on screen contains `text` (`expect-text`, `wait-text`). Text wrapped over several
    /// lines is also found, by joining the lines of each block (with and without a space), never words of
    /// different blocks.
    public func containsText(_ text: String) -> Bool {
        textBlocks.contains { lines in
            lines.contains { $0.contains(text) } || lines.joined().contains(text)
                || lines.joined(separator: " ").contains(text)
        }
    }

    /// The text on screen as blocks: the lines of one wrapped text (drawn one under the next, same left edge,
    /// width, size and weight) form one block.
    public var textBlocks: [[String]] {
        var blocks: [[String]] = []
        var previous: TextItem?
        for item in texts {
            if let last = previous, last.pointSize == item.pointSize, last.bold == item.bold,
               last.frame.x == item.frame.x, last.frame.width == item.frame.width,
               abs(item.frame.minY - last.frame.maxY) <= 1, !blocks.isEmpty {
                blocks[blocks.count - 1].append(item.string)
            } else {
                blocks.append([item.string])
            }
            previous = item
        }
        return blocks
    }
}
