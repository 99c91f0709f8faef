import Foundation
import HallAPI

/// Draws a calling display: the hall screen (综合屏) or one window's screen (窗口屏), in any size.
/// Pure: the same state, size, strings and measurer always give the same list.
public func boardView(_ state: BoardState, size: Size, strings: Strings,
                      measurer: any TextMeasurer = EstimatingTextMeasurer()) -> DisplayList {
    var canvas = Canvas(metrics: Metrics(size: size, largeText: false), theme: BoardTheme.standard.canvasTheme,
                        measurer: measurer, pressed: nil)
    var painter = BoardPainter(canvas: canvas, state: state, words: Wording(strings: strings, language: state.language))
    if state.board == nil {
        painter.drawConnecting()
    } else {
        switch state.role {
        case .hall: painter.drawHallScreen()
        case .window(let id): painter.drawWindowScreen(windowId: id)
        }
    }
    canvas = painter.canvas
    return canvas.displayList()
}

/// Draws `state` in `environment`.
public func boardView(_ state: BoardState, in environment: DisplayEnvironment) -> DisplayList {
    boardView(state, size: environment.size, strings: environment.strings, measurer: environment.measurer)
}

/// What a highlighted thing shows at `uptime`: nothing special, highlighted steady, or in a blink's dim phase.
enum HighlightPhase: Hashable {
    case none
    case steady
    case dim

    /// The phase of a highlight that started at `since` (blinking first when `blinks`).
    static func at(_ uptime: Uptime, since: Uptime, blinks: Bool) -> HighlightPhase {
        let age = uptime - since
        guard age >= 0, age < BoardTiming.highlightSeconds else { return .none }
        guard blinks, age < BoardTiming.blinkSeconds else { return .steady }
        return Int(age / BoardTiming.blinkPhaseSeconds) % 2 == 1 ? .dim : .steady
    }
}

/// Lays out the board screens on a canvas.
struct BoardPainter {
    var canvas: Canvas
    let state: BoardState
    let words: Wording
    let theme = BoardTheme.standard

    var metrics: Metrics { canvas.metrics }
    var unit: Double { metrics.unit }
    var board: HallBoard? { state.board }
    var timeZone: TimeZone { board.flatMap { TimeZone(identifier: $0.timezone) } ?? TimeZone(secondsFromGMT: 8 * 3600)! }

    // MARK: Common parts

    /// "正在连接叫号服务器…" before the first snapshot.
    mutating func drawConnecting() {
        let bounds = metrics.bounds.insetBy(dx: metrics.margin, dy: metrics.margin)
        canvas.bilingualText(words(.boardConnecting), words.other(.boardConnecting), in: bounds,
                             size: (56 * unit).rounded(), minimum: (28 * unit).rounded(), maxLines: 2,
                             secondSize: (32 * unit).rounded(), color: theme.text, alignment: .center)
    }

    /// The red band while the link to the hall server is down, in `band` (the hall screen's header, or a strip
    /// taken from the top of a window screen).
    mutating func drawLinkBanner(in band: Rect) {
        canvas.fill(band, theme.alarm)
        let inner = band.insetBy(dx: metrics.margin, dy: (band.height * 0.1).rounded())
        canvas.bilingualText(words(.boardLinkLost), words.other(.boardLinkLost), in: inner,
                             size: (inner.height * 0.5).rounded(), minimum: (inner.height * 0.3).rounded(), maxLines: 1,
                             secondSize: max(12, (inner.height * 0.28).rounded()), color: theme.alarmText,
                             alignment: .leading)
    }

    var linkLost: Bool {
        if case .lost = state.link { return true }
        return false
    }

