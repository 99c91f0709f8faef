import CSDL2
import KioskCore

/// Rectangle arithmetic for writing each pixel of a frame as few times as possible (writing pixels is most
/// of a frame's cost):
/// - what of an area no opaque step covers (`uncovered`: the background, and the visible parts of each step);
/// - which colour lies under text or an anti-aliased corner (`solidColor`): when it is one solid colour, the
///   piece is made already blended onto it, so it is copied (no per-pixel alpha blending) and hides what is
///   under it.
enum FrameCoverage {
    /// The parts of a rounded rectangle that are solid colour: a full-width band between the top and bottom
    /// corners and a full-height band between the left and right corners.
    static func opaqueCore(_ box: SDL_Rect, radius: Int32) -> [SDL_Rect] {
        guard box.w > 0, box.h > 0 else { return [] }
        let r = max(0, min(radius, box.w / 2, box.h / 2))
        guard r > 0 else { return [box] }
        return [SDL_Rect(x: box.x, y: box.y + r, w: box.w, h: box.h - 2 * r),
                SDL_Rect(x: box.x + r, y: box.y, w: box.w - 2 * r, h: box.h)].filter { $0.w > 0 && $0.h > 0 }
    }

    /// The parts of the `width`×`height` area not covered by any rectangle of `covers`, as few horizontal
    /// bands as the cover edges allow.
    static func uncovered(width: Int32, height: Int32, covers: [SDL_Rect]) -> [SDL_Rect] {
        uncovered(SDL_Rect(x: 0, y: 0, w: width, h: height), covers: covers)
    }

    /// The parts of `area` not covered by any rectangle of `covers`, as few horizontal bands as the cover edges
    /// allow (vertically adjacent bands of the same width joined).
    static func uncovered(_ area: SDL_Rect, covers: [SDL_Rect]) -> [SDL_Rect] {
        guard area.w > 0, area.h > 0 else { return [] }
        let left = area.x, top = area.y, right = area.x + area.w, bottom = area.y + area.h
        // Most areas are wholly visible or wholly hidden: answer those without building bands.
        var touching = false
        for c in covers where c.x < right && left < c.x + c.w && c.y < bottom && top < c.y + c.h && c.w > 0 && c.h > 0 {
            if c.x <= left, c.y <= top, c.x + c.w >= right, c.y + c.h >= bottom { return [] }
            touching = true
        }
        guard touching else { return [area] }
        var clipped: [SDL_Rect] = []
        for c in covers {
            let x0 = max(left, c.x), y0 = max(top, c.y), x1 = min(right, c.x + c.w), y1 = min(bottom, c.y + c.h)
            guard x1 > x0, y1 > y0 else { continue }
            if x0 == left, y0 == top, x1 == right, y1 == bottom { return [] }
            clipped.append(SDL_Rect(x: x0, y: y0, w: x1 - x0, h: y1 - y0))
        }
        guard !clipped.isEmpty else { return [area] }
        var ys: [Int32] = [top, bottom]
        for c in clipped { ys.append(c.y); ys.append(c.y + c.h) }
        ys.sort()
        var result: [SDL_Rect] = []
        var spans: [(Int32, Int32)] = []
        var previous = ys[0]
        for y in ys.dropFirst() where y > previous {
            let bandTop = previous, bandBottom = y
            previous = y
            // Covers spanning this whole band (band edges include every cover edge), as x intervals left to right.
            spans.removeAll(keepingCapacity: true)
            for c in clipped where c.y <= bandTop && c.y + c.h >= bandBottom { spans.append((c.x, c.x + c.w)) }
            spans.sort { $0.0 < $1.0 }
            var x = left
            for (start, end) in spans {
                if start > x { result.append(SDL_Rect(x: x, y: bandTop, w: start - x, h: bandBottom - bandTop)) }
                x = max(x, end)
            }
            if x < right { result.append(SDL_Rect(x: x, y: bandTop, w: right - x, h: bandBottom - bandTop)) }
        }
        return merged(result)
    }

