import Foundation
import HallAPI

extension Canvas {
    // MARK: - Rating device at rest

    /// The window rating device between ratings: the window, who serves there (photo, name, 工号, the
    /// satisfaction figure if the hall shows it) and the number being served; "window closed" otherwise.
    mutating func drawRatingIdle(_ state: KioskState, words: Wording) {
        let content = windowHeader(state, words)
        guard let panel = state.window else {
            column([Line(text: words(.homeConnecting), size: metrics.font(44), color: theme.mutedText, maxLines: 2)], in: content)
            return
        }
        guard let staff = panel.staff else {
            column([
                Line(text: words(.idleWindowClosed), size: metrics.font(72), bold: true, color: theme.text, maxLines: 2),
                Line(text: words(.idleWindowClosedBody), size: metrics.font(40), color: theme.mutedText, maxLines: 2),
            ], in: content)
            return
        }
        let landscape = metrics.size.isLandscape
        let (card, rest) = landscape ? content.slicedFromLeft((content.width * 0.42).rounded(), gap: metrics.gap)
            : content.slicedFromTop((content.height * 0.5).rounded(), gap: metrics.gap)
        staffCard(staff, photoReady: panel.photoReady, satisfaction: panel.satisfaction, in: card, words: words)
        if let reason = panel.breakReason {
            // 暂停服务: say so and why, in both languages; no invitation to rate.
            drawBreakNotice(reason: reason, in: rest, words: words)
            return
        }
        let serving = panel.currentTicketNumber.map { words(.idleServing, ["number": $0]) } ?? words(.idleWaiting)
        let invitation = state.ratingsUnavailable == nil
            ? Line(text: words(.idleWelcome), size: metrics.font(38), color: theme.text, maxLines: 3)
            : Line(text: words(.idleRatingUnavailable), size: metrics.font(38), bold: true, color: theme.text, maxLines: 4)
        column([
            Line(text: serving, size: metrics.font(64), bold: true, color: theme.accentText, maxLines: 2),
            invitation,
        ], in: rest)
    }

    /// A card with the staff member's photo (or a placeholder with the first character of the name), name,
    /// 工号 and, when given, the satisfaction figure.
    mutating func staffCard(_ staff: StaffSummary, photoReady: Bool, satisfaction: StaffSatisfactionFigure?, in area: Rect,
                            words: Wording) {
        fill(area, theme.card, radius: metrics.cornerRadius)
        stroke(area, theme.cardOutline, width: max(2, (2 * metrics.unit).rounded()), radius: metrics.cornerRadius)
        let inner = area.insetBy(dx: metrics.padding, dy: metrics.padding)
        var lines = [
            Line(text: staff.name, size: metrics.font(56), bold: true, color: theme.text),
            Line(text: words(.ratingStaffNo, ["number": staff.employeeNo]), size: metrics.font(36), color: theme.mutedText),
        ]
        if let satisfaction {
            let rate = String(format: "%.1f%%", satisfaction.goodRate * 100)
            lines.append(Line(text: words(.idleSatisfaction, ["rate": rate, "count": String(satisfaction.ratings)]),
                              size: metrics.font(30), color: theme.mutedText, maxLines: 2))
        }
        let textHeight = lines.reduce(0) { $0 + metrics.line($1.size) } + metrics.gap * Double(lines.count)
        let photoSide = max(0, min(inner.width * 0.8, inner.height - textHeight - metrics.gap)).rounded()
        let (photoRow, textArea) = inner.slicedFromTop(photoSide, gap: metrics.gap)
        let photo = photoRow.centered(Size(width: (photoSide * 0.8).rounded(), height: photoSide))
        if photoSide >= 40 {
            if photoReady {
                image(WindowPanel.photoImageName(staff.photoUrl ?? ""), photo)
            } else {
                fill(photo, theme.disabled, radius: metrics.cornerRadius)
                text(String(staff.name.prefix(1)), in: photo, size: (photoSide * 0.45).rounded(), bold: true,
                     color: theme.disabledText, alignment: .center)
            }
        }
        column(lines, in: photoSide >= 40 ? textArea : inner)
    }

