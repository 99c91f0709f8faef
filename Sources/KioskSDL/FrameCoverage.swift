import CSDL2
import KioskCore

/// What a frame's opaque rectangles hide, worked out before drawing so the software renderer writes each
/// pixel as few times as it can (filling is most of a frame's cost):
/// - the background is cleared only where no opaque rectangle will paint anyway;
/// - text that sits wholly on one solid colour is rendered already blended onto that colour, so it is
///   copied (no per-pixel alpha blending).
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
        let clipped = covers.compactMap { c -> SDL_Rect? in
            let x0 = max(0, c.x), y0 = max(0, c.y), x1 = min(width, c.x + c.w), y1 = min(height, c.y + c.h)
            return x1 > x0 && y1 > y0 ? SDL_Rect(x: x0, y: y0, w: x1 - x0, h: y1 - y0) : nil
        }
        guard !clipped.isEmpty else { return [SDL_Rect(x: 0, y: 0, w: width, h: height)] }
        var edges = Set<Int32>([0, height])
        for c in clipped { edges.insert(c.y); edges.insert(c.y + c.h) }
        let ys = edges.sorted()
        var result: [SDL_Rect] = []
        for (top, bottom) in zip(ys, ys.dropFirst()) where bottom > top {
            // Covers spanning this whole band, as x intervals merged left to right.
            let spans = clipped.filter { $0.y <= top && $0.y + $0.h >= bottom }.map { ($0.x, $0.x + $0.w) }.sorted { $0.0 < $1.0 }
            var x: Int32 = 0
            for (start, end) in spans {
                if start > x { result.append(SDL_Rect(x: x, y: top, w: start - x, h: bottom - top)) }
                x = max(x, end)
            }
            if x < width { result.append(SDL_Rect(x: x, y: top, w: width - x, h: bottom - top)) }
        }
        return merged(result)
    }

    /// Joins vertically adjacent bands with the same x extent (fewer, taller fills).
    private static func merged(_ bands: [SDL_Rect]) -> [SDL_Rect] {
        var out: [SDL_Rect] = []
        var open: [Int32: Int] = [:]  // key: x | w << 16 → index in out of a band ending at the current top
        for band in bands {
            let key = band.x | (band.w << 16)
            if let i = open[key], out[i].y + out[i].h == band.y {
                out[i].h += band.h
            } else {
                open[key] = out.count
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
        var j = index - 1
        while j >= 0 {
            defer { j -= 1 }
            let item = list.items[j]
            guard let bounds = item.bounds, bounds.overlaps(placed) else { continue }
            guard case .rect(let frame, let color, let radius) = item, color.alpha == 255 else { return nil }
            let box = PixelBox(frame).rect
            let inside = opaqueCore(box, radius: Int32(radius.rounded())).contains { core in
                Double(core.x) <= placed.minX && Double(core.y) <= placed.minY
                    && Double(core.x + core.w) >= placed.maxX && Double(core.y + core.h) >= placed.maxY
            }
            return inside ? color : nil
        }
        return list.background.alpha == 255 ? list.background : nil
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
