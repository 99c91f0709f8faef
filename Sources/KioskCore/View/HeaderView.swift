import HallAPI

extension Canvas {
    /// The band at the top of every screen: hall name and date on the left, the clock on the right.
    /// Returns the area below it, inside the screen margins.
    mutating func header(_ state: KioskState, _ words: Wording) -> Rect {
        let bounds = metrics.bounds
        let margin = metrics.margin
        let nameSize = metrics.fixedFont(44), dateSize = metrics.fixedFont(30), clockSize = metrics.fixedFont(64)
        let verticalPadding = (margin * 0.6).rounded()
        let height = (2 * verticalPadding + metrics.line(nameSize) + metrics.line(dateSize)).rounded()
        let band = Rect(x: 0, y: 0, width: bounds.width, height: height)
        fill(band, theme.headerBackground)
        if theme.headerBackground == theme.background {
            fill(Rect(x: 0, y: height - 3, width: bounds.width, height: 3), theme.outline)
        }

        let timeZone = Wording.timeZone(of: state.hall)
        let clock = Wording.clock(state.now, in: timeZone)
        let clockWidth = fitter.width("00:00", clockSize, bold: true) + margin
        let inner = band.insetBy(dx: margin, dy: verticalPadding)
        let (left, clockArea) = inner.slicedFromLeft(inner.width - clockWidth)
        text(clock, in: clockArea, size: clockSize, minimum: (clockSize * 0.6).rounded(), bold: true,
             color: theme.headerText, alignment: .trailing)

        let (nameRow, dateRow) = left.slicedFromTop(metrics.line(nameSize))
        let hallName = state.hall?.name.text(in: words.language) ?? ""
        if !hallName.isEmpty {
            text(hallName, in: nameRow, size: nameSize, minimum: (nameSize * 0.6).rounded(), bold: true,
                 color: theme.headerText)
        }
        text(words.date(state.now, in: timeZone), in: dateRow, size: dateSize, color: theme.headerText)

        let below = band.maxY + metrics.gap
        return Rect(x: margin, y: below, width: bounds.width - 2 * margin, height: bounds.height - below - margin)
    }
}
