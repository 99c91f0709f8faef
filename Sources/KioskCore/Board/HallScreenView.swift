import Foundation
import HallAPI

/// The hall screen (综合屏): the featured call very large, the recent calls, every window, the waiting counts, the
/// notice line, the hall name and the clock. Landscape puts the featured call and the windows left, the recent calls
/// and the waiting counts right; portrait stacks them.
extension BoardPainter {
    mutating func drawHallScreen() {
        var area = drawHeader(in: metrics.bounds)
        area = drawNotice(in: area)
        let body = area.insetBy(dx: metrics.margin, dy: metrics.gap)
        let gap = metrics.gap
        if metrics.size.isLandscape {
            let (left, right) = body.slicedFromLeft((body.width * 0.56).rounded(), gap: gap)
            let (featured, windows) = left.slicedFromTop((left.height * 0.6).rounded(), gap: gap)
            let (recent, queues) = right.slicedFromTop((right.height * 0.64).rounded(), gap: gap)
            drawFeatured(in: featured)
            drawWindows(in: windows, columns: state.board.map { $0.windows.count > 9 ? 4 : 3 } ?? 3)
            drawRecentCalls(in: recent)
            drawQueues(in: queues, columns: 2)
        } else {
            let (featured, rest1) = body.slicedFromTop((body.height * 0.3).rounded(), gap: gap)
            let (recent, rest2) = rest1.slicedFromTop((rest1.height * 0.45).rounded(), gap: gap)
            let (windows, queues) = rest2.slicedFromTop((rest2.height * 0.55).rounded(), gap: gap)
            drawFeatured(in: featured)
            drawRecentCalls(in: recent)
            drawWindows(in: windows, columns: 3)
            drawQueues(in: queues, columns: 3)
        }
    }

    /// The featured call: number, window, tags; yellow and blinking while new.
    mutating func drawFeatured(in frame: Rect) {
        let featured = state.featured.flatMap { f in state.call(f.eventId).map { (f, $0) } }
        let phase = featured.map { f, known in
            known.live ? HighlightPhase.at(state.uptime, since: f.since, blinks: f.blinks) : .none
        } ?? .none
        let lit = phase == .steady
        let inner = panel(frame, title: .boardNowCalling, fill: lit ? theme.highlight : theme.panel,
                          titleColor: lit ? theme.highlightText : nil,
                          tags: featured.map { tags($0.1, highlighted: phase != .none) } ?? [],
                          tagFill: lit ? theme.background : theme.tag, tagText: lit ? theme.highlight : theme.tagText)
        guard let (_, known) = featured else {
            canvas.text(words(.boardNoCalls), in: inner, size: (72 * unit).rounded(), color: theme.mutedText,
                        alignment: .center)
            return
        }
        let call = known.call
        let ink = lit ? theme.highlightText : theme.text
        let (numberArea, windowArea) = inner.slicedFromTop((inner.height * 0.58).rounded())
        let numberColor: Color = lit ? theme.highlightText : (phase == .dim ? theme.dimNumber : theme.number)
        canvas.text(call.number, in: numberArea, size: (numberArea.height * 0.8).rounded(),
                    minimum: (numberArea.height * 0.3).rounded(), bold: true, color: numberColor, alignment: .center)
        let name = call.windowName
        canvas.bilingualText(words(.boardPleaseGo, ["window": name.text(in: words.language)]),
                             words.other(.boardPleaseGo, ["window": name.text(in: words.language.other)]),
                             in: windowArea, size: (windowArea.height * 0.45).rounded(),
                             minimum: (windowArea.height * 0.25).rounded(), maxLines: 1,
                             secondSize: (windowArea.height * 0.2).rounded(), color: lit ? ink : theme.window,
                             alignment: .center)
    }

