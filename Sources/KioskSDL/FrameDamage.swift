import KioskCore

/// Which parts of the screen change from one display list to the next: the bounds of items that left and of
/// items that came, merged into a few rectangles. A frame that only moves the clock or presses a button
/// repaints a few thousand pixels instead of two million.
enum FrameDamage {
    /// Regions to repaint (layout pixels, whole pixels, a pixel of margin for anti-aliased edges); empty when
    /// nothing changed; `nil` when a whole frame is cheaper or needed (size, background or item order changed,
    /// or the changes cover most of the screen).
    static func regions(from old: DisplayList, to new: DisplayList, bounds: (DisplayItem) -> Rect) -> [Rect]? {
        guard old.size == new.size, old.background == new.background else { return nil }
        if old.items == new.items { return [] }
        var remaining: [DisplayItem: Int] = [:]
        for item in old.items { remaining[item, default: 0] += 1 }
        var changed: [Rect] = []
        var kept: [DisplayItem] = []
        for item in new.items {
            if let n = remaining[item], n > 0 {
                remaining[item] = n - 1
                kept.append(item)
            } else {
                changed.append(bounds(item))
            }
        }
        for (item, n) in remaining where n > 0 { for _ in 0..<n { changed.append(bounds(item)) } }
        // The same items in another order paint differently where they overlap: repaint everything.
        if changed.isEmpty || kept != old.items.filter({ item in kept.contains(item) }) { return nil }
        let screen = Rect(x: 0, y: 0, width: new.size.width, height: new.size.height)
        let merged = merge(changed.compactMap { clip(grow($0), to: screen) })
        let area = merged.reduce(0) { $0 + $1.width * $1.height }
        return area > 0.6 * screen.width * screen.height ? nil : merged
    }

    private static func grow(_ r: Rect) -> Rect {
        let minX = (r.minX - 1).rounded(.down), minY = (r.minY - 1).rounded(.down)
        return Rect(x: minX, y: minY, width: (r.maxX + 1).rounded(.up) - minX, height: (r.maxY + 1).rounded(.up) - minY)
    }

    private static func clip(_ r: Rect, to screen: Rect) -> Rect? {
        let minX = max(r.minX, screen.minX), minY = max(r.minY, screen.minY)
        let maxX = min(r.maxX, screen.maxX), maxY = min(r.maxY, screen.maxY)
        return maxX > minX && maxY > minY ? Rect(x: minX, y: minY, width: maxX - minX, height: maxY - minY) : nil
    }

    /// Joins overlapping rectangles until none overlap (a handful per frame, so quadratic is fine).
    static func merge(_ rects: [Rect]) -> [Rect] {
        var result = rects
        var joined = true
        while joined {
            joined = false
            outer: for i in result.indices {
                for j in result.indices where j > i && result[i].overlaps(result[j]) {
                    let a = result[i], b = result[j]
                    let minX = min(a.minX, b.minX), minY = min(a.minY, b.minY)
                    result[i] = Rect(x: minX, y: minY, width: max(a.maxX, b.maxX) - minX, height: max(a.maxY, b.maxY) - minY)
                    result.remove(at: j)
                    joined = true
                    break outer
                }
            }
        }
        return result
    }
}