    /// Hall name on the left; date and clock on the right. Returns the area below.
    mutating func drawHeader(in area: Rect) -> Rect {
        let (band, rest) = area.slicedFromTop(BoardLayout.headerHeight(metrics.size))
        canvas.fill(band, linkLost ? theme.alarm : theme.panel)
        let inner = band.insetBy(dx: metrics.margin, dy: (band.height * 0.12).rounded())
        let clockSize = (inner.height * 0.62).rounded()
        let clock = Wording.clock(state.now, in: timeZone)
        let clockWidth = canvas.fitter.width("00:00", clockSize, bold: true)
        let date = words.date(state.now, in: timeZone)
        let dateSize = (inner.height * 0.34).rounded()
        let dateWidth = canvas.fitter.width(date, dateSize, bold: false) + metrics.gap
        let (left, right) = inner.slicedFromLeft(max(0, inner.width - clockWidth - dateWidth))
        let (dateSlot, clockArea) = right.slicedFromLeft(dateWidth)
        // The gap sits between the date and the clock (the date is right-aligned against it).
        let (dateArea, _) = dateSlot.slicedFromLeft(max(0, dateSlot.width - metrics.gap))
        canvas.text(clock, in: clockArea, size: clockSize, bold: true, color: theme.text, alignment: .trailing)
        canvas.text(date, in: dateArea, size: dateSize, color: linkLost ? theme.alarmText : theme.mutedText,
                    alignment: .trailing)
        if linkLost {
            // While the link is down the banner takes the hall name's place: the clock stays.
            drawLinkBanner(in: Rect(x: band.x, y: band.y, width: left.maxX - band.x, height: band.height))
        } else if let name = board?.hallName {
            canvas.bilingualText(name.text(in: words.language), name.text(in: words.language.other), in: left,
                                 size: (inner.height * 0.5).rounded(), minimum: (inner.height * 0.3).rounded(),
                                 maxLines: 1, secondSize: (inner.height * 0.26).rounded(), color: theme.text)
        }
        return rest
    }

    /// The notice line at the bottom: still when it fits; a longer notice moves on a line's width at a time, every
    /// `BoardNotice.pageSeconds` (a ticker in steps: as readable as a smooth one, and an idle screen draws nothing in
    /// between). Returns the area above it.
    mutating func drawNotice(in area: Rect) -> Rect {
        guard let notice = board?.notice, !notice.text(in: words.language).isEmpty else { return area }
        let (band, rest) = area.slicedFromBottom(BoardLayout.noticeHeight(metrics.size))
        canvas.fill(band, theme.panel)
        let size = BoardLayout.noticeFont(metrics.size)
        let inner = band.insetBy(dx: metrics.margin, dy: 0)
        let pages = BoardNotice.pages(notice, language: words.language, width: inner.width, size: size, fitter: canvas.fitter)
        let page = pages[BoardNotice.pageIndex(uptime: state.uptime, count: pages.count)]
        canvas.draw(FittedText(lines: [page], pointSize: size, lineHeight: metrics.line(size)), in: inner, color: theme.text,
                    bold: false, alignment: pages.count > 1 ? .leading : .center)
        return rest
    }

    /// A panel with a title row (and `tags` at the title row's right end); returns the area inside below the title.
    mutating func panel(_ frame: Rect, title: StringKey, fill: Color? = nil, titleColor: Color? = nil,
                        tags: [String] = [], tagFill: Color? = nil, tagText: Color? = nil) -> Rect {
        canvas.fill(frame, fill ?? theme.panel, radius: metrics.cornerRadius)
        let inner = frame.insetBy(dx: metrics.padding, dy: metrics.padding)
        let titleHeight = min((58 * unit).rounded(), (inner.height * 0.2).rounded())
        let (fullTitleRow, rest) = inner.slicedFromTop(titleHeight, gap: (metrics.gap * 0.5).rounded())
        let titleRow = drawTags(tags, in: fullTitleRow, size: (titleHeight * 0.6).rounded(), fill: tagFill ?? theme.tag,
                                text: tagText ?? theme.tagText)
        let first = words(title), second = words.other(title)
        let firstSize = (titleHeight * 0.7).rounded()
        let firstWidth = canvas.fitter.width(first, firstSize, bold: true) + metrics.gap
        let (firstArea, secondArea) = titleRow.slicedFromLeft(min(titleRow.width, firstWidth))
        canvas.text(first, in: firstArea, size: firstSize, bold: true, color: titleColor ?? theme.mutedText)
        canvas.text(second, in: secondArea, size: (titleHeight * 0.45).rounded(), color: titleColor ?? theme.mutedText)
        return rest
    }

    /// The words a call carries besides its number: 重呼, the priority, 新 while highlighted.
    func tags(_ known: KnownCall, highlighted: Bool) -> [String] {
        var tags: [String] = []
        if highlighted { tags.append(words(.boardNew)) }
        if known.call.isRecall { tags.append(words(.boardRecall)) }
        if let priority = known.call.priority { tags.append(words(BoardWording.key(priority))) }
        return tags
    }