    /// The rating device's top band: the window's name on the left, the clock on the right.
    mutating func windowHeader(_ state: KioskState, _ words: Wording) -> Rect {
        let bounds = metrics.bounds
        let margin = metrics.margin
        let nameSize = metrics.fixedFont(48), clockSize = metrics.fixedFont(48)
        let height = (metrics.line(nameSize) + 1.2 * margin).rounded()
        let band = Rect(x: 0, y: 0, width: bounds.width, height: height)
        fill(band, theme.headerBackground)
        let inner = band.insetBy(dx: margin, dy: (margin * 0.6).rounded())
        let clockWidth = fitter.width("00:00", clockSize, bold: true) + margin
        let (left, clockArea) = inner.slicedFromLeft(inner.width - clockWidth)
        text(Wording.clock(state.now, in: Wording.timeZone(of: state.hall)), in: clockArea, size: clockSize, bold: true,
             color: theme.headerText, alignment: .trailing)
        let name = state.window?.window.name.text(in: words.language) ?? state.hall?.name.text(in: words.language) ?? ""
        text(name, in: left, size: nameSize, minimum: (nameSize * 0.6).rounded(), bold: true, color: theme.headerText)
        let below = band.maxY + metrics.gap
        return Rect(x: margin, y: below, width: bounds.width - 2 * margin, height: bounds.height - below - margin)
    }

    // MARK: - Rating

    /// The rating screens: who is rated, the levels (or 好评/差评), the 差评 reasons, then "thank you".
    /// Nothing here repeats the citizen's choice after it is made.
    mutating func drawRating(_ state: KioskState, rating: RatingScreen, mode: RatingMode, words: Wording) {
        var content = rating.channel == .windowDevice ? windowHeader(state, words) : header(state, words)
        switch rating.phase {
        case .storing:
            column([Line(text: words(.ratingStoring), size: metrics.font(56), bold: true, color: theme.text, maxLines: 2)],
                   in: content)
            return
        case .thanks:
            column([
                Line(text: words(.ratingThanks), size: metrics.font(80), bold: true, color: theme.accentText, maxLines: 2),
                Line(text: words(.ratingThanksBody), size: metrics.font(40), color: theme.text, maxLines: 2),
            ], in: content)
            return
        case .notStored:
            column([
                Line(text: words(.ratingNotStored), size: metrics.font(64), bold: true, color: theme.warningText, maxLines: 2),
                Line(text: words(.ratingNotStoredBody), size: metrics.font(40), color: theme.text, maxLines: 3),
            ], in: content)
            return
        case .choosing, .reasons:
            break
        }
        if rating.channel == .kiosk {
            content = bottomButtons([(.backHome, words(.commonHome), .secondary)], in: content)
        }
        // Who and what is rated.
        let subjectHeight = (metrics.line(metrics.font(40)) + metrics.line(metrics.font(32)) + 2 * metrics.padding).rounded()
        let (subjectBand, body) = content.slicedFromTop(subjectHeight, gap: metrics.gap)
        ratedSubject(rating.subject, in: subjectBand, words: words)
        switch rating.phase {
        case .reasons(_, let selected):
            drawReasons(selected: selected, note: rating.presetNote, in: body, words: words)
        default:
            drawLevels(mode: mode, in: body, words: words)
        }
    }

    /// One line naming the staff member (工号) and the window, one naming the service and the number.
    private mutating func ratedSubject(_ subject: RatingSubject, in band: Rect, words: Wording) {
        fill(band, theme.card, radius: metrics.cornerRadius)
        let inner = band.insetBy(dx: metrics.padding, dy: (metrics.padding * 0.6).rounded())
        var who: [String] = []
        if let window = subject.window { who.append(window.name.text(in: words.language)) }
        if let staff = subject.staff { who.append("\(staff.name)  \(words(.ratingStaffNo, ["number": staff.employeeNo]))") }
        let (top, bottom) = inner.slicedFromTop(metrics.line(metrics.font(40)))
        text(who.joined(separator: " · "), in: top, size: metrics.font(40), minimum: (metrics.font(40) * 0.6).rounded(),
             bold: true, color: theme.text, alignment: .center)
        text(words(.ratingSubject, ["service": subject.service.name.text(in: words.language), "number": subject.ticketNumber]),
             in: bottom, size: metrics.font(32), minimum: (metrics.font(32) * 0.6).rounded(), color: theme.mutedText,
             alignment: .center)
    }

    private mutating func drawLevels(mode: RatingMode, in area: Rect, words: Wording) {
        let titleSize = metrics.font(48)
        let (titleRow, rest) = area.slicedFromTop(metrics.line(titleSize), gap: metrics.gap)
        text(words(.ratingTitle), in: titleRow, size: titleSize, minimum: (titleSize * 0.6).rounded(), bold: true,
             color: theme.text, alignment: .center)
        let hintSize = metrics.font(28)
        let (hintRow, buttons) = rest.slicedFromBottom(metrics.line(hintSize), gap: metrics.gap)
        text(words(.ratingVoluntary), in: hintRow, size: hintSize, color: theme.mutedText, alignment: .center)
        switch mode {
        case .twoButtons:
            let frames = buttons.columns(2, gap: metrics.gap * 2)
            for (frame, (level, key)) in zip(frames, [(RatingLevel.satisfied, StringKey.ratingGood), (.dissatisfied, .ratingBad)]) {
                levelButton(level, label: words(key), in: frame)
            }
        case .fiveLevels:
            let levels = RatingLevel.allCases
            // A row of five on a landscape panel; a column of wide buttons on a portrait one.
            let asRow = buttons.width >= buttons.height * 1.2
            let frames = asRow ? buttons.columns(levels.count, gap: metrics.gap) : buttons.rows(levels.count, gap: metrics.gap)
            for (frame, level) in zip(frames, levels) {
                levelButton(level, label: level.label.text(in: words.language), in: frame, horizontal: !asRow)
            }
        }
    }

