/// Text broken into lines at one point size, ready to place.
struct FittedText: Hashable, Sendable {
    var lines: [String]
    var pointSize: Double
    var lineHeight: Double
    var height: Double { lineHeight * Double(lines.count) }
}

/// Makes text fit a box: wraps (CJK anywhere, Latin at spaces), shrinks down to a minimum size,
/// and as a last resort cuts the last line with "…". The result always fits when measured.
struct TextFitter {
    var measurer: any TextMeasurer

    /// Line height used by layouts for `pointSize`.
    static func lineHeight(_ pointSize: Double) -> Double { (pointSize * 1.3).rounded(.up) }

    func width(_ text: String, _ pointSize: Double, bold: Bool) -> Double {
        measurer.size(of: text, pointSize: pointSize, bold: bold).width
    }

    /// Fits `text` into `width` × `height` with at most `maxLines` lines, trying sizes from
    /// `preferred` down to `minimum`.
    func fit(_ text: String, width: Double, height: Double = .infinity, preferred: Double, minimum: Double,
             bold: Bool, maxLines: Int = 1) -> FittedText {
        var size = preferred.rounded()
        let floor = min(minimum, preferred).rounded()
        // Most labels fit on one line at their preferred size: one measurement.
        if !text.contains("\n"), Self.lineHeight(size) <= height + 0.5, self.width(text, size, bold: bold) <= width {
            return FittedText(lines: [text], pointSize: size, lineHeight: Self.lineHeight(size))
        }
        while true {
            let lines = wrap(text, width: width, pointSize: size, bold: bold, breakWords: false)
            let lineHeight = Self.lineHeight(size)
            if lines.count <= maxLines, lineHeight * Double(lines.count) <= height + 0.5,
               lines.allSatisfy({ self.width($0, size, bold: bold) <= width }) {
                return FittedText(lines: lines, pointSize: size, lineHeight: lineHeight)
            }
            if size <= floor { break }
            size = max(floor, size - max(1, (size * 0.06).rounded()))
        }
        return truncated(text, width: width, height: height, pointSize: floor, bold: bold, maxLines: maxLines)
    }

    /// Greedy line breaking: CJK glyphs may break anywhere, other text at spaces; a word longer
    /// than the line is broken between characters only when `breakWords` is set.
    func wrap(_ text: String, width: Double, pointSize: Double, bold: Bool, breakWords: Bool = true) -> [String] {
        var lines: [String] = []
        var current = ""
        func breakOverlongWord() {
            while breakWords, self.width(current, pointSize, bold: bold) > width, current.count > 1 {
                var head = ""
                for character in current {
                    if self.width(head + String(character), pointSize, bold: bold) > width, !head.isEmpty { break }
                    head.append(character)
                }
                lines.append(head)
                current = String(current.dropFirst(head.count))
            }
        }
        for token in Self.tokens(text) {
            let candidate = current + token
            if current.isEmpty || self.width(candidate.trimmingTrailingSpaces, pointSize, bold: bold) <= width {
                current = candidate
            } else {
                // Prefer to end the line after a comma or full stop in its second half.
                let (line, carried) = Self.splitAtPhrase(current)
                lines.append(line.trimmingTrailingSpaces)
                current = carried.isEmpty ? String(token.drop { $0 == " " }) : carried + token
            }
            breakOverlongWord()
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current.trimmingTrailingSpaces) }
        return lines
    }

    private func truncated(_ text: String, width: Double, height: Double, pointSize: Double, bold: Bool,
                           maxLines: Int) -> FittedText {
        let lineHeight = Self.lineHeight(pointSize)
        let linesByHeight = lineHeight > 0 ? (height + 0.5) / lineHeight : Double(maxLines)
        let fittingLines = linesByHeight >= Double(maxLines) ? max(1, maxLines) : max(1, Int(linesByHeight))
        var lines = Array(wrap(text, width: width, pointSize: pointSize, bold: bold).prefix(fittingLines))
        if var last = lines.popLast() {
            last += "…"
            while self.width(last, pointSize, bold: bold) > width, last.count > 1 {
                last.remove(at: last.index(last.endIndex, offsetBy: -2))
            }
            lines.append(last)
        }
        return FittedText(lines: lines, pointSize: pointSize, lineHeight: lineHeight)
    }

    /// Punctuation after which a line break reads best in Chinese.
    static let phraseEnds: Set<Character> = ["，", "。", "；", "：", "、", "！", "？"]

    /// Splits a full line after its last phrase end in the second half, if there is one.
    static func splitAtPhrase(_ line: String) -> (line: String, carried: String) {
        let characters = Array(line)
        guard let index = characters.lastIndex(where: { phraseEnds.contains($0) }),
              index + 1 < characters.count, index + 1 >= (characters.count + 1) / 2 else { return (line, "") }
        return (String(characters[...index]), String(characters[(index + 1)...]))
    }

    /// Punctuation that must not begin a line.
    static let closingPunctuation: Set<Character> = ["，", "。", "、", "；", "：", "？", "！", "）", "」", "』", "》", "…",
                                                     ",", ".", ";", ":", "?", "!", ")", "·"]

    /// Words with their trailing spaces, and single wide glyphs (closing punctuation attached).
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        for character in text {
            if Self.closingPunctuation.contains(character), !tokens.isEmpty || !word.isEmpty {
                // A line never starts with closing punctuation: it stays with what it closes.
                if word.isEmpty { tokens[tokens.count - 1].append(character) } else { word.append(character) }
            } else if character.isWide {
                if !word.isEmpty { tokens.append(word); word = "" }
                tokens.append(String(character))
            } else if character == " " {
                word.append(character)
                tokens.append(word)
                word = ""
            } else {
                word.append(character)
            }
        }
        if !word.isEmpty { tokens.append(word) }
        return tokens
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
