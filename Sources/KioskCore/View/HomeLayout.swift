import HallAPI

/// Where everything on the home screen goes, computed from the screen size, the text mode and
/// the hall's services. Shared by the view (to draw) and the reducer (to clamp paging).
///
/// The layout keeps every service within two touches: when every service fits on one page, all are
/// shown (with their department on each button); otherwise the departments become tabs (one touch),
/// and a department with more services than fit becomes several tabs ("1/2 人力社保"). Without
/// departments the services are paged with ‹ › when two pages hold them, and become numbered page
/// tabs when more pages are needed.
struct HomeLayout {
    enum Mode: Hashable {
        case all
        case tabs
        case pages
    }

    var mode: Mode
    var groups: [ServiceGroup]
    /// The position, clamped to existing tabs and pages.
    var position: HomePosition
    var pageCount: Int
    var tabFrames: [Rect]
    /// The words on each tab (the ones its frame was sized for).
    var tabTitles: [TabTitle]
    var visibleServices: [ServiceStatus]
    var serviceFrames: [Rect]
    var pagerFrame: Rect?
    var footer: [(action: KioskAction, frame: Rect)]
    /// Area for a message when there are no services to show.
    var messageFrame: Rect
    var showsGroupOnButtons: Bool
    var fonts: ServiceButtonFonts
    /// True when the service buttons are lower than their words need (not even one row of full height fits).
    var squeezed = false

    /// Font sizes inside a service button.
    struct ServiceButtonFonts: Hashable {
        var name: Double
        var info: Double
        var group: Double
        /// The service's name in the other language, under its name.
        var second: Double
    }

    /// Font sizes inside a department tab.
    struct TabFonts: Hashable {
        var first: Double
        var firstMinimum: Double
        var second: Double
        /// Lines a department's name may take: three in large text, where it may not shrink below the floor.
        var firstMaxLines: Int

        init(_ metrics: Metrics) {
            firstMaxLines = metrics.isLargeText ? 3 : 2
            first = metrics.font(32)
            firstMinimum = (first * 0.65).rounded()
            second = metrics.font(22)
        }
    }

    /// A tab's words: the department in the citizen's language, and in the other language under it.
    struct TabTitle: Hashable {
        var first: String
        var second: String?
        /// Both, for the hit region (a scripted `tap-text` finds the tab in either language).
        var label: String { [first, second].compactMap { $0 }.joined(separator: " ") }
    }

