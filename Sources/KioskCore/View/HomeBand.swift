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
    /// The check-in row when offered: "刷身份证取号" and the booking code button.
    var checkin: (hint: String, hintFrame: Rect, button: Rect)?
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
        let band = make(state, below: content, canvas: canvas, words: words)
        let withLine = layout(band)
        guard withLine.mode != .all, band.lanes.isEmpty, !band.instruction.isEmpty else { return (band, withLine) }
        let bare = make(state, below: content, canvas: canvas, words: words, instructionLine: false)
        let withoutLine = layout(bare)
        let crowded = withoutLine.mode == .all || withLine.groups.count > withoutLine.groups.count || withLine.pageCount > withoutLine.pageCount
            || (withLine.pagerFrame != nil && withoutLine.pagerFrame == nil)
        return crowded ? (bare, withoutLine) : (band, withLine)
    }

    static func make(_ state: KioskState, below content: Rect, canvas: Canvas, words: Wording,
                     instructionLine: Bool = true) -> HomeBand {
        let metrics = canvas.metrics
        guard let hall = state.hall, !hall.services.isEmpty else {
            return HomeBand(instruction: "", instructionFrame: Rect(x: content.x, y: content.y, width: 0, height: 0),
                            lanes: [], banner: nil, checkin: nil, rest: content)
        }
        let gap = metrics.gap
        var content = content
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
                        banner: banner, checkin: checkin, rest: rest)
    }

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
        if let (message, frame) = band.banner {
            fill(frame, theme.card, radius: metrics.cornerRadius)
            stroke(frame, theme.warningText, width: max(2, (4 * metrics.unit).rounded()), radius: metrics.cornerRadius)
            text(message, in: frame.insetBy(dx: metrics.padding, dy: (metrics.padding * 0.7).rounded()),
                 size: HomeBand.smallFont(metrics), bold: true, color: theme.warningText, alignment: .center, maxLines: 2)
        }
    }
}
