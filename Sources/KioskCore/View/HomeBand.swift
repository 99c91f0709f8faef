import Foundation
import HallAPI

/// The band between the header and the service buttons on the home screen: one line saying what to do
/// ("请选择要办理的业务", or the chosen priority lane), the 绿色通道 buttons the hall offers (`kioskPriorityLanes`), and
/// a banner when the printer cannot print — said before the citizen chooses, not after. Shared by the view (to
/// draw) and the reducer (the service grid starts below it).
struct HomeBand {
    var instruction: String
    var instructionFrame: Rect
    /// The lanes offered, each with its button.
    var lanes: [(lane: PriorityKind, frame: Rect)]
    /// What the printer banner says, and where; nil when the printer prints.
    var banner: (text: String, frame: Rect)?
    /// The hall's kiosk notice (`HallStatus.notice`) at the top of the band, where, and in how many lines at most;
    /// nil when there is none (or no room for it, see `home`).
    var notice: (text: String, frame: Rect, lines: Int)? = nil
    /// The check-in row when offered: "刷身份证取号" and the booking code button.
    var checkin: (hint: String, hintFrame: Rect, button: Rect)? = nil
    /// The area below the band.
    var rest: Rect

    /// Font of the instruction line.
    static func instructionFont(_ metrics: Metrics) -> Double { metrics.font(36) }
    /// Font of the lane buttons and the banner.
    static func smallFont(_ metrics: Metrics) -> Double { metrics.font(30) }

    /// The band and the service layout of the home screen together. The instruction line gives way when a big hall
    /// needs its room (more tabs or pages with it than without, or all on one screen without it): every service stays two touches from home.
    static func home(_ state: KioskState, position: HomePosition, content: Rect, canvas: Canvas,
                     words: Wording) -> (band: HomeBand, layout: HomeLayout) {
        let services = state.hall?.services ?? []
        func layout(_ band: HomeBand) -> HomeLayout {
            HomeLayout.make(services: services, position: position, content: band.rest, canvas: canvas, words: words)
        }
        // The notice gives way line by line when the service buttons would otherwise be squeezed; its last line takes
        // the instruction line's place, and only then (a small screen in large text) it goes.
        var noticeLines = noticeMaxLines(canvas.metrics)
        var band = make(state, below: content, canvas: canvas, words: words, noticeLines: noticeLines)
        var withLine = layout(band)
        while band.notice != nil, noticeLines > 0, cramped(withLine, canvas.metrics) {
            if noticeLines == 1, band.lanes.isEmpty, !band.instruction.isEmpty {
                let bare = make(state, below: content, canvas: canvas, words: words, instructionLine: false, noticeLines: 1)
                let withoutLine = layout(bare)
                if !cramped(withoutLine, canvas.metrics) { return (bare, withoutLine) }
            }
            noticeLines -= 1
            band = make(state, below: content, canvas: canvas, words: words, noticeLines: noticeLines)
            withLine = layout(band)
        }
        guard withLine.mode != .all, band.lanes.isEmpty, !band.instruction.isEmpty else { return (band, withLine) }
        let bare = make(state, below: content, canvas: canvas, words: words, instructionLine: false, noticeLines: noticeLines)
        let withoutLine = layout(bare)
        let crowded = withoutLine.mode == .all || withLine.groups.count > withoutLine.groups.count || withLine.pageCount > withoutLine.pageCount
            || (withLine.pagerFrame != nil && withoutLine.pagerFrame == nil)
        return crowded ? (bare, withoutLine) : (band, withLine)
    }

    /// True when the service buttons are lower than their words or a finger need.
    static func cramped(_ layout: HomeLayout, _ metrics: Metrics) -> Bool {
        layout.squeezed || layout.serviceFrames.contains { $0.height < metrics.touch }
    }

