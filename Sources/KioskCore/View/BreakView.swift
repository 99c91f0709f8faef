import Foundation
import HallAPI

extension Wording {
    /// A break reason in this language: the hall's standard reasons (`[console] breakReasons`: 午休, 会议, 临时离开,
    /// 系统维护) have their words in the catalogues (`break.reason.…`); any other reason is shown as the clerk wrote it.
    func breakReason(_ reason: String) -> String {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        return StringKey(rawValue: "break.reason." + trimmed).map { self($0) } ?? trimmed
    }

    /// "原因：午休" / "Reason: Lunch break"; nil for a break without a reason.
    func breakBecause(_ reason: String) -> String? {
        let words = breakReason(reason)
        return words.isEmpty ? nil : self(.breakBecause, ["reason": words])
    }
}

extension Canvas {
    /// The rating device while its clerk is on a break (暂停服务): the words and the reason in the device's language,
    /// the same in the other language under them, and where to go meanwhile.
    mutating func drawBreakNotice(reason: String, in area: Rect, words: Wording) {
        var lines = [
            Line(text: words(.breakTitle), size: metrics.font(72), bold: true, color: theme.warningText, maxLines: 2),
            Line(text: words.other(.breakTitle), size: metrics.font(40), bold: true, color: theme.mutedText, maxLines: 2),
        ]
        if let because = words.breakBecause(reason) {
            lines.append(Line(text: because, size: metrics.font(48), bold: true, color: theme.text, maxLines: 2))
            if let other = words.other.breakBecause(reason), other != because {
                lines.append(Line(text: other, size: metrics.font(34), color: theme.mutedText, maxLines: 2))
            }
        }
        lines.append(Line(text: words(.breakBody), size: metrics.font(36), color: theme.text, maxLines: 3))
        lines.append(Line(text: words.other(.breakBody), size: metrics.font(28), color: theme.mutedText, maxLines: 2))
        column(lines, in: area)
    }
}
