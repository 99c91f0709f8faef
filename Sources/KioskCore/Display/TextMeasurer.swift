/// Measures text as the renderer will draw it. The SDL adapter measures with the real font;
/// tests use `EstimatingTextMeasurer`. Implementations wrapping C font handles used from one
/// thread may declare themselves `@unchecked Sendable`.
public protocol TextMeasurer: Sendable {
    /// The size of `text` drawn on one line at `pointSize`.
    func size(of text: String, pointSize: Double, bold: Bool) -> Size
}

/// A deterministic measurer for tests and for layouts without a font:
/// a CJK (wide) glyph is 1.0 em wide, any other glyph 0.55 em; a line is 1.25 em tall.
public struct EstimatingTextMeasurer: TextMeasurer {
    public init() {}

    public func size(of text: String, pointSize: Double, bold: Bool) -> Size {
        var ems = 0.0
        for character in text {
            ems += character.isWide ? 1.0 : 0.55
        }
        // Round away floating-point dust (4 × 0.55 × 100 = 220.00000000000003) before rounding up.
        let width = ((ems * pointSize * 1000).rounded() / 1000).rounded(.up)
        return Size(width: width, height: ((pointSize * 1.25 * 1000).rounded() / 1000).rounded(.up))
    }
}

extension Character {
    /// True for CJK ideographs, kana, Hangul and full-width forms: glyphs about one em wide,
    /// and places where a line may break without a space.
    var isWide: Bool {
        guard let scalar = unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x2FFFD:
            return true
        default:
            return false
        }
    }
}
