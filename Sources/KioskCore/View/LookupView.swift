import HallAPI

extension Canvas {
    /// The keypad screen: what was typed, what is happening, letter keys (the hall's ticket
    /// prefixes), digits, 删除 / 清空, 查询 and 返回首页.
    mutating func drawLookup(_ state: KioskState, lookup: LookupScreen, words: Wording) {
        let content = header(state, words)
        let isPending: Bool
        if case .pending = lookup.phase { isPending = true } else { isPending = false }
        // Rating looks nothing up for the citizen: number, code, then the rating itself — each step is 下一步.
        let buttons: [(KioskAction, String, ButtonStyle)] = [
            (.backHome, words(.commonHome), .secondary),
            (.keypad(.submit), words(lookup.purpose == .rating ? .keypadNext : .keypadSubmit), .primary),
        ]
        // The rating code is digits only.
        let letters = lookup.step == .code ? [] : Self.keypadLetters(state.hall)
        let submitEnabled = !isPending
            && (lookup.step == .code ? lookup.code.count == LookupScreen.codeDigits : !lookup.entry.isEmpty)
        if content.width > content.height * 1.2 {
            let (left, right) = content.slicedFromLeft((content.width * 0.42).rounded(), gap: metrics.gap * 2)
            let info = bottomButtons(buttons, in: left)
            drawLookupInfo(lookup, in: info, words: words)
            drawKeypad(letters: letters, in: right, enabled: !isPending, words: words)
        } else {
            let rest = bottomButtons(buttons, in: content)
            let infoHeight = lookupInfoHeight()
            let (info, keys) = rest.slicedFromTop(infoHeight, gap: metrics.gap)
            drawLookupInfo(lookup, in: info, words: words)
            drawKeypad(letters: letters, in: keys, enabled: !isPending, words: words)
        }
        if !submitEnabled { disableRegion(.keypad(.submit)) }
    }

