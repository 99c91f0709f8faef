/// The colours of one palette. Normal: dark blue on light grey. High contrast: black
/// background, white text, yellow buttons. Both keep text contrast ≥ 7:1.
struct Theme: Hashable, Sendable {
    var background: Color
    var headerBackground: Color
    var headerText: Color
    var text: Color
    var mutedText: Color
    var accentText: Color
    var warningText: Color
    var card: Color
    var cardOutline: Color
    var primary: Color
    var primaryText: Color
    var primaryPressed: Color
    var secondary: Color
    var secondaryText: Color
    var secondaryPressed: Color
    var selected: Color
    var selectedText: Color
    var disabled: Color
    var disabledText: Color
    var outline: Color

    static func palette(highContrast: Bool) -> Theme { highContrast ? .highContrast : .normal }

    static let normal = Theme(
        background: Color(hex: 0xF2F4F7), headerBackground: Color(hex: 0x12467B), headerText: Color(hex: 0xFFFFFF),
        text: Color(hex: 0x1A1A1A), mutedText: Color(hex: 0x3D4852), accentText: Color(hex: 0x0D47A1),
        warningText: Color(hex: 0xA4170F), card: Color(hex: 0xFFFFFF), cardOutline: Color(hex: 0xB8C2CC),
        primary: Color(hex: 0x13509A), primaryText: Color(hex: 0xFFFFFF), primaryPressed: Color(hex: 0x0B3566),
        secondary: Color(hex: 0xFFFFFF), secondaryText: Color(hex: 0x12467B), secondaryPressed: Color(hex: 0xDCE7F5),
        selected: Color(hex: 0x12467B), selectedText: Color(hex: 0xFFFFFF),
        disabled: Color(hex: 0xDCE1E6), disabledText: Color(hex: 0x3B434B), outline: Color(hex: 0x12467B))

    static let highContrast = Theme(
        background: Color(hex: 0x000000), headerBackground: Color(hex: 0x000000), headerText: Color(hex: 0xFFFFFF),
        text: Color(hex: 0xFFFFFF), mutedText: Color(hex: 0xFFFFFF), accentText: Color(hex: 0xFFD400),
        warningText: Color(hex: 0xFFD400), card: Color(hex: 0x000000), cardOutline: Color(hex: 0xFFFFFF),
        primary: Color(hex: 0xFFD400), primaryText: Color(hex: 0x000000), primaryPressed: Color(hex: 0xFFFFFF),
        secondary: Color(hex: 0x000000), secondaryText: Color(hex: 0xFFD400), secondaryPressed: Color(hex: 0x4D4000),
        selected: Color(hex: 0xFFFFFF), selectedText: Color(hex: 0x000000),
        disabled: Color(hex: 0x262626), disabledText: Color(hex: 0xFFFFFF), outline: Color(hex: 0xFFD400))
}