    /// Small filled tags in a row from the right of `area`; returns the area left of them.
    mutating func drawTags(_ tags: [String], in area: Rect, size: Double, fill: Color, text: Color) -> Rect {
        var right = area.maxX
        for tag in tags.reversed() {
            let width = canvas.fitter.width(tag, size, bold: true) + size
            let frame = Rect(x: right - width, y: area.midY - size * 0.75, width: width, height: size * 1.5).pixelAligned
            guard frame.minX >= area.minX else { break }
            canvas.fill(frame, fill, radius: (size * 0.3).rounded())
            canvas.text(tag, in: frame, size: size, bold: true, color: text, alignment: .center)
            right = frame.minX - (size * 0.4).rounded()
        }
        return Rect(x: area.x, y: area.y, width: max(0, right - area.x), height: area.height)
    }

    /// How a window is named for a call: "3号窗口".
    func windowName(_ call: BoardCall) -> LocalizedText { call.windowName }
}

/// Sizes shared by the layout and the engine's timing.
enum BoardLayout {
    /// The header band: a tenth of the screen's short side.
    static func headerHeight(_ size: Size) -> Double { (min(size.width, size.height) * 0.1).rounded() }
    /// The notice strip: 7.5 % of the short side.
    static func noticeHeight(_ size: Size) -> Double { (min(size.width, size.height) * 0.075).rounded() }
    static func noticeFont(_ size: Size) -> Double { (noticeHeight(size) * 0.5).rounded() }
}

/// Words for priorities.
enum BoardWording {
    static func key(_ priority: PriorityKind) -> StringKey {
        switch priority {
        case .elderly: .boardPriorityElderly
        case .disabled: .boardPriorityDisabled
        case .appointment: .boardPriorityAppointment
        }
    }
}

/// The notice line's text and its pages.
public enum BoardNotice {
    /// How long each page of a notice longer than its strip stays.
    public static let pageSeconds: Double = 6

    /// The line shown: the first language, then the other after a wide gap.
    static func line(_ notice: LocalizedText, language: Language) -> String {
        let first = notice.text(in: language), second = notice.text(in: language.other)
        guard !second.isEmpty, second != first else { return first }
        return first + "　　　" + second
    }

    /// The notice broken into pieces that each fit `width` at `size` (one piece when the bilingual line fits whole).
    /// Each language is paged on its own (a page never ends in one language and goes on in the other), and its lines
    /// are balanced — every page about as full as the others — so no page shows a lone "队。".
    static func pages(_ notice: LocalizedText, language: Language, width: Double, size: Double, fitter: TextFitter) -> [String] {
        let text = line(notice, language: language)
        guard fitter.width(text, size, bold: false) > width else { return [text] }
        let first = notice.text(in: language), second = notice.text(in: language.other)
        let parts = second.isEmpty || second == first ? [first] : [first, second]
        let pages = parts.flatMap { balancedLines($0, width: width, size: size, fitter: fitter) }
        return pages.isEmpty ? [text] : pages
    }

    /// `text` in as many lines as `width` needs, each about as full as the others: wrapped at the text's width
    /// shared out over that many lines, widened a little at a time until it needs no more lines. Two or three wraps
    /// (the board is drawn on every call; each wrap measures every prefix of a line).
    static func balancedLines(_ text: String, width: Double, size: Double, fitter: TextFitter) -> [String] {
        func lines(_ width: Double) -> [String] {
            fitter.fit(text, width: width, height: .infinity, preferred: size, minimum: size, bold: false, maxLines: 64).lines
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let full = lines(width)
        guard full.count > 1 else { return full }
        var trial = min(width, fitter.width(text, size, bold: false) / Double(full.count) * 1.04)
        while trial < width {
            let balanced = lines(trial)
            if balanced.count <= full.count, balanced.allSatisfy({ !$0.hasSuffix("…") }) { return balanced }
            trial = min(width, trial * 1.08)
        }
        return full
    }

    /// Which page shows at `uptime`.
    static func pageIndex(uptime: Uptime, count: Int) -> Int {
        guard count > 1 else { return 0 }
        return Int((uptime.seconds / pageSeconds).rounded(.down)) % count
    }
}