    /// Letters to offer: the first letters of the hall's ticket prefixes, or A–Z before the first status.
    static func keypadLetters(_ hall: HallStatus?) -> [Character] {
        let prefixes = Set((hall?.services ?? []).compactMap { $0.prefix.uppercased().first })
        if prefixes.isEmpty { return Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ") }
        return prefixes.sorted()
    }

    func lookupInfoHeight() -> Double {
        metrics.line(metrics.font(56)) + metrics.line(metrics.font(38)) + entryBoxHeight()
            + 2 * metrics.line(metrics.font(34)) + 3 * metrics.gap
    }

    func entryBoxHeight() -> Double { (metrics.touch * 1.2).rounded() }

    /// Title, prompt, the typed number (or, when rating by number, the rating code) in a box, and the hint /
    /// progress / error below it.
    mutating func drawLookupInfo(_ lookup: LookupScreen, in area: Rect, words: Wording) {
        let height = min(area.height, lookupInfoHeight())
        var rest = Rect(x: area.x, y: (area.midY - height / 2).rounded(), width: area.width, height: height)
        let titleKey: StringKey = lookup.purpose == .progress ? .lookupTitle : .lookupRatingTitle
        let (titleRow, afterTitle) = rest.slicedFromTop(metrics.line(metrics.font(56)), gap: metrics.gap)
        text(words(titleKey), in: titleRow, size: metrics.font(56), bold: true, color: theme.text, alignment: .center)
        let (promptRow, afterPrompt) = afterTitle.slicedFromTop(metrics.line(metrics.font(38)), gap: metrics.gap)
        let prompt: String
        switch (lookup.purpose, lookup.step) {
        case (.progress, _): prompt = words(.lookupPrompt)
        case (.rating, .number): prompt = words(.lookupRatingPrompt)
        case (.rating, .code): prompt = words(.lookupCodePrompt, ["number": lookup.entry])
        }
        text(prompt, in: promptRow, size: metrics.font(38), color: theme.text, alignment: .center)
        let (box, afterBox) = afterPrompt.slicedFromTop(entryBoxHeight(), gap: metrics.gap)
        let boxFrame = Rect(x: box.x + box.width * 0.1, y: box.y, width: box.width * 0.8, height: box.height).pixelAligned
        fill(boxFrame, theme.card, radius: metrics.cornerRadius)
        stroke(boxFrame, theme.outline, width: max(2, (4 * metrics.unit).rounded()), radius: metrics.cornerRadius)
        let boxInner = boxFrame.insetBy(dx: metrics.padding, dy: 4)
        let typed = lookup.step == .code ? lookup.code : lookup.entry
        if typed.isEmpty {
            text(words(lookup.step == .code ? .lookupCodePlaceholder : .lookupPlaceholder), in: boxInner,
                 size: metrics.font(44), color: theme.mutedText, alignment: .center)
        } else {
            text(typed, in: boxInner, size: metrics.font(80), bold: true, color: theme.text, alignment: .center)
        }
        rest = afterBox
        let message: (String, Color)
        switch lookup.phase {
        case .editing where lookup.step == .code: message = (words(.lookupCodeHint), theme.text)
        case .editing: message = (words(.lookupScanHint), theme.text)
        case .pending: message = (words(.lookupPending), theme.text)
        case .failed(.notFound): message = (words(.lookupNotFound), theme.warningText)
        case .failed(.network): message = (words(.lookupNetwork), theme.warningText)
        case .failed(.other): message = (words(.lookupOther), theme.warningText)
        case .failed(.wrongCode): message = (words(.lookupWrongCode), theme.warningText)
        case .failed(.tooManyWrongCodes): message = (words(.lookupTooManyWrongCodes), theme.warningText)
        }
        text(message.0, in: rest, size: metrics.font(34), bold: message.1 == theme.warningText, color: message.1,
             alignment: .center, maxLines: 2)
    }

    /// Letter keys above a 3 × 4 digit pad (1–9, 清空, 0, 删除); on screens too short for that,
    /// the letters stand to the left of the digits.
    mutating func drawKeypad(letters: [Character], in area: Rect, enabled: Bool, words: Wording) {
        let gap = metrics.gap
        let digitRows: [[KeypadKey]] = [
            [.character("1"), .character("2"), .character("3")],
            [.character("4"), .character("5"), .character("6")],
            [.character("7"), .character("8"), .character("9")],
            [.clear, .character("0"), .backspace],
        ]
        let fitting = max(1, Int((area.width + gap) / (metrics.touch + gap)))
        let stackedRows = letters.isEmpty ? [] : Self.balancedRows(letters, maxColumns: fitting)
        let stackedExtra = stackedRows.isEmpty ? 0 : gap
        let stackedKey = keyHeight(rows: stackedRows.count + 4, extra: stackedExtra, in: area.height)
        if stackedKey >= metrics.touch || letters.isEmpty {
            let total = stackedKey * Double(stackedRows.count + 4) + gap * Double(stackedRows.count + 3) + stackedExtra
            var top = max(area.minY, (area.midY - total / 2).rounded())
            top = drawKeyRows(stackedRows.map { $0.map { KeypadKey.character($0) } }, x: area.x, width: area.width,
                              top: top, keyHeight: stackedKey, enabled: enabled, words: words)
            _ = drawKeyRows(digitRows, x: area.x, width: area.width, top: top + stackedExtra, keyHeight: stackedKey,
                            enabled: enabled, words: words)
            return
        }
        let letterRows = Self.balancedRows(letters, maxColumns: (letters.count + 3) / 4)
        let letterColumns = letterRows.first?.count ?? 1
        let letterWidth = ((area.width - 2 * gap) * Double(letterColumns) / Double(letterColumns + 3)).rounded()
        let (left, right) = area.slicedFromLeft(letterWidth, gap: 2 * gap)
        let key = keyHeight(rows: 4, extra: 0, in: area.height)
        let top = max(area.minY, (area.midY - (key * 4 + gap * 3) / 2).rounded())
        _ = drawKeyRows(letterRows.map { $0.map { KeypadKey.character($0) } }, x: left.x, width: left.width, top: top,
                        keyHeight: key, enabled: enabled, words: words)
        _ = drawKeyRows(digitRows, x: right.x, width: right.width, top: top, keyHeight: key, enabled: enabled,
                        words: words)
    }

    /// Splits `letters` into as few rows as `maxColumns` allows, with rows of equal length.
    static func balancedRows(_ letters: [Character], maxColumns: Int) -> [[Character]] {
        guard !letters.isEmpty else { return [] }
        let rowCount = (letters.count + max(1, maxColumns) - 1) / max(1, maxColumns)
        let columns = (letters.count + rowCount - 1) / rowCount
        return stride(from: 0, to: letters.count, by: columns).map { Array(letters[$0..<min(letters.count, $0 + columns)]) }
    }

    func keyHeight(rows: Int, extra: Double, in height: Double) -> Double {
        let rowCount = Double(max(1, rows))
        return min((metrics.touch * 1.15).rounded(), ((height - extra - metrics.gap * (rowCount - 1)) / rowCount).rounded(.down))
    }

    /// Draws rows of keys, every row split into as many columns as the widest row; returns the next top.
    mutating func drawKeyRows(_ rows: [[KeypadKey]], x: Double, width: Double, top: Double, keyHeight: Double,
                              enabled: Bool, words: Wording) -> Double {
        let columns = rows.map(\.count).max() ?? 1
        var top = top
        for keys in rows {
            let rowFrame = Rect(x: x, y: top, width: width, height: keyHeight)
            for (key, frame) in zip(keys, rowFrame.columns(columns, gap: metrics.gap)) {
                switch key {
                case .character(let character):
                    let size = character.isNumber ? metrics.font(56) : metrics.font(48)
                    button(.keypad(key), frame, label: String(character), style: .secondary, size: size, enabled: enabled)
                case .clear:
                    button(.keypad(key), frame, label: words(.keypadClear), style: .secondary, size: metrics.font(36),
                           enabled: enabled)
                case .backspace:
                    button(.keypad(key), frame, label: words(.keypadBackspace), style: .secondary,
                           size: metrics.font(36), enabled: enabled)
                case .submit:
                    break
                }
            }
            top += keyHeight + metrics.gap
        }
        return top
    }
}
