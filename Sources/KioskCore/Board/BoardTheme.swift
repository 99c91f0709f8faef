/// The calling displays' colours: light text on a dark blue ground, as hall screens are (readable from across the
/// hall, no glare). Every text colour keeps ≥ 4.5:1 against what it is drawn on (`BoardThemeTests` measures it).
struct BoardTheme: Hashable, Sendable {
    var background = Color(hex: 0x0A1A33)
    var panel = Color(hex: 0x12294D)
    var panelOutline = Color(hex: 0x3A5A8C)
    var text = Color(hex: 0xFFFFFF)
    var mutedText = Color(hex: 0xC9D6EA)
    /// Ticket numbers.
    var number = Color(hex: 0xFFD84D)
    /// Window names.
    var window = Color(hex: 0x8CF0A0)
    /// A highlighted (new) call: dark text on yellow.
    var highlight = Color(hex: 0xFFD84D)
    var highlightText = Color(hex: 0x0A1A33)
    /// The featured number's dim blink phase (still readable: ≥ 4.5:1 on the panel).
    var dimNumber = Color(hex: 0xB8A04A)
    /// Tags: 重呼, priority.
    var tag = Color(hex: 0xFFB060)
    var tagText = Color(hex: 0x0A1A33)
    /// Closed / paused windows.
    var closedText = Color(hex: 0xC9D6EA)
    /// The lost-connection banner.
    var alarm = Color(hex: 0xB3261E)
    var alarmText = Color(hex: 0xFFFFFF)

    static let standard = BoardTheme()

    /// The kiosk palette the canvas needs (only its background is used by the board views).
    var canvasTheme: Theme {
        var theme = Theme.normal
        theme.background = background
        return theme
    }
}