    static func make(services: [ServiceStatus], position: HomePosition, content: Rect, canvas: Canvas,
                     words: Wording) -> HomeLayout {
        let metrics = canvas.metrics
        let gap = metrics.gap
        let footer = footerFrames(in: content, canvas: canvas, words: words)
        let footerTop = footer.map(\.frame.minY).min() ?? content.maxY
        let area = Rect(x: content.x, y: content.y, width: content.width, height: max(0, footerTop - gap - content.y))

        let fonts = ServiceButtonFonts(name: metrics.font(46), info: metrics.font(32), group: metrics.font(26),
                                       second: metrics.font(28))
        let columns = serviceColumns(width: area.width, metrics: metrics)
        let buttonWidth = (area.width - gap * Double(columns - 1)) / Double(columns)
        let innerWidth = buttonWidth - 2 * metrics.padding
        let nameLines = services.map {
            canvas.fit($0.name.text(in: words.language), width: innerWidth, size: fonts.name, bold: true, maxLines: 2)
                .lines.count
        }.max() ?? 1
        let secondNameHeight = showsSecondLanguage(metrics)
            && services.contains { $0.name.secondLine(besides: words.language) != nil }
            ? metrics.line(fonts.second) : 0
        func buttonHeight(withGroup: Bool) -> Double {
            let content = (withGroup ? metrics.line(fonts.group) : 0) + Double(nameLines) * metrics.line(fonts.name)
                + secondNameHeight
                + metrics.line(fonts.info) + 0.4 * gap
            // Up to 12 % below the ideal height is fine: the name font shrinks a little to fit.
            return max(metrics.touch * 1.25, ((content + 2 * metrics.padding) * 0.88).rounded(.up))
        }
        func rows(in height: Double, buttonHeight: Double) -> Int {
            max(1, Int((height + gap) / (buttonHeight + gap)))
        }

        let groups = ServiceGroup.grouping(services)
        let hasGroups = groups.count >= 2
        let pagerHeight = metrics.touch

        var layout = HomeLayout(mode: .all, groups: groups, position: HomePosition(), pageCount: 1, tabFrames: [], tabTitles: [],
                                visibleServices: [], serviceFrames: [], pagerFrame: nil, footer: footer,
                                messageFrame: area, showsGroupOnButtons: false, fonts: fonts)

        let allHeight = buttonHeight(withGroup: hasGroups)
        if services.count <= rows(in: area.height, buttonHeight: allHeight) * columns {
            layout.mode = .all
            layout.showsGroupOnButtons = hasGroups
            layout.place(services, in: area, columns: columns,
                         rows: rows(in: area.height, buttonHeight: allHeight), minHeight: allHeight, gap: gap)
            return layout
        }

        let plainHeight = buttonHeight(withGroup: false)
        if !hasGroups {
            // Two pages: ‹ › reaches the second in one touch.
            let split = area.slicedFromBottom(pagerHeight, gap: gap)
            let perPage = rows(in: split.rest.height, buttonHeight: plainHeight) * columns
            if services.count <= 2 * perPage {
                layout.mode = .pages
                layout.pagerFrame = split.slice
                layout.pageCount = max(1, (services.count + perPage - 1) / perPage)
                let page = min(max(0, position.page), layout.pageCount - 1)
                layout.position.page = page
                layout.place(Array(services.dropFirst(page * perPage).prefix(perPage)), in: split.rest, columns: columns,
                             rows: rows(in: split.rest.height, buttonHeight: plainHeight), minHeight: plainHeight, gap: gap)
                return layout
            }
        }

        // Tabs: one per department, or per part of a department (or per page) that fits the grid under them.
        layout.mode = .tabs
        let sources = hasGroups ? groups : [ServiceGroup(title: nil, services: services)]
        var entries = sources
        var tabs: [Rect] = []
        var grid = area
        for _ in 0..<4 {
            tabs = tabFrames(titles: tabTitles(entries, words: words, metrics: metrics), in: area, canvas: canvas)
            let tabsBottom = tabs.map(\.maxY).max() ?? area.minY
            grid = Rect(x: area.x, y: tabsBottom + gap, width: area.width, height: max(0, area.maxY - tabsBottom - gap))
            let perTab = rows(in: grid.height, buttonHeight: plainHeight) * columns
            let next = sources.flatMap { $0.split(perTab: perTab) }
            if next.count == entries.count && next.map(\.services.count) == entries.map(\.services.count) { break }
            entries = next
        }
        let perTab = rows(in: grid.height, buttonHeight: plainHeight) * columns
        if entries.contains(where: { $0.services.count > perTab }) {
            // So many services for the screen (e.g. large text on a small screen) that tabs leave no room:
            // one tab per department (none without) and pages inside it; nothing is left out.
            entries = sources
            layout.mode = hasGroups ? .tabs : .pages
            layout.tabTitles = hasGroups ? tabTitles(entries, words: words, metrics: metrics) : []
            tabs = tabFrames(titles: layout.tabTitles, in: area, canvas: canvas)
            let tabsBottom = tabs.map(\.maxY).max() ?? (area.minY - gap)
            grid = Rect(x: area.x, y: tabsBottom + gap, width: area.width, height: max(0, area.maxY - tabsBottom - gap))
        } else {
            layout.tabTitles = tabTitles(entries, words: words, metrics: metrics)
            tabs = tabFrames(titles: layout.tabTitles, in: area, canvas: canvas)
        }
        layout.groups = entries
        layout.tabFrames = tabs
        let group = min(max(0, position.group), entries.count - 1)
        layout.position = HomePosition(group: group, page: 0)
        let candidates = entries[group].services
        var perPage = rows(in: grid.height, buttonHeight: plainHeight) * columns
        if candidates.count > perPage {
            let split = grid.slicedFromBottom(pagerHeight, gap: gap)
            layout.pagerFrame = split.slice
            grid = split.rest
            perPage = rows(in: grid.height, buttonHeight: plainHeight) * columns
        }
        layout.pageCount = max(1, (candidates.count + perPage - 1) / perPage)
        layout.position.page = min(max(0, position.page), layout.pageCount - 1)
        layout.place(Array(candidates.dropFirst(layout.position.page * perPage).prefix(perPage)), in: grid, columns: columns,
                     rows: rows(in: grid.height, buttonHeight: plainHeight), minHeight: plainHeight, gap: gap)
        return layout
    }

    /// A tab's words: the department, led by "1/2" when it spans several tabs (in front, so a long name cut
    /// short with "…" still tells the tabs apart); "第 1/3 页" for the pages of a hall without departments.
    /// The second line is the same in the other language.
    /// Large text has no second lines: the citizen who switched it on did so in their own language, and the
    /// room goes to bigger words.
    static func tabTitles(_ entries: [ServiceGroup], words: Wording, metrics: Metrics) -> [TabTitle] {
        let onlyPages = entries.allSatisfy { $0.title == nil }
        let bilingual = showsSecondLanguage(metrics)
        return entries.map { entry in
            let part = entry.parts > 1 ? "\(entry.part)/\(entry.parts) " : ""
            var title: TabTitle
            if let department = entry.title {
                title = TabTitle(first: part + department.text(in: words.language),
                                 second: department.secondLine(besides: words.language))
            } else if onlyPages {
                let arguments = ["page": String(entry.part), "pages": String(entry.parts)]
                title = TabTitle(first: words(.homePage, arguments), second: words.other(.homePage, arguments))
            } else {
                title = TabTitle(first: part + words(.homeOtherServices), second: words.other(.homeOtherServices))
            }
            if !bilingual { title.second = nil }
            return title
        }
    }

