import HallAPI

/// Draws `state` for a screen of `size`: a display list of plain drawing commands and hit regions.
/// Pure: the same state, size, strings and measurer always give the same list.
public func view(_ state: KioskState, size: Size, strings: Strings,
                 measurer: any TextMeasurer = EstimatingTextMeasurer(), ratingMode mode: RatingMode = .fiveLevels,
                 role: DeviceRole = .ticketKiosk, checkinOffered: Bool = false) -> DisplayList {
    let metrics = Metrics(size: size, largeText: state.largeText)
    var canvas = Canvas(metrics: metrics, theme: .palette(highContrast: state.highContrast), measurer: measurer,
                        pressed: state.pressed)
    canvas.checkinOffered = checkinOffered
    let words = Wording(strings: strings, language: state.language)
    switch state.screen {
    case .home(let position):
        canvas.drawHome(state, position: position, words: words)
    case .issuing(let intent):
        canvas.drawIssuing(state, intent: intent, words: words)
    case .ticket(let ticket):
        canvas.drawTicket(state, ticket: ticket, words: words)
    case .lookup(let lookup):
        canvas.drawLookup(state, lookup: lookup, words: words)
    case .lookupResult(let result):
        canvas.drawLookupResult(state, result: result, words: words)
    case .closed(let todayHours):
        canvas.drawClosed(state, todayHours: todayHours, words: words)
    case .offline:
        canvas.drawOffline(state, words: words)
    case .ratingIdle:
        canvas.drawRatingIdle(state, words: words)
    case .rating(let rating):
        canvas.drawRating(state, rating: rating, mode: mode, words: words)
    case .adminPin(let pin):
        canvas.drawAdminPin(state, pin: pin, words: words)
    case .admin(let admin):
        canvas.drawAdmin(state, admin: admin, role: role, words: words)
    case .checkin(let checkin):
        canvas.drawCheckin(state, screen: checkin, words: words)
    }
    return canvas.displayList()
}

/// Draws `state` in `environment` (the form the reducer uses for hit testing).
public func view(_ state: KioskState, in environment: DisplayEnvironment) -> DisplayList {
    view(state, size: environment.size, strings: environment.strings, measurer: environment.measurer,
         ratingMode: environment.ratingMode, role: environment.role, checkinOffered: environment.checkinOffered)
}

extension Canvas {
    /// A centred column of text blocks: each entry is (text, size, bold, colour, max lines).
    struct Line {
        var text: String
        var size: Double
        var bold: Bool = false
        var color: Color
        var maxLines: Int = 1
    }

    /// Draws `lines` stacked and centred vertically in `area`; returns the frames used.
    @discardableResult
    mutating func column(_ lines: [Line], in area: Rect, alignment: TextAlignment = .center,
                         spacing: Double? = nil) -> [Rect] {
        let spacing = spacing ?? (metrics.gap * 0.6).rounded()
        let fitted = lines.map {
            fit($0.text, width: area.width, size: $0.size, minimum: ($0.size * 0.6).rounded(), bold: $0.bold,
                maxLines: $0.maxLines)
        }
        var total = fitted.reduce(0) { $0 + $1.height } + spacing * Double(max(0, fitted.count - 1))
        var scaledFitted = fitted
        if total > area.height {
            // Shrink everything evenly until the column fits.
            let scale = max(0.5, area.height / total)
            scaledFitted = lines.map {
                let size = ($0.size * scale).rounded()
                return fit($0.text, width: area.width, height: .infinity, size: size, minimum: (size * 0.8).rounded(),
                           bold: $0.bold, maxLines: $0.maxLines)
            }
            total = scaledFitted.reduce(0) { $0 + $1.height } + spacing * Double(max(0, fitted.count - 1))
        }
        var y = max(area.minY, (area.midY - total / 2).rounded())
        var frames: [Rect] = []
        for (line, fit) in zip(lines, scaledFitted) {
            let frame = Rect(x: area.x, y: y, width: area.width, height: fit.height)
            draw(fit, in: frame, color: line.color, bold: line.bold, alignment: alignment)
            frames.append(frame)
            y += fit.height + spacing
        }
        return frames
    }

    /// A row of equal buttons along the bottom of `area`; returns the area above it.
    mutating func bottomButtons(_ buttons: [(KioskAction, String, ButtonStyle)], in area: Rect,
                                maxButtonWidth: Double? = nil) -> Rect {
        let height = max(metrics.touch, (metrics.line(metrics.font(38)) + 1.2 * metrics.padding).rounded(.up))
        let (row, rest) = area.slicedFromBottom(height, gap: metrics.gap)
        let maxWidth = maxButtonWidth ?? (560 * metrics.unit)
        let count = Double(buttons.count)
        let width = min(maxWidth, (row.width - metrics.gap * (count - 1)) / count)
        let total = width * count + metrics.gap * (count - 1)
        let start = Rect(x: (row.midX - total / 2).rounded(), y: row.y, width: total, height: row.height)
        for ((action, label, style), frame) in zip(buttons, start.columns(buttons.count, gap: metrics.gap)) {
            button(action, frame, label: label, style: style, size: metrics.font(38))
        }
        return rest
    }
}
