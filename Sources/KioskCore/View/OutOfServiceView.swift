import HallAPI

extension Canvas {
    /// The hall is closed: today's hours, come back later, ask at the desk; lookup and rating (a service of the
    /// last days) still work, and so do the reading aids.
    mutating func drawClosed(_ state: KioskState, todayHours: [OpeningSession], words: Wording) {
        let content = header(state, words)
        let area = bottomButtons([
            (.openLookup, words(.homeLookup), .secondary),
            (.openRating, words(.homeRate), .secondary),
        ] + readingAids(state, words), in: content)
        let hours = todayHours.isEmpty
            ? words(.closedNoHoursToday) : words(.closedHours, ["hours": words.hours(todayHours)])
        // When numbers are given out next: "今日已闭厅 · 明天 08:30 开始取号"; later today keeps "现在不是办公时间".
        let opening = state.hall.flatMap(HallOpening.next)
        let title = opening.map { $0.inDays > 0 ? words(.closedToday) : words(.closedTitle) } ?? words(.closedTitle)
        var lines = [Line(text: title, size: metrics.font(64), bold: true, color: theme.text, maxLines: 2)]
        if let opening {
            lines.append(Line(text: words.hallOpening(opening), size: metrics.font(52), bold: true, color: theme.accentText,
                              maxLines: 2))
        }
        lines.append(Line(text: hours, size: metrics.font(42), color: theme.text, maxLines: 3))
        if opening == nil {
            lines.append(Line(text: words(.closedComeBack), size: metrics.font(38), color: theme.text, maxLines: 2))
        }
        lines.append(Line(text: words(.commonHelpDesk), size: metrics.font(38), color: theme.text, maxLines: 2))
        column(lines, in: area)
    }

    /// The hall server cannot be reached: say so plainly, and where to get help.
    mutating func drawOffline(_ state: KioskState, words: Wording) {
        let content = header(state, words)
        let area = bottomButtons(readingAids(state, words), in: content)
        var lines = [
            Line(text: words(.offlineTitle), size: metrics.font(64), bold: true, color: theme.text, maxLines: 2),
            Line(text: words(.offlineBody), size: metrics.font(40), color: theme.text, maxLines: 2),
            Line(text: words(.commonHelpDesk), size: metrics.font(40), bold: true, color: theme.text, maxLines: 2),
        ]
        if let hours = state.hall?.todayHours, !hours.isEmpty {
            lines.append(Line(text: words(.closedHours, ["hours": words.hours(hours)]), size: metrics.font(34),
                              color: theme.mutedText, maxLines: 2))
        }
        column(lines, in: area)
    }

    /// Language, large text and high contrast, as on the home screen.
    private func readingAids(_ state: KioskState, _ words: Wording) -> [(KioskAction, String, ButtonStyle)] {
        [(.toggleLanguage, words(.toggleLanguage), .secondary),
         (.toggleLargeText, words(.toggleLargeText), state.largeText ? .selected : .secondary),
         (.toggleHighContrast, words(.toggleHighContrast), state.highContrast ? .selected : .secondary)]
    }
}
