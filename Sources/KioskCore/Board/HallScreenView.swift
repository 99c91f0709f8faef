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
            drawQueues(in: queues, columnChoices: [2])
        } else {
            let (featured, rest1) = body.slicedFromTop((body.height * 0.3).rounded(), gap: gap)
            let (recent, rest2) = rest1.slicedFromTop((rest1.height * 0.42).rounded(), gap: gap)
            let (windows, queues) = rest2.slicedFromTop((rest2.height * 0.5).rounded(), gap: gap)
            drawFeatured(in: featured)
            drawRecentCalls(in: recent)
            drawWindows(in: windows, columns: 3)
            drawQueues(in: queues, columnChoices: [3, 2])
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

    /// Waiting counts per service, in the first of `columnChoices` that shows every name whole.
    mutating func drawQueues(in frame: Rect, columnChoices: [Int]) {
        let inner = panel(frame, title: .boardWaiting)
        let queues = board?.queues ?? []
        guard !queues.isEmpty else { return }
        let names = queues.map { $0.service.name.text(in: words.language) }
        let counts = queues.map { words(.boardWaitingCount, ["count": String($0.waiting)]) }
        // The first choice that shows every name whole (more columns first: fewer, taller rows), else the one with
        // the largest names; later choices are laid out only when needed (the board is drawn on every call).
        var layouts: [QueueLayout] = []
        for columns in columnChoices {
            guard let layout = queueLayout(in: inner, columns: columns, names: names, counts: counts) else { continue }
            layouts.append(layout)
            if layout.whole { break }
        }
        guard let layout = layouts.first(where: \.whole) ?? layouts.max(by: { $0.nameSize < $1.nameSize }) else { return }
        for ((name, count), cell) in zip(zip(names, counts), layout.cells) {
            let (nameArea, countArea) = cell.slicedFromLeft(layout.nameWidth)
            canvas.text(name, in: nameArea, size: layout.nameSize, minimum: layout.nameSize, color: theme.text,
                        maxLines: layout.lines)
            canvas.text(count, in: countArea, size: layout.countSize, bold: true, color: theme.number, alignment: .trailing)
        }
    }

    /// The waiting list laid out in `columns` columns.
    struct QueueLayout {
        var cells: [Rect]
        var countSize: Double
        var nameWidth: Double
        var nameSize: Double
        var lines: Int
        /// Every name shows whole (none ends in "…").
        var whole: Bool
    }

    func queueLayout(in inner: Rect, columns: Int, names: [String], counts: [String]) -> QueueLayout? {
        let rowCount = (names.count + columns - 1) / columns
        let gap = (8 * unit).rounded()
        // Columns stand well apart, so one column's count never reads as the next column's service.
        let columnGap = (40 * unit).rounded()
        let cells = inner.rows(rowCount, gap: gap).flatMap { $0.columns(columns, gap: columnGap) }
        guard let first = cells.first, let rowHeight = cells.map(\.height).min() else { return nil }
        // Rows may differ by a pixel of rounding: every size is chosen for the lowest.
        let size = min((rowHeight * 0.7).rounded(), (36 * unit).rounded())
        // The count column is as wide as the widest count shown (at least three digits), not a fixed "000 人".
        let countWidth = (counts + [words(.boardWaitingCount, ["count": "000"])])
            .map { canvas.fitter.width($0, size, bold: true) }.max()! + (6 * unit).rounded()
        let nameWidth = max(0, first.width - countWidth)
        // One size for every service name, so the list reads as a table: the largest at which the longest name fits
        // on one line, down to 70 % of the preferred size. Names longer still take two lines, all at the size two
        // lines allow, where that is no smaller than 80 % of the one-line floor.
        let floor = (size * 0.7).rounded()
        let oneLine = names.map { name -> Double in
            let width = canvas.fitter.width(name, size, bold: false)
            return width <= nameWidth ? size : max(floor, (size * nameWidth / width).rounded(.down))
        }.min()!
        let overflows = names.contains { canvas.fitter.width($0, oneLine, bold: false) > nameWidth }
        guard overflows else {
            return QueueLayout(cells: cells, countSize: size, nameWidth: nameWidth, nameSize: oneLine, lines: 1, whole: true)
        }
        let twoLineSize = min(oneLine, (rowHeight / 2 / 1.3).rounded(.down))
        guard twoLineSize >= (floor * 0.8).rounded() else {
            return QueueLayout(cells: cells, countSize: size, nameWidth: nameWidth, nameSize: oneLine, lines: 1, whole: false)
        }
        let whole = names.allSatisfy {
            canvas.fitter.fit($0, width: nameWidth, height: rowHeight, preferred: twoLineSize, minimum: twoLineSize,
                             bold: false, maxLines: 2)
                .lines.last?.hasSuffix("…") == false
        }
        return QueueLayout(cells: cells, countSize: size, nameWidth: nameWidth, nameSize: twoLineSize, lines: 2, whole: whole)
    }
}