    /// The recent calls, newest first: number, window, tags; new calls highlighted in yellow with 新.
    mutating func drawRecentCalls(in frame: Rect) {
        let inner = panel(frame, title: .boardRecentCalls)
        let calls = state.calls
        guard !calls.isEmpty else {
            canvas.text(words(.boardNoCalls), in: inner, size: (44 * unit).rounded(), color: theme.mutedText,
                        alignment: .center)
            return
        }
        let rowCount = max(6, Int(inner.height / (84 * unit)))
        let rows = inner.rows(rowCount, gap: (6 * unit).rounded())
        for (known, row) in zip(calls, rows) {
            let highlighted = state.isHighlighted(known)
            if highlighted { canvas.fill(row, theme.highlight, radius: (8 * unit).rounded()) }
            let size = (row.height * 0.62).rounded()
            let content = row.insetBy(dx: metrics.padding, dy: 0)
            // Number and window in fixed columns; the tags take the right end.
            let (numberArea, rest) = content.slicedFromLeft((content.width * 0.3).rounded())
            let windowWidth = canvas.fitter.width(known.call.windowName.text(in: words.language), size, bold: true)
            let (windowArea, tagArea) = rest.slicedFromLeft(min(rest.width, windowWidth + metrics.gap))
            _ = drawTags(tags(known, highlighted: highlighted), in: tagArea, size: (size * 0.55).rounded(),
                         fill: highlighted ? theme.background : theme.tag,
                         text: highlighted ? theme.highlight : theme.tagText)
            canvas.text(known.call.number, in: numberArea, size: size, minimum: (size * 0.6).rounded(), bold: true,
                        color: highlighted ? theme.highlightText : theme.number)
            canvas.text(known.call.windowName.text(in: words.language), in: windowArea, size: size,
                        minimum: (size * 0.5).rounded(), bold: true,
                        color: highlighted ? theme.highlightText : theme.window)
        }
    }

    /// Every window: its name and what it does now (the number served or called, or 暂停服务).
    mutating func drawWindows(in frame: Rect, columns: Int) {
        let inner = panel(frame, title: .boardWindows)
        let windows = board?.windows ?? []
        guard !windows.isEmpty else { return }
        let rowCount = (windows.count + columns - 1) / columns
        let gap = (10 * unit).rounded()
        let cells = inner.rows(rowCount, gap: gap).flatMap { $0.columns(columns, gap: gap) }
        for (window, cell) in zip(windows, cells) {
            canvas.stroke(cell, theme.panelOutline, width: max(1, (2 * unit).rounded()), radius: (8 * unit).rounded())
            let content = cell.insetBy(dx: (10 * unit).rounded(), dy: (4 * unit).rounded())
            let (nameRow, statusRow) = content.slicedFromTop((content.height * 0.5).rounded())
            let size = min((nameRow.height * 0.78).rounded(), (40 * unit).rounded())
            canvas.text(window.name.text(in: words.language), in: nameRow, size: size, minimum: (size * 0.6).rounded(),
                        bold: true, color: theme.window, alignment: .center)
            let (status, color) = windowStatus(window)
            canvas.text(status, in: statusRow, size: size, minimum: (size * 0.6).rounded(), bold: window.ticketNumber != nil,
                        color: color, alignment: .center)
        }
    }

    /// "A021 办理中", "A023 呼叫中", "等候叫号", "暂停服务".
    func windowStatus(_ window: BoardWindow) -> (String, Color) {
        switch window.activity {
        case .closed, .paused: (words(.boardClosed), theme.closedText)
        case .open: (words(.boardOpen), theme.mutedText)
        case .calling: ((window.ticketNumber.map { $0 + " " } ?? "") + words(.boardCalling), theme.number)
        case .serving: ((window.ticketNumber.map { $0 + " " } ?? "") + words(.boardServing), theme.text)
        }
    }

    /// Waiting counts per service.
    mutating func drawQueues(in frame: Rect, columns: Int) {
        let inner = panel(frame, title: .boardWaiting)
        let queues = board?.queues ?? []
        guard !queues.isEmpty else { return }
        let rowCount = (queues.count + columns - 1) / columns
        let gap = (8 * unit).rounded()
        let cells = inner.rows(rowCount, gap: gap).flatMap { $0.columns(columns, gap: gap) }
        for (queue, cell) in zip(queues, cells) {
            let size = min((cell.height * 0.7).rounded(), (36 * unit).rounded())
            let count = words(.boardWaitingCount, ["count": String(queue.waiting)])
            let countWidth = canvas.fitter.width("000 人", size, bold: true)
            let (nameArea, countArea) = cell.slicedFromLeft(max(0, cell.width - countWidth))
            canvas.text(queue.service.name.text(in: words.language), in: nameArea, size: size,
                        minimum: (size * 0.55).rounded(), color: theme.text)
            canvas.text(count, in: countArea, size: size, bold: true, color: theme.number, alignment: .trailing)
        }
    }
}