    /// Whether service buttons and tabs carry the other language in small type under the citizen's: yes, except
    /// in large text.
    static func showsSecondLanguage(_ metrics: Metrics) -> Bool { !metrics.isLargeText }

    /// Lays the services out row by row; buttons grow to use the space, never more than 60 %.
    private mutating func place(_ services: [ServiceStatus], in grid: Rect, columns: Int, rows: Int, minHeight: Double,
                                gap: Double) {
        messageFrame = grid
        visibleServices = services
        // Share the height among the rows actually used; grow up to 60 % to use the space;
        // shrink only when not even one row of full height fits.
        let usedRows = max(1, min(rows, (services.count + columns - 1) / columns))
        let height = min(minHeight * 1.6, ((grid.height - gap * Double(usedRows - 1)) / Double(usedRows)).rounded(.down)).rounded(.down)
        squeezed = height < minHeight
        let width = (grid.width - gap * Double(columns - 1)) / Double(columns)
        serviceFrames = services.indices.map { index in
            let row = index / columns, column = index % columns
            return Rect(x: grid.x + Double(column) * (width + gap), y: grid.y + Double(row) * (height + gap),
                        width: width, height: height).pixelAligned
        }
    }

    /// Two columns on a portrait 1080 screen, three in landscape; fewer in large-text mode.
    static func serviceColumns(width: Double, metrics: Metrics) -> Int {
        let minimumWidth = (metrics.isLargeText ? 600 : 440) * metrics.unit
        return max(1, Int((width + metrics.gap) / (minimumWidth + metrics.gap)))
    }

    /// Department tabs in as few equal rows as fit, each tall enough for its two lines (the department in
    /// both languages, each wrapping to at most two lines).
    static func tabFrames(titles: [TabTitle], in area: Rect, canvas: Canvas) -> [Rect] {
        let count = titles.count
        guard count > 0 else { return [] }
        let metrics = canvas.metrics
        let bilingual = titles.contains { $0.second != nil }
        let minimumWidth = (metrics.isLargeText ? 290 : bilingual ? 250 : 220) * metrics.unit
        let fitting = max(1, min(count, Int((area.width + metrics.gap) / (minimumWidth + metrics.gap))))
        let rowCount = (count + fitting - 1) / fitting
        let columns = (count + rowCount - 1) / rowCount
        let width = (area.width - metrics.gap * Double(columns - 1)) / Double(columns)
        let inner = width - 2 * metrics.padding
        let fonts = TabFonts(metrics)
        let content = titles.map { title in
            canvas.fit(title.first, width: inner, size: fonts.first, minimum: fonts.firstMinimum, bold: true,
                       maxLines: fonts.firstMaxLines).height
                + (title.second.map { canvas.fit($0, width: inner, size: fonts.second, maxLines: 2).height } ?? 0)
        }.max() ?? 0
        let height = max(metrics.touch, (content + 2 * (metrics.padding * 0.6).rounded()).rounded(.up))
        return (0..<count).map { index in
            let row = index / columns, column = index % columns
            return Rect(x: area.x + Double(column) * (width + metrics.gap),
                        y: area.y + Double(row) * (height + metrics.gap), width: width, height: height).pixelAligned
        }
    }

    /// Progress lookup, rating, language, large text, high contrast: one row when every label
    /// fits, else two rows (the two entries above the three toggles).
    static func footerFrames(in content: Rect, canvas: Canvas, words: Wording)
        -> [(action: KioskAction, frame: Rect)] {
        let metrics = canvas.metrics
        let actions: [KioskAction] = [.openLookup, .openRating, .toggleLanguage, .toggleLargeText, .toggleHighContrast]
        let size = metrics.font(34)
        let rowHeight = max(metrics.touch, (metrics.line(size) + 1.2 * metrics.padding).rounded(.up))
        let cellWidth = (content.width - 4 * metrics.gap) / 5 - 2 * metrics.padding
        let fitsOneRow = actions.allSatisfy { action in
            canvas.fitter.width(footerLabel(action, words), (size * 0.75).rounded(), bold: true) <= cellWidth
        }
        if fitsOneRow {
            let row = content.slicedFromBottom(rowHeight).slice
            return zip(actions, row.columns(5, gap: metrics.gap)).map { ($0, $1) }
        }
        let (bottom, rest) = content.slicedFromBottom(rowHeight, gap: metrics.gap)
        let top = rest.slicedFromBottom(rowHeight).slice
        let entries = zip(actions.prefix(2), top.columns(2, gap: metrics.gap)).map { ($0, $1) }
        let toggles = zip(actions.suffix(3), bottom.columns(3, gap: metrics.gap)).map { ($0, $1) }
        return entries + toggles
    }

    static func footerLabel(_ action: KioskAction, _ words: Wording) -> String {
        switch action {
        case .openLookup: words(.homeLookup)
        case .openRating: words(.homeRate)
        case .toggleLanguage: words(.toggleLanguage)
        case .toggleLargeText: words(.toggleLargeText)
        case .toggleHighContrast: words(.toggleHighContrast)
        default: ""
        }
    }
}