    /// Joins vertically adjacent bands with the same x extent (fewer, taller fills). Bands come top to bottom.
    private static func merged(_ bands: [SDL_Rect]) -> [SDL_Rect] {
        var out: [SDL_Rect] = []
        out.reserveCapacity(bands.count)
        for band in bands {
            if let i = out.lastIndex(where: { $0.x == band.x && $0.w == band.w && $0.y + $0.h == band.y }) {
                out[i].h += band.h
            } else {
                out.append(band)
            }
        }
        return out
    }

    /// The solid colour behind the text item at `index`, when everything under `placed` (layout pixels) up to
    /// that item is one opaque rectangle's solid core, or the cleared background with nothing drawn on it.
    /// `nil` when the text overlaps anything else, or is itself translucent.
    static func solidBackground(under placed: Rect, textIndex index: Int, in list: DisplayList) -> Color? {
        guard case .text(let text) = list.items[index], text.color.alpha == 255 else { return nil }
        return solidColor(under: PixelBox(placed).rect, below: index, in: list) { j in
            list.items[j].bounds.map { PixelBox($0).rect } ?? SDL_Rect(x: 0, y: 0, w: 0, h: 0)
        }
    }

    /// The one colour every pixel of `area` holds once the items before `index` are drawn, when that is known
    /// without drawing: the colour of the opaque rectangle drawn last there if its solid core holds all of
    /// `area`, or the background when nothing paints there. `nil` when anything else paints there. An outline
    /// paints only its line (and its corner squares), so what is inside it shows through.
    /// `paints(j)` gives the box item `j` may paint, in the same coordinates as `area` (target pixels).
    static func solidColor(under area: SDL_Rect, below index: Int, in list: DisplayList,
                           paints: (Int) -> SDL_Rect) -> Color? {
        var j = index - 1
        while j >= 0 {
            defer { j -= 1 }
            let box = paints(j)
            guard overlaps(box, area) else { continue }
            switch list.items[j] {
            case .rect(_, let color, let radius) where color.alpha == 255:
                let inside = opaqueCore(box, radius: Int32(radius.rounded())).contains { contains($0, area) }
                return inside ? color : nil
            case .outline(_, _, let lineWidth, let radius):
                if outlinePaints(box, lineWidth: lineWidth, radius: radius).contains(where: { overlaps($0, area) }) { return nil }
            default:
                return nil
            }
        }
        return list.background.alpha == 255 ? list.background : nil
    }

    /// The rectangles an outline of `box` may paint: its four lines and its four corner squares.
    static func outlinePaints(_ box: SDL_Rect, lineWidth: Double, radius: Double) -> [SDL_Rect] {
        let line = max(1, min(Int32(lineWidth.rounded()), box.w / 2, box.h / 2))
        let corner = max(line, min(Int32(radius.rounded()), box.w / 2, box.h / 2))
        return [SDL_Rect(x: box.x, y: box.y, w: box.w, h: line), SDL_Rect(x: box.x, y: box.y + box.h - line, w: box.w, h: line),
                SDL_Rect(x: box.x, y: box.y, w: line, h: box.h), SDL_Rect(x: box.x + box.w - line, y: box.y, w: line, h: box.h),
                SDL_Rect(x: box.x, y: box.y, w: corner, h: corner), SDL_Rect(x: box.x + box.w - corner, y: box.y, w: corner, h: corner),
                SDL_Rect(x: box.x, y: box.y + box.h - corner, w: corner, h: corner),
                SDL_Rect(x: box.x + box.w - corner, y: box.y + box.h - corner, w: corner, h: corner)]
    }

    static func overlaps(_ a: SDL_Rect, _ b: SDL_Rect) -> Bool {
        a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
    }

    /// True when `inner` lies wholly in `outer`.
    static func contains(_ outer: SDL_Rect, _ inner: SDL_Rect) -> Bool {
        outer.x <= inner.x && outer.y <= inner.y && outer.x + outer.w >= inner.x + inner.w && outer.y + outer.h >= inner.y + inner.h
    }
}

extension DisplayItem {
    /// The layout rectangle the item may paint.
    var bounds: Rect? {
        switch self {
        case .rect(let frame, _, _), .outline(let frame, _, _, _), .qr(_, let frame), .image(_, let frame): frame
        case .text(let text): text.frame
        }
    }
}
