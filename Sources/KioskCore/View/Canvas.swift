import HallAPI

/// How a button looks.
enum ButtonStyle: Hashable, Sendable {
    /// Filled: the main choices (services, 查询).
    case primary
    /// Outlined: navigation and toggles.
    case secondary
    /// A toggle that is on, or the selected tab.
    case selected
}

/// Collects drawing commands and hit regions while a view lays out a screen.
struct Canvas {
    let metrics: Metrics
    let theme: Theme
    let fitter: TextFitter
    let pressed: KioskAction?
    /// The home screen offers check-in ("刷身份证取号", the booking code keypad).
    var checkinOffered = false
    private(set) var items: [DisplayItem] = []
    private(set) var regions: [HitRegion] = []

    init(metrics: Metrics, theme: Theme, measurer: any TextMeasurer, pressed: KioskAction?) {
        self.metrics = metrics
        self.theme = theme
        self.fitter = TextFitter(measurer: measurer)
        self.pressed = pressed
    }

    func displayList() -> DisplayList {
        DisplayList(size: metrics.size, background: theme.background, items: items, hitRegions: regions)
    }

    mutating func fill(_ frame: Rect, _ color: Color, radius: Double = 0) {
        items.append(.rect(frame: frame.pixelAligned, color: color, cornerRadius: radius))
    }

    mutating func stroke(_ frame: Rect, _ color: Color, width: Double, radius: Double) {
        items.append(.outline(frame: frame.pixelAligned, color: color, lineWidth: width, cornerRadius: radius))
    }

    mutating func image(_ name: String, _ frame: Rect) {
        items.append(.image(name: name, frame: frame.pixelAligned))
    }

    mutating func qr(_ payload: String, _ frame: Rect) {
        items.append(.qr(payload: payload, frame: frame.pixelAligned))
    }

    /// Marks the region of `action` disabled (its look is already drawn).
    mutating func disableRegion(_ action: KioskAction) {
        for index in regions.indices where regions[index].action == action { regions[index].enabled = false }
    }

    /// Keeps the hit region of `action` (drawn disabled) answering a touch.
    mutating func answersTouch(_ action: KioskAction) {
        for index in regions.indices where regions[index].action == action { regions[index].enabled = true }
    }

    mutating func region(_ action: KioskAction, _ frame: Rect, label: String, enabled: Bool) {
        regions.append(HitRegion(action: action, frame: frame.pixelAligned, label: label, enabled: enabled))
    }

    /// Breaks and shrinks `text` to fit `width` (and `height`), from `size` down to `minimum` (default 80 %).
    /// In large-text mode neither the size nor the minimum goes below `Metrics.largeTextFloor`.
    func fit(_ text: String, width: Double, height: Double = .infinity, size: Double, minimum: Double? = nil,
             bold: Bool = false, maxLines: Int = 1) -> FittedText {
        let floor = metrics.largeTextFloor
        let preferred = max(size, floor)
        return fitter.fit(text, width: width, height: height, preferred: preferred,
                          minimum: max(minimum ?? (size * 0.8).rounded(), floor), bold: bold, maxLines: maxLines)
    }

    /// Draws fitted lines centred vertically in `frame`.
    mutating func draw(_ fitted: FittedText, in frame: Rect, color: Color, bold: Bool, alignment: TextAlignment) {
        var y = (frame.midY - fitted.height / 2).rounded()
        for line in fitted.lines where !line.isEmpty {
            let lineFrame = Rect(x: frame.x, y: y, width: frame.width, height: fitted.lineHeight).pixelAligned
            items.append(.text(TextItem(string: line, frame: lineFrame, pointSize: fitted.pointSize, bold: bold,
                                        color: color, alignment: alignment)))
            y += fitted.lineHeight
        }
    }

    /// Fits and draws `text` in `frame`; returns what was drawn.
    @discardableResult
    mutating func text(_ text: String, in frame: Rect, size: Double, minimum: Double? = nil, bold: Bool = false,
                       color: Color, alignment: TextAlignment = .leading, maxLines: Int = 1) -> FittedText {
        let fitted = fit(text, width: frame.width, height: frame.height, size: size, minimum: minimum, bold: bold,
                         maxLines: maxLines)
        draw(fitted, in: frame, color: color, bold: bold, alignment: alignment)
        return fitted
    }

    /// Draws a bilingual label as one block centred vertically in `frame`: `first` (the citizen's language, bold,
    /// shrinking to `minimum` and wrapping to `maxLines`) over `second` (the other language, small, up to
    /// `secondMaxLines`), so a citizen reading either language finds the button without switching.
    /// Returns the height drawn.
    @discardableResult
    mutating func bilingualText(_ first: String, _ second: String?, in frame: Rect, size: Double, minimum: Double,
                                maxLines: Int, secondSize: Double, secondMaxLines: Int = 1, color: Color,
                                alignment: TextAlignment = .leading) -> Double {
        let small = second.map { fit($0, width: frame.width, size: secondSize, minimum: (secondSize * 0.8).rounded(),
                                     maxLines: secondMaxLines) }
        let smallHeight = small?.height ?? 0
        let big = fit(first, width: frame.width, height: max(0, frame.height - smallHeight), size: size, minimum: minimum,
                      bold: true, maxLines: maxLines)
        let top = (frame.midY - (big.height + smallHeight) / 2).rounded()
        draw(big, in: Rect(x: frame.x, y: top, width: frame.width, height: big.height), color: color, bold: true,
             alignment: alignment)
        if let small {
            draw(small, in: Rect(x: frame.x, y: top + big.height, width: frame.width, height: smallHeight), color: color,
                 bold: false, alignment: alignment)
        }
        return big.height + smallHeight
    }

    /// Background colour and text colour of a button in `style`.
    func colors(_ style: ButtonStyle, action: KioskAction, enabled: Bool) -> (fill: Color, text: Color, outline: Color?) {
        guard enabled else { return (theme.disabled, theme.disabledText, nil) }
        let isPressed = pressed == action
        switch style {
        case .primary:
            return (isPressed ? theme.primaryPressed : theme.primary, theme.primaryText, nil)
        case .secondary:
            return (isPressed ? theme.secondaryPressed : theme.secondary, theme.secondaryText, theme.outline)
        case .selected:
            return (isPressed ? theme.primaryPressed : theme.selected, theme.selectedText, nil)
        }
    }

    /// Draws a button's background and registers its hit region; the caller draws its content.
    mutating func buttonBackground(_ action: KioskAction, _ frame: Rect, style: ButtonStyle, label: String,
                                   enabled: Bool = true) -> (text: Color, inner: Rect) {
        let colors = colors(style, action: action, enabled: enabled)
        fill(frame, colors.fill, radius: metrics.cornerRadius)
        if let outline = colors.outline {
            stroke(frame, outline, width: max(2, (3 * metrics.unit).rounded()), radius: metrics.cornerRadius)
        }
        region(action, frame, label: label, enabled: enabled)
        return (colors.text, frame.insetBy(dx: metrics.padding, dy: (metrics.padding * 0.6).rounded()))
    }

    /// A button with a centred label (up to two lines).
    mutating func button(_ action: KioskAction, _ frame: Rect, label: String, style: ButtonStyle,
                         size: Double, enabled: Bool = true) {
        let (color, inner) = buttonBackground(action, frame, style: style, label: label, enabled: enabled)
        text(label, in: inner, size: size, minimum: (size * 0.7).rounded(), bold: true, color: color,
             alignment: .center, maxLines: 2)
    }
}