    /// A level button: the face and the level's official words.
    private mutating func levelButton(_ level: RatingLevel, label: String, in frame: Rect, horizontal: Bool = false) {
        let (color, inner) = buttonBackground(.rate(level), frame, style: .secondary, label: label)
        let size = metrics.font(horizontal ? 44 : 38)
        if horizontal {
            let side = min(inner.height, inner.width * 0.3)
            let (faceArea, labelArea) = inner.slicedFromLeft(side, gap: metrics.gap)
            face(level, in: faceArea)
            text(label, in: labelArea, size: size, minimum: (size * 0.6).rounded(), bold: true, color: color)
        } else {
            let labelHeight = (metrics.line(size) * 2).rounded()
            let (labelArea, faceArea) = inner.slicedFromBottom(labelHeight, gap: metrics.gap / 2)
            let side = min(faceArea.width, faceArea.height)
            face(level, in: faceArea.centered(Size(width: side, height: side)))
            text(label, in: labelArea, size: size, minimum: (size * 0.6).rounded(), bold: true, color: color,
                 alignment: .center, maxLines: 2)
        }
    }

    /// The 差评 reasons as toggles, then 重新选择 and 提交 (enabled once a reason is chosen).
    private mutating func drawReasons(selected: Set<RatingReason>, note: Int?, in area: Rect, words: Wording) {
        let titleSize = metrics.font(44)
        let (titleRow, rest) = area.slicedFromTop(metrics.line(titleSize), gap: metrics.gap)
        text(words(.ratingReasonsTitle), in: titleRow, size: titleSize, minimum: (titleSize * 0.6).rounded(), bold: true,
             color: theme.text, alignment: .center)
        let buttonHeight = max(metrics.touch, (metrics.line(metrics.font(40)) + 1.2 * metrics.padding).rounded(.up))
        let (actions, aboveActions) = rest.slicedFromBottom(buttonHeight, gap: metrics.gap * 1.5)
        // One row of short preset notes (optional) between the reasons and the buttons.
        let noteSize = metrics.font(30)
        let noteHeight = max((metrics.touch * 0.9).rounded(), (metrics.line(noteSize) + metrics.padding).rounded())
        let (notesRow, grid) = aboveActions.slicedFromBottom(noteHeight, gap: metrics.gap)
        let noteLabelWidth = (notesRow.width * 0.22).rounded()
        let (noteLabel, noteButtons) = notesRow.slicedFromLeft(noteLabelWidth, gap: metrics.gap)
        text(words(.ratingPresetTitle), in: noteLabel, size: noteSize, minimum: (noteSize * 0.6).rounded(), color: theme.mutedText,
             maxLines: 2)
        for (index, frame) in noteButtons.columns(RatingScreen.presetNotes.count, gap: metrics.gap).enumerated() {
            let isOn = note == index
            let label = (isOn ? "✓ " : "") + words(RatingScreen.presetNotes[index])
            button(.togglePresetNote(index), frame, label: label, style: isOn ? .selected : .secondary, size: noteSize)
        }
        let reasons = RatingReason.allCases
        let columnCount = metrics.size.isLandscape ? 4 : 2
        let rowCount = (reasons.count + columnCount - 1) / columnCount
        let rows = grid.rows(rowCount, gap: metrics.gap)
        for (index, reason) in reasons.enumerated() {
            let row = rows[index / columnCount]
            let frame = row.columns(columnCount, gap: metrics.gap)[index % columnCount]
            let isOn = selected.contains(reason)
            let label = (isOn ? "✓ " : "") + reason.label.text(in: words.language)
            button(.toggleReason(reason), frame, label: label, style: isOn ? .selected : .secondary, size: metrics.font(34))
        }
        let actionFrames = actions.columns(2, gap: metrics.gap * 2)
        button(.changeLevel, actionFrames[0], label: words(.ratingChangeLevel), style: .secondary, size: metrics.font(40))
        button(.submitRating, actionFrames[1], label: selected.isEmpty ? words(.ratingReasonsHint) : words(.ratingSubmit),
               style: .primary, size: metrics.font(40), enabled: !selected.isEmpty)
    }
}
