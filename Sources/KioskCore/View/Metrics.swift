/// Sizes derived from the screen: one `unit` is a pixel on a 1080-pixel short side.
/// Large-text mode scales fonts (and with them buttons) by 1.3.
struct Metrics: Hashable, Sendable {
    var size: Size
    var unit: Double
    var textScale: Double

    init(size: Size, largeText: Bool) {
        // A broken size from an adapter must not crash the layout: treat it as one pixel.
        func sane(_ value: Double) -> Double { value.isFinite && value >= 1 ? value : 1 }
        let size = Size(width: sane(size.width), height: sane(size.height))
        self.size = size
        self.unit = max(0.3, min(size.width, size.height) / 1080)
        self.textScale = largeText ? 1.3 : 1.0
    }

    var bounds: Rect { Rect(x: 0, y: 0, width: size.width, height: size.height) }
    var margin: Double { (32 * unit).rounded() }
    var gap: Double { (20 * unit).rounded() }
    var padding: Double { (18 * unit).rounded() }
    var cornerRadius: Double { (14 * unit).rounded() }
    /// The smallest touch target: 120 px on a 1080-pixel short side.
    var touch: Double { (120 * unit).rounded() }
    var isLargeText: Bool { textScale > 1 }

    /// A font size from its size at 1080 pixels in normal mode.
    func font(_ base: Double) -> Double { (base * unit * textScale).rounded() }

    /// A font size that large-text mode leaves alone (header: hall name, date, clock) — but never below
    /// `largeTextFloor` there.
    func fixedFont(_ base: Double) -> Double { max((base * unit).rounded(), largeTextFloor) }

    /// In large-text mode no label is drawn smaller than this (what was the smallest label, 26 px at 1080, made
    /// large): text that does not fit wraps or is cut short, it never shrinks below. 0 in normal mode.
    var largeTextFloor: Double { isLargeText ? font(26) : 0 }

    /// Height of a line of text of `pointSize`.
    func line(_ pointSize: Double) -> Double { TextFitter.lineHeight(pointSize) }
}
