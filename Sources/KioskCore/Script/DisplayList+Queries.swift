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

    /// True when some text on screen contains `text` (`expect-text`, `wait-text`). Text split
    /// over several lines is also found, by joining the lines of each block.
    public func containsText(_ text: String) -> Bool {
        let strings = texts.map(\.string)
        if strings.contains(where: { $0.contains(text) }) { return true }
        return strings.joined().contains(text) || strings.joined(separator: " ").contains(text)
    }
}