    static func make(_ state: KioskState, below content: Rect, canvas: Canvas, words: Wording,
                     instructionLine: Bool = true, noticeLines: Int? = nil) -> HomeBand {
        let metrics = canvas.metrics
        guard let hall = state.hall, !hall.services.isEmpty else {
            return HomeBand(instruction: "", instructionFrame: Rect(x: content.x, y: content.y, width: 0, height: 0),
                            lanes: [], banner: nil, rest: content)
        }
        let gap = metrics.gap
        var content = content
        var noticeBox: (String, Rect, Int)? = nil
        let lines = noticeLines ?? noticeMaxLines(metrics)
        if let text = noticeText(hall, words), lines > 0 {
            // Wraps (two lines, three in large text), cut with "…" beyond; always above the buttons.
            let size = smallFont(metrics), pad = (metrics.padding * 0.6).rounded()
            let height = canvas.fit(text, width: content.width - 2 * metrics.padding, size: size, maxLines: lines).height + 2 * pad
            let split = content.slicedFromTop(height.rounded(.up), gap: (gap * 0.5).rounded())
            noticeBox = (text, split.slice, lines)
            content = split.rest
        }
        var checkin: (String, Rect, Rect)? = nil
        if canvas.checkinOffered {
            let split = content.slicedFromTop(metrics.touch, gap: gap)
            let (hint, button) = split.slice.slicedFromLeft((split.slice.width * 0.62).rounded(), gap: gap)
            checkin = (words(.checkinPlaceCard), hint, button)
            content = split.rest
        }
        let lanes = (hall.kioskPriorityLanes ?? []).filter { $0 != .appointment }
        let chosen = state.priorityLane.flatMap { lanes.contains($0) ? $0 : nil }
        let instruction = chosen.map { words(.homePriorityChosen, ["lane": words.lane($0)]) } ?? words(.homeChooseService)
        let font = instructionFont(metrics)
        // One line, close above the buttons it introduces (a big hall needs every pixel for its tabs).
        var row: Rect, rest: Rect
        // With check-in offered, its row ("刷身份证取号", the booking code) says what to do instead of the instruction line.
        if lanes.isEmpty && (!instructionLine || checkin != nil) {
            (row, rest) = (Rect(x: content.x, y: content.y, width: 0, height: 0), content)
        } else {
            let rowHeight = lanes.isEmpty ? metrics.line(font) : metrics.touch
            (row, rest) = content.slicedFromTop(rowHeight, gap: (gap * 0.5).rounded())
        }
        var laneFrames: [(PriorityKind, Rect)] = []
        if !lanes.isEmpty {
            let width = min((content.width * 0.3).rounded(), (content.width * 0.62 / Double(lanes.count)).rounded())
            var textArea = row
            for lane in lanes.reversed() {
                let frame = Rect(x: textArea.maxX - width, y: textArea.y, width: width, height: textArea.height)
                laneFrames.insert((lane, frame), at: 0)
                textArea = Rect(x: textArea.x, y: textArea.y, width: max(0, textArea.width - width - gap),
                                height: textArea.height)
            }
            row = textArea
        }
        var banner: (String, Rect)? = nil
        if let text = printerBanner(state, words) {
            let inner = content.width - 2 * metrics.padding
            let height = canvas.fit(text, width: inner, size: smallFont(metrics), bold: true, maxLines: 2).height
                + 2 * (metrics.padding * 0.7).rounded()
            let split = rest.slicedFromTop(height.rounded(.up), gap: gap)
            banner = (text, split.slice)
            rest = split.rest
        }
        return HomeBand(instruction: row.height > 0 ? instruction : "", instructionFrame: row, lanes: laneFrames,
                        banner: banner, notice: noticeBox, checkin: checkin, rest: rest)
    }

    /// The hall's kiosk notice in the citizen's language (the other one when only that is written); nil when empty.
    static func noticeText(_ hall: HallStatus, _ words: Wording) -> String? {
        guard let notice = hall.notice else { return nil }
        let text = [notice.text(in: words.language), notice.text(in: words.language.other)]
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.first { !$0.isEmpty }
        return text
    }

    /// Lines the notice may take before it is cut with "…".
    static func noticeMaxLines(_ metrics: Metrics) -> Int { metrics.isLargeText ? 3 : 2 }

    /// Why no paper will come out, when the printer said so: out of paper, open, offline, stopped, or none here.
    static func printerBanner(_ state: KioskState, _ words: Wording) -> String? {
        switch state.printer?.condition {
        case .paperOut, .coverOpen, .offline, .stopped: words(.homePrinterDown)
        case .notConfigured: words(.homeNoPrinter)
        case .ok, .paperLow, .unknown, nil: nil
        }
    }
}

extension Canvas {
    mutating func drawHomeBand(_ band: HomeBand, state: KioskState, words: Wording) {
        if let (hint, hintFrame, buttonFrame) = band.checkin { drawCheckinRow(hint: hint, hintFrame, buttonFrame, words: words) }
        if !band.instruction.isEmpty {
            text(band.instruction, in: band.instructionFrame, size: HomeBand.instructionFont(metrics),
                 minimum: (HomeBand.instructionFont(metrics) * 0.7).rounded(), bold: true, color: theme.text, maxLines: 2)
        }
        for (lane, frame) in band.lanes {
            let style: ButtonStyle = state.priorityLane == lane ? .selected : .secondary
            button(.choosePriority(lane), frame, label: words.lane(lane), style: style, size: HomeBand.smallFont(metrics))
        }
        if let (notice, frame, lines) = band.notice {
            // A callout, not a button: no outline, a bar in the accent colour at its leading edge.
            fill(frame, theme.card, radius: metrics.cornerRadius)
            let bar = max(4, (8 * metrics.unit).rounded())
            fill(Rect(x: frame.x, y: frame.y, width: bar, height: frame.height), theme.accentText, radius: 0)
            let size = HomeBand.smallFont(metrics)
            text(notice, in: frame.insetBy(dx: metrics.padding, dy: (metrics.padding * 0.6).rounded()), size: size,
                 color: theme.text, alignment: .leading, maxLines: lines)
        }
        if let (message, frame) = band.banner {
            fill(frame, theme.card, radius: metrics.cornerRadius)
            stroke(frame, theme.warningText, width: max(2, (4 * metrics.unit).rounded()), radius: metrics.cornerRadius)
            text(message, in: frame.insetBy(dx: metrics.padding, dy: (metrics.padding * 0.7).rounded()),
                 size: HomeBand.smallFont(metrics), bold: true, color: theme.warningText, alignment: .center, maxLines: 2)
        }
    }
}
