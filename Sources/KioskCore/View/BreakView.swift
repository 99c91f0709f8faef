import Foundation
import HallAPI

extension Wording {
    /// A break reason in this language: the hall's standard reasons (`[console] breakReasons`: 午休, 会议, 临时离开,
    /// 系统维护) have their words in the catalogues (`break.reason.…`), and so does a return time the clerk typed after
    /// a "·" ("午休 · 13:30 回来" → "Lunch break · back at 13:30"); any other words are shown as the clerk wrote them.
    func breakReason(_ reason: String) -> String {
        reason.split(separator: "·").map { part in
            let trimmed = part.trimmingCharacters(in: .whitespacesAndNewlines)
            if let key = StringKey(rawValue: "break.reason." + trimmed) { return self(key) }
            if let time = Self.returnTime(trimmed) { return self(.breakBackAt, ["time": time]) }
            return trimmed
        }.filter { !$0.isEmpty }.joined(separator: " · ")
    }

    /// "13:30" from "13:30 回来" / "13:30回来" / "回来 13:30"; nil otherwise.
    static func returnTime(_ words: String) -> String? {
        let rest = words.replacingOccurrences(of: "回来", with: "").trimmingCharacters(in: .whitespaces)
        guard rest != words, rest.count >= 4, rest.count <= 5 else { return nil }
        let parts = rest.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), parts[1].count == 2,
              (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return String(format: "%02d:%02d", hour, minute)
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
