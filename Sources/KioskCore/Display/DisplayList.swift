/// How a line of text sits horizontally in its frame. Text is always centred vertically.
public enum TextAlignment: String, Hashable, Sendable {
    case leading
    case center
    case trailing
}

/// One line of text to draw. The renderer draws `string` in the kiosk font at `pointSize`
/// (bold or regular), aligned in `frame` and centred vertically; layout already made it fit.
public struct TextItem: Hashable, Sendable {
    public var string: String
    public var frame: Rect
    public var pointSize: Double
    public var bold: Bool
    public var color: Color
    public var alignment: TextAlignment

    public init(string: String, frame: Rect, pointSize: Double, bold: Bool, color: Color, alignment: TextAlignment) {
        self.string = string
        self.frame = frame
        self.pointSize = pointSize
        self.bold = bold
        self.color = color
        self.alignment = alignment
    }
}

/// One drawing command. The SDL renderer is one `switch` over these.
public enum DisplayItem: Hashable, Sendable {
    /// A filled rectangle with rounded corners (radius 0 = square).
    case rect(frame: Rect, color: Color, cornerRadius: Double)
    /// A rectangle outline of `lineWidth` pixels drawn inside `frame`.
    case outline(frame: Rect, color: Color, lineWidth: Double, cornerRadius: Double)
    /// A single line of text.
    case text(TextItem)
    /// A QR code of `payload` (UTF-8), dark modules on light, quiet zone included, scaled to fit `frame`.
    case qr(payload: String, frame: Rect)
    /// A named image from the kiosk's assets, scaled to fit `frame`.
    case image(name: String, frame: Rect)
}

/// A touchable area. Touches are matched against the regions of the frame the citizen sees.
public struct HitRegion: Hashable, Sendable {
    /// What a touch here does.
    public var action: KioskAction
    public var frame: Rect
    /// The visible words on the button (for scripted `tap-text` and accessibility).
    public var label: String
    /// False for buttons drawn disabled (closed / quota reached / paused services): touches do nothing.
    public var enabled: Bool

    public init(action: KioskAction, frame: Rect, label: String, enabled: Bool) {
        self.action = action
        self.frame = frame
        self.label = label
        self.enabled = enabled
    }

    /// A stable identifier such as `service:hukou` or `keypad:A`.
    public var id: String { action.id }
}

/// Everything one frame shows, as plain values, in drawing order.
public struct DisplayList: Hashable, Sendable {
    /// The layout size in pixels (before any rotation the renderer applies).
    public var size: Size
    /// Fill the whole screen with this first.
    public var background: Color
    /// Drawing commands, back to front.
    public var items: [DisplayItem]
    /// Touchable areas; later regions are on top.
    public var hitRegions: [HitRegion]

    public init(size: Size, background: Color, items: [DisplayItem] = [], hitRegions: [HitRegion] = []) {
        self.size = size
        self.background = background
        self.items = items
        self.hitRegions = hitRegions
    }

    /// The topmost region under `point`, enabled or not.
    public func hitRegion(at point: Point) -> HitRegion? {
        hitRegions.last { $0.frame.contains(point) }
    }

    /// Every text item, in drawing order.
    public var texts: [TextItem] {
        items.compactMap { item in
            if case .text(let text) = item { return text }
            return nil
        }
    }
}
