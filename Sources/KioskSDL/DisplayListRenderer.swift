import CSDL2
import CSDL2Image
import CSDL2TTF
import Foundation
import KioskCore

/// Draws a `DisplayList` into an SDL surface (the window's framebuffer, or an offscreen surface for
/// screenshots): the items become paint steps — fills, copies of cached opaque pieces, blends — in target
/// pixels, which `FramePainter` draws writing each pixel about once. Text, QR codes, images and anti-aliased
/// corner pieces come from the texture cache; a warm frame only fills and copies.
final class DisplayListRenderer {
    let fonts: FontLibrary
    let cache: TextureCache
    let imageDirectory: String?
    /// Images registered at run time (staff photos), looked up before the image folder.
    let imageStore = ImageStore()
    private var missingImages = Set<String>()
    /// Natural (upright) size of each image drawn so far and whether it has transparent pixels.
    private var imageInfo: [String: (width: Int32, height: Int32, opaque: Bool)] = [:]
    /// The pixel format of the targets (the window's): opaque cached pieces are kept in it, so drawing them is a
    /// row copy.
    private(set) var format: UInt32
    private var painter = FramePainter()
    private var steps: [PaintStep] = []
    /// Per item of the list being painted: the target pixels it may paint, and its text's size.
    private var boxes: [SDL_Rect] = []
    private var textSizesOfItems: [(width: Int32, height: Int32)?] = []
    /// Pixels written by the last `render`.
    private(set) var statistics = FrameStatistics()

    init(format: UInt32, fonts: FontLibrary, imageDirectory: String?, budgetBytes: Int) {
        self.format = format
        self.fonts = fonts
        self.imageDirectory = imageDirectory
        self.cache = TextureCache(budgetBytes: budgetBytes)
    }

    /// How layout coordinates map to the current target during `render`.
    private var rotation: ScreenRotation?

    /// The list whose pixels the target holds now, how it was turned, and the target; `nil` when unknown (first
    /// frame, the window was exposed).
    private var onTarget: (list: DisplayList, degrees: Int, target: UnsafeMutablePointer<SDL_Surface>, width: Int32, height: Int32)?

    /// The next `render` repaints everything (the target's pixels are not the last list's any more).
    func invalidate() { onTarget = nil }

    /// Draws `list` into `target`, turned by `rotation` (nil = as laid out), and returns the target rectangles
    /// it changed: `nil` for the whole target, empty when nothing changed.
    /// Rotation happens item by item — rectangles are mapped, text/QR/image textures are cached already
    /// turned — so a rotated frame costs the same as an upright one (no full-screen rotate per frame).
    /// When the target still holds the previous list, only the regions whose items changed are repainted
    /// (a pressed button, the clock); `full` forces a whole frame.
    @discardableResult
    func render(_ list: DisplayList, on target: UnsafeMutablePointer<SDL_Surface>, rotation: ScreenRotation?,
                full: Bool = false) -> [SDL_Rect]? {
        self.rotation = rotation?.degrees == 0 ? nil : rotation
        if target.pointee.format.pointee.format != format {
            // A target in another pixel format: cached opaque pieces would need converting on every copy.
            cache.removeAll()
            format = target.pointee.format.pointee.format
            onTarget = nil
        }
        cache.beginFrame()
        statistics = FrameStatistics(targetPixels: Int(target.pointee.w) * Int(target.pointee.h))
        defer {
            cache.trim()
            onTarget = (list, degrees, target, target.pointee.w, target.pointee.h)
        }
        if !full, let previous = onTarget, previous.degrees == degrees, previous.target == target,
           previous.width == target.pointee.w, previous.height == target.pointee.h,
           let damage = FrameDamage.regions(from: previous.list, to: list, bounds: paintBounds) {
            var changed: [SDL_Rect] = []
            if !damage.isEmpty { measure(list) }
            for region in damage {
                let clip = toTarget(PixelBox(region).rect)
                paint(list, clip: clip, on: target)
                changed.append(clip)
            }
            return changed
        }
        measure(list)
        paint(list, clip: SDL_Rect(x: 0, y: 0, w: target.pointee.w, h: target.pointee.h), on: target)
        return nil
    }

    /// Works out, once per frame, where each item of `list` may paint (target pixels) and the size of its text.
    private func measure(_ list: DisplayList) {
        boxes.removeAll(keepingCapacity: true)
        textSizesOfItems.removeAll(keepingCapacity: true)
        for item in list.items {
            var size: (width: Int32, height: Int32)?
            if case .text(let text) = item { size = textSize(text) }
            textSizesOfItems.append(size)
            boxes.append(toTarget(PixelBox(paintBounds(item, textSize: size)).rect))
        }
    }

    /// Paints `clip` (target pixels) of `list`: the background and every item that paints there.
    private func paint(_ list: DisplayList, clip: SDL_Rect, on target: UnsafeMutablePointer<SDL_Surface>) {
        steps.removeAll(keepingCapacity: true)
        for (index, item) in list.items.enumerated() {
            if FramePainter.intersection(boxes[index], clip) == nil { continue }
            switch item {
            case .rect(let frame, let color, let radius):
                addRect(frame, color: color, radius: radius, index: index, in: list, on: target)
            case .outline(let frame, let color, let lineWidth, let radius):
                addOutline(frame, color: color, lineWidth: lineWidth, radius: radius, index: index, in: list, on: target)
            case .text(let text):
                if let size = textSizesOfItems[index] { addText(text, size: size, index: index, in: list) }
            case .qr(let payload, let frame):
                addQR(payload, in: frame, on: target)
            case .image(let name, let frame):
                addImage(name, in: frame)
            }
        }
        let background = list.background
        painter.paint(steps, background: SDL_MapRGB(target.pointee.format, background.red, background.green, background.blue),
                      clip: clip, on: target, statistics: &statistics)
    }

    /// Where an item may put pixels, in layout coordinates: text can reach beyond its frame.
    private func paintBounds(_ item: DisplayItem) -> Rect {
        guard case .text(let text) = item else { return item.bounds ?? Rect(x: 0, y: 0, width: 0, height: 0) }
        return paintBounds(item, textSize: textSize(text))
    }

    private func paintBounds(_ item: DisplayItem, textSize size: (width: Int32, height: Int32)?) -> Rect {
        guard case .text(let text) = item, let size else { return item.bounds ?? Rect(x: 0, y: 0, width: 0, height: 0) }
        let placed = Self.placement(of: text, width: size.width, height: size.height)
        let p = Rect(x: Double(placed.x), y: Double(placed.y), width: Double(placed.w), height: Double(placed.h))
        let f = text.frame
        let minX = min(p.minX, f.minX), minY = min(p.minY, f.minY)
        return Rect(x: minX, y: minY, width: max(p.maxX, f.maxX) - minX, height: max(p.maxY, f.maxY) - minY)
    }

    /// The one colour under `area` (target pixels) before item `index` paints, when known (see
    /// `FrameCoverage.solidColor`).
    /// Text paints only its ink: the rest of its box keeps what was under it (a blended glyph box), or is that
    /// same solid colour (an opaque box made on it), so text boxes that overlap without their ink overlapping
    /// (lines set tighter than the font's line height) still count as one solid colour.
    private func solidColor(under area: SDL_Rect, below index: Int, in list: DisplayList) -> Color? {
        FrameCoverage.solidColor(under: area, below: index, in: list) { j in
            guard case .text(let text) = list.items[j], FrameCoverage.overlaps(boxes[j], area),
                  let size = textSizesOfItems[j], let ink = inkBox(of: text) else { return boxes[j] }
            let placed = Self.placement(of: text, width: size.width, height: size.height)
            return toTarget(SDL_Rect(x: placed.x + ink.x, y: placed.y + ink.y, w: ink.w, h: ink.h))
        }
    }

    // MARK: - Rectangles

    private var degrees: Int { rotation?.degrees ?? 0 }

    /// A layout pixel rectangle in target pixels.
    private func toTarget(_ rect: SDL_Rect) -> SDL_Rect {
        guard let rotation else { return rect }
        let width = Int32(rotation.layoutSize.width), height = Int32(rotation.layoutSize.height)
        switch rotation.degrees {
        case 90: return SDL_Rect(x: height - rect.y - rect.h, y: rect.x, w: rect.h, h: rect.w)
        case 180: return SDL_Rect(x: width - rect.x - rect.w, y: height - rect.y - rect.h, w: rect.w, h: rect.h)
        case 270: return SDL_Rect(x: rect.y, y: width - rect.x - rect.w, w: rect.h, h: rect.w)
        default: return rect
        }
    }

    /// Steps filling `rects` (target pixels) with `color`.
    private func addFills(_ rects: [SDL_Rect], color: Color, on target: UnsafeMutablePointer<SDL_Surface>) {
        let source: PaintStep.Source = color.alpha == 255
            ? .fill(SDL_MapRGB(target.pointee.format, color.red, color.green, color.blue)) : .blendFill(color)
        for rect in rects where rect.w > 0 && rect.h > 0 { steps.append(PaintStep(source: source, rect: rect)) }
    }

    // Rounded rectangles look the same turned by any multiple of 90°: map the box, then draw in target pixels.
    private func addRect(_ frame: Rect, color: Color, radius: Double, index: Int, in list: DisplayList,
                         on target: UnsafeMutablePointer<SDL_Surface>) {
        let box = PixelBox(toTarget(PixelBox(frame).rect))
        guard box.w > 0, box.h > 0 else { return }
        let r = min(Int32(radius.rounded()), box.w / 2, box.h / 2)
        guard r > 0 else {
            addFills([box.rect], color: color, on: target)
            return
        }
        addFills([SDL_Rect(x: box.x + r, y: box.y, w: box.w - 2 * r, h: box.h),
                  SDL_Rect(x: box.x, y: box.y + r, w: r, h: box.h - 2 * r),
                  SDL_Rect(x: box.x + box.w - r, y: box.y + r, w: r, h: box.h - 2 * r)], color: color, on: target)
        addCorners(box: box, radius: r, lineWidth: 0, color: color, index: index, in: list, on: target)
    }

    private func addOutline(_ frame: Rect, color: Color, lineWidth: Double, radius: Double, index: Int, in list: DisplayList,
                            on target: UnsafeMutablePointer<SDL_Surface>) {
        let box = PixelBox(toTarget(PixelBox(frame).rect))
        guard box.w > 0, box.h > 0 else { return }
        let line = max(1, min(Int32(lineWidth.rounded()), box.w / 2, box.h / 2))
        let r = min(Int32(radius.rounded()), box.w / 2, box.h / 2)
        let corner = max(r, line)
        addFills([SDL_Rect(x: box.x + corner, y: box.y, w: box.w - 2 * corner, h: line),
                  SDL_Rect(x: box.x + corner, y: box.y + box.h - line, w: box.w - 2 * corner, h: line),
                  SDL_Rect(x: box.x, y: box.y + corner, w: line, h: box.h - 2 * corner),
                  SDL_Rect(x: box.x + box.w - line, y: box.y + corner, w: line, h: box.h - 2 * corner)], color: color, on: target)
        if r > line {
            addCorners(box: box, radius: r, lineWidth: line, color: color, index: index, in: list, on: target)
        } else {
            // Square (or nearly square) corners: the corner squares are solid.
            addFills([SDL_Rect(x: box.x, y: box.y, w: corner, h: line), SDL_Rect(x: box.x, y: box.y, w: line, h: corner),
                      SDL_Rect(x: box.x + box.w - corner, y: box.y, w: corner, h: line),
                      SDL_Rect(x: box.x + box.w - line, y: box.y, w: line, h: corner),
                      SDL_Rect(x: box.x, y: box.y + box.h - line, w: corner, h: line),
                      SDL_Rect(x: box.x, y: box.y + box.h - corner, w: line, h: corner),
                      SDL_Rect(x: box.x + box.w - corner, y: box.y + box.h - line, w: corner, h: line),
                      SDL_Rect(x: box.x + box.w - line, y: box.y + box.h - corner, w: line, h: corner)], color: color, on: target)
        }
    }

    /// The four quadrants of a 2r×2r disc (`lineWidth` 0) or ring in the corners of `box`. A corner that sits on
    /// one known solid colour — or, for an outline, on the same corner of its own button, which sits on one — is
    /// copied from a piece made already blended onto what is under it; otherwise it is blended.
    private func addCorners(box: PixelBox, radius r: Int32, lineWidth line: Int32, color: Color, index: Int, in list: DisplayList,
                            on target: UnsafeMutablePointer<SDL_Surface>) {
        let corners: [(Int32, Int32, Int32, Int32)] = [
            (0, 0, box.x, box.y), (r, 0, box.x + box.w - r, box.y),
            (0, r, box.x, box.y + box.h - r), (r, r, box.x + box.w - r, box.y + box.h - r),
        ]
        for (sx, sy, dx, dy) in corners {
            let rect = SDL_Rect(x: dx, y: dy, w: r, h: r)
            var under: UInt32 = 0, background: UInt32 = 0  // 0: blended
            if let solid = solidColor(under: rect, below: index, in: list) {
                background = solid.rgba
            } else if line > 0, let button = buttonCorner(under: rect, box: box, radius: r, below: index, in: list) {
                under = button.button.rgba
                background = button.background.rgba
            }
            let key = TextureCache.Key.corner(radius: Int(r), lineWidth: Int(line), rgba: color.rgba, underRGBA: under,
                                              backgroundRGBA: background)
            guard let entry = cornerTexture(key) else { continue }
            steps.append(PaintStep(source: background != 0 ? .copy(entry.texture) : .blend(entry.texture), rect: rect,
                                   sourceX: sx, sourceY: sy))
        }
    }

    /// For an outline's corner square `rect` of `box`: when the item under it is an opaque rounded rectangle of the
    /// same box and radius (the outline's own button) whose corner sits on one solid colour, that button's colour
    /// and the colour under it.
    private func buttonCorner(under rect: SDL_Rect, box: PixelBox, radius r: Int32, below index: Int,
                              in list: DisplayList) -> (button: Color, background: Color)? {
        var j = index - 1
        while j >= 0 {
            defer { j -= 1 }
            guard FrameCoverage.overlaps(boxes[j], rect) else { continue }
            guard case .rect(_, let color, let radius) = list.items[j], color.alpha == 255 else { return nil }
            let b = boxes[j]
            guard b.x == box.x, b.y == box.y, b.w == box.w, b.h == box.h,
                  min(Int32(radius.rounded()), b.w / 2, b.h / 2) == r,
                  let background = solidColor(under: rect, below: j, in: list) else { return nil }
            return (color, background)
        }
        return nil
    }

    /// A corner piece, cached: a disc or ring of radius r in one colour with anti-aliased edges (4×4 samples per
    /// pixel), ARGB for blending; or that piece blended onto a background colour (over a disc of `underRGBA`
    /// first, when not 0) with SDL's blend, exactly as it would be on screen, in the target format.
    private func cornerTexture(_ key: TextureCache.Key) -> TextureCache.Entry? {
        if let entry = cache.lookup(key) { return entry }
        guard case .corner(let radius, let line, let rgba, let underRGBA, let background) = key else { return nil }
        if background != 0 {
            let side = Int32(2 * radius)
            guard let piece = SDL_CreateRGBSurfaceWithFormat(0, side, side, 32, format) else { return nil }
            SDL_FillRect(piece, nil, SDL_MapRGB(piece.pointee.format, UInt8(background >> 24), UInt8((background >> 16) & 0xFF),
                                                UInt8((background >> 8) & 0xFF)))
            var layers: [TextureCache.Key] = []
            if underRGBA != 0 { layers.append(.corner(radius: radius, lineWidth: 0, rgba: underRGBA, underRGBA: 0, backgroundRGBA: 0)) }
            layers.append(.corner(radius: radius, lineWidth: line, rgba: rgba, underRGBA: 0, backgroundRGBA: 0))
            for layer in layers {
                guard let blended = cornerTexture(layer) else {
                    SDL_FreeSurface(piece)
                    return nil
                }
                FramePainter.blit(from: blended.texture, x: 0, y: 0, to: SDL_Rect(x: 0, y: 0, w: side, h: side), on: piece)
            }
            SDL_SetSurfaceBlendMode(piece, SDL_BLENDMODE_NONE)
            return cache.insert(key, texture: piece)
        }
        let inner = line > 0 ? Double(radius - line) : 0
        let rgb = rgba >> 8, opacity = rgba & 0xFF
        let side = 2 * radius
        var pixels = [UInt32](repeating: 0, count: side * side)
        let outer = Double(radius)
        for y in 0..<side {
            for x in 0..<side {
                var inside = 0
                for sy in 0..<4 {
                    for sx in 0..<4 {
                        let px = Double(x) + (Double(sx) + 0.5) / 4 - outer
                        let py = Double(y) + (Double(sy) + 0.5) / 4 - outer
                        let distance = (px * px + py * py).squareRoot()
                        if distance <= outer && distance >= inner { inside += 1 }
                    }
                }
                let alpha = UInt32((inside * Int(opacity) + 8) / 16)
                pixels[y * side + x] = (alpha << 24) | rgb
            }
        }
        return makeTexture(key, width: side, height: side, pixels: pixels, opaque: false)
    }

    /// A cached texture of ARGB `pixels`: converted to the target format when `opaque`, else kept ARGB for blending.
    private func makeTexture(_ key: TextureCache.Key, width: Int, height: Int, pixels: [UInt32],
                             opaque: Bool) -> TextureCache.Entry? {
        guard let argb = SDL_CreateRGBSurfaceWithFormat(0, Int32(width), Int32(height), 32, SDL_PIXELFORMAT_ARGB8888.rawValue)
        else { return nil }
        pixels.withUnsafeBytes { bytes in
            let pitch = Int(argb.pointee.pitch)
            for y in 0..<height {
                memcpy(argb.pointee.pixels + y * pitch, bytes.baseAddress! + y * width * 4, width * 4)
            }
        }
        return insert(key, argb, opaque: opaque)
    }

    /// Caches `surface` (taking it): opaque ones in the target format, others ARGB set to blend.
    private func insert(_ key: TextureCache.Key, _ surface: UnsafeMutablePointer<SDL_Surface>, opaque: Bool) -> TextureCache.Entry? {
        if opaque {
            defer { SDL_FreeSurface(surface) }
            guard let converted = SDL_ConvertSurfaceFormat(surface, format, 0) else { return nil }
            SDL_SetSurfaceBlendMode(converted, SDL_BLENDMODE_NONE)
            return cache.insert(key, texture: converted)
        }
        var argb = surface
        if surface.pointee.format.pointee.format != SDL_PIXELFORMAT_ARGB8888.rawValue {
            defer { SDL_FreeSurface(surface) }
            guard let converted = SDL_ConvertSurfaceFormat(surface, SDL_PIXELFORMAT_ARGB8888.rawValue, 0) else { return nil }
            argb = converted
        }
        SDL_SetSurfaceBlendMode(argb, SDL_BLENDMODE_BLEND)
        return cache.insert(key, texture: argb)
    }

    // MARK: - Text

    /// Where text of `width`×`height` pixels sits in `item.frame`: aligned horizontally, centred vertically.
    static func placement(of item: TextItem, width: Int32, height: Int32) -> SDL_Rect {
        let x: Double
        switch item.alignment {
        case .leading: x = item.frame.minX
        case .center: x = item.frame.midX - Double(width) / 2
        case .trailing: x = item.frame.maxX - Double(width)
        }
        let y = item.frame.midY - Double(height) / 2
        return SDL_Rect(x: Int32(x.rounded()), y: Int32(y.rounded()), w: width, h: height)
    }

    /// Text on one solid colour is drawn from an opaque texture made on that colour (a plain copy); other
    /// text is alpha-blended.
    private func addText(_ item: TextItem, size: (width: Int32, height: Int32), index: Int, in list: DisplayList) {
        guard !item.string.isEmpty else { return }
        let placed = Self.placement(of: item, width: size.width, height: size.height)
        let background = item.color.alpha == 255 ? solidColor(under: toTarget(placed), below: index, in: list) : nil
        let turned = degrees % 180 != 0
        guard var entry = textTexture(item, on: background) else { return }
        var opaque = background != nil
        if opaque, (turned ? (entry.height, entry.width) : (entry.width, entry.height)) != size {
            // The opaque box would be bigger than the area checked: blend instead.
            guard let blended = textTexture(item, on: nil) else { return }
            entry = blended
            opaque = false
        }
        let target = toTarget(Self.placement(of: item, width: turned ? entry.height : entry.width,
                                             height: turned ? entry.width : entry.height))
        steps.append(PaintStep(source: opaque ? .copy(entry.texture) : .blend(entry.texture), rect: target))
    }

    private struct TextSizeKey: Hashable {
        var string: String
        var pixelSize: Int
        var bold: Bool

        func hash(into hasher: inout Hasher) {
            string.hashUTF8(into: &hasher)
            hasher.combine(pixelSize)
            hasher.combine(bold)
        }

        static func == (a: TextSizeKey, b: TextSizeKey) -> Bool {
            a.pixelSize == b.pixelSize && a.bold == b.bold && a.string.sameUTF8(b.string)
        }
    }

    /// Upright sizes of rendered text, remembered (nil: the font could not size it); the hall's words stay.
    private var textSizes = TwoGenerationCache<TextSizeKey, (width: Int32, height: Int32)?>(limit: 2048)
    /// Where the glyphs of rendered text have ink (any coverage), in its upright box, remembered.
    private var textInks = TwoGenerationCache<TextSizeKey, SDL_Rect>(limit: 2048)

    /// The box of `item`'s rendered pixels that are not background (`TTF_RenderUTF8_Shaded`: palette index 0 is
    /// the background, every other index some coverage), upright, relative to the text's box; empty for no ink.
    private func inkBox(of item: TextItem) -> SDL_Rect? {
        let key = TextSizeKey(string: item.string, pixelSize: FontLibrary.pixelSize(item.pointSize), bold: item.bold)
        if let ink = textInks.value(for: key) { return ink }
        let surface = fonts.withFont(pointSize: item.pointSize, bold: item.bold, text: item.string) { font -> UnsafeMutablePointer<SDL_Surface>? in
            guard let font else { return nil }
            return TTF_RenderUTF8_Shaded(font, item.string, SDL_Color(r: 0, g: 0, b: 0, a: 255), SDL_Color(r: 255, g: 255, b: 255, a: 255))
        }
        guard let surface else { return nil }
        defer { SDL_FreeSurface(surface) }
        guard surface.pointee.format.pointee.BytesPerPixel == 1, let pixels = surface.pointee.pixels else { return nil }
        let width = Int(surface.pointee.w), height = Int(surface.pointee.h), pitch = Int(surface.pointee.pitch)
        var minX = width, minY = height, maxX = -1, maxY = -1
        let bytes = pixels.assumingMemoryBound(to: UInt8.self)
        for y in 0..<height {
            let row = bytes + y * pitch
            for x in 0..<width where row[x] != 0 {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        let ink = maxX < 0 ? SDL_Rect(x: 0, y: 0, w: 0, h: 0)
            : SDL_Rect(x: Int32(minX), y: Int32(minY), w: Int32(maxX - minX + 1), h: Int32(maxY - minY + 1))
        textInks.insert(ink, for: key)
        return ink
    }

    /// The upright size of the rendered text (as `TTF_RenderUTF8_*` makes it), remembered.
    private func textSize(_ item: TextItem) -> (width: Int32, height: Int32)? {
        let key = TextSizeKey(string: item.string, pixelSize: FontLibrary.pixelSize(item.pointSize), bold: item.bold)
        if let size = textSizes.value(for: key) { return size }
        let size = fonts.withFont(pointSize: item.pointSize, bold: item.bold, text: item.string) { font -> (width: Int32, height: Int32)? in
            guard let font else { return nil }
            var width: Int32 = 0, height: Int32 = 0
            guard TTF_SizeUTF8(font, item.string, &width, &height) == 0 else { return nil }
            return (width, max(height, TTF_FontHeight(font)))
        }
        textSizes.insert(size, for: key)
        return size
    }

    private func textTexture(_ item: TextItem, on background: Color?) -> TextureCache.Entry? {
        let color = item.color
        let rgba = color.rgba
        let key = TextureCache.Key.text(string: item.string, pixelSize: FontLibrary.pixelSize(item.pointSize),
                                        bold: item.bold, rgba: rgba, backgroundRGBA: background?.rgba ?? 0,
                                        degrees: degrees)
        if let entry = cache.lookup(key) { return entry }
        let surface = fonts.withFont(pointSize: item.pointSize, bold: item.bold, text: item.string) { font -> UnsafeMutablePointer<SDL_Surface>? in
            guard let font else { return nil }
            let foreground = SDL_Color(r: color.red, g: color.green, b: color.blue, a: color.alpha)
            if let background {
                return TTF_RenderUTF8_Shaded(font, item.string, foreground,
                                             SDL_Color(r: background.red, g: background.green, b: background.blue, a: 255))
            }
            return TTF_RenderUTF8_Blended(font, item.string, foreground)
        }
        guard let surface else {
            Log.once("text:\(item.string)", "cannot render text \"\(item.string)\": \(String(cString: SDL_GetError()))")
            return nil
        }
        return makeTexture(key, from: surface, opaque: background != nil)
    }

    /// A cached texture of `surface` (taken) turned by the current rotation.
    private func makeTexture(_ key: TextureCache.Key, from surface: UnsafeMutablePointer<SDL_Surface>,
                             opaque: Bool) -> TextureCache.Entry? {
        if degrees == 0 { return insert(key, surface, opaque: opaque) }
        defer { SDL_FreeSurface(surface) }
        guard let argb = SDL_ConvertSurfaceFormat(surface, SDL_PIXELFORMAT_ARGB8888.rawValue, 0) else { return nil }
        defer { SDL_FreeSurface(argb) }
        let width = Int(argb.pointee.w), height = Int(argb.pointee.h), pitch = Int(argb.pointee.pitch) / 4
        guard width > 0, height > 0, let base = argb.pointee.pixels else { return nil }
        let source = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt32.self), count: pitch * height)
        let turned = Self.rotate(source, width: width, height: height, rowLength: pitch, degrees: degrees)
        return makeTexture(key, width: turned.width, height: turned.height, pixels: turned.pixels, opaque: opaque)
    }

    /// `pixels` (rows of `rowLength`, `width`×`height` used) turned clockwise by `degrees`.
    static func rotate(_ pixels: UnsafeBufferPointer<UInt32>, width: Int, height: Int, rowLength: Int,
                       degrees: Int) -> (pixels: [UInt32], width: Int, height: Int) {
        let turned = degrees % 180 != 0
        let outWidth = turned ? height : width, outHeight = turned ? width : height
        var out = [UInt32](repeating: 0, count: outWidth * outHeight)
        out.withUnsafeMutableBufferPointer { target in
            for y in 0..<height {
                for x in 0..<width {
                    let value = pixels[y * rowLength + x]
                    switch degrees {
                    case 90: target[x * outWidth + (height - 1 - y)] = value
                    case 180: target[(height - 1 - y) * outWidth + (width - 1 - x)] = value
                    case 270: target[(width - 1 - x) * outWidth + y] = value
                    default: target[y * outWidth + x] = value
                    }
                }
            }
        }
        return (out, outWidth, outHeight)
    }

    // MARK: - QR codes

    /// The QR code's pixel square in `frame`: whole pixels per module, quiet zone included, centred.
    static func qrPlacement(moduleCount: Int, in frame: Rect) -> (modulePixels: Int, rect: SDL_Rect) {
        let box = PixelBox(frame)
        let total = moduleCount + 2 * QRRaster.quietZone
        let modulePixels = max(1, Int(min(box.w, box.h)) / total)
        let side = Int32(total * modulePixels)
        return (modulePixels, SDL_Rect(x: box.x + (box.w - side) / 2, y: box.y + (box.h - side) / 2, w: side, h: side))
    }

    private var qrModuleCounts: [String: Int] = [:]

    private func addQR(_ payload: String, in frame: Rect, on target: UnsafeMutablePointer<SDL_Surface>) {
        addFills([toTarget(PixelBox(frame).rect)], color: Color(hex: 0xFFFFFF), on: target)
        let moduleCount: Int
        var raster: (size: Int, dark: [Bool])?
        if let known = qrModuleCounts[payload] {
            moduleCount = known
        } else {
            do {
                raster = try QRRaster.modules(for: payload)
            } catch {
                Log.once("qr:\(payload)", "cannot draw QR code: \(error)")
                return
            }
            moduleCount = raster?.size ?? 0
            if qrModuleCounts.count > 64 { qrModuleCounts.removeAll() }
            qrModuleCounts[payload] = moduleCount
        }
        let (modulePixels, placed) = Self.qrPlacement(moduleCount: moduleCount, in: frame)
        let key = TextureCache.Key.qr(payload: payload, modulePixels: modulePixels, degrees: degrees)
        var entry = cache.lookup(key)
        if entry == nil {
            guard let modules = raster ?? (try? QRRaster.modules(for: payload)) else { return }
            let total = modules.size + 2 * QRRaster.quietZone
            let side = total * modulePixels
            var pixels = [UInt32](repeating: 0xFFFF_FFFF, count: side * side)
            for row in 0..<modules.size {
                for column in 0..<modules.size where modules.dark[row * modules.size + column] {
                    let top = (row + QRRaster.quietZone) * modulePixels
                    let left = (column + QRRaster.quietZone) * modulePixels
                    for y in top..<(top + modulePixels) {
                        let start = y * side + left
                        for x in start..<(start + modulePixels) { pixels[x] = 0xFF00_0000 }
                    }
                }
            }
            if degrees != 0 {
                pixels = pixels.withUnsafeBufferPointer {
                    Self.rotate($0, width: side, height: side, rowLength: side, degrees: degrees).pixels
                }
            }
            entry = makeTexture(key, width: side, height: side, pixels: pixels, opaque: true)
        }
        guard let entry else { return }
        steps.append(PaintStep(source: .copy(entry.texture), rect: toTarget(placed)))
    }

    // MARK: - Images

    /// An image scaled (linear filtering) to fit `frame`, centred; cached at that size, already turned.
    private func addImage(_ name: String, in frame: Rect) {
        var decoded: UnsafeMutablePointer<SDL_Surface>?
        defer { if let decoded { SDL_FreeSurface(decoded) } }
        if imageInfo[name] == nil {
            guard let image = loadImage(name) else { return }
            decoded = image
        }
        guard let info = imageInfo[name], info.width > 0, info.height > 0 else { return }
        let box = PixelBox(frame)
        let scale = min(Double(box.w) / Double(info.width), Double(box.h) / Double(info.height))
        let width = Int32((Double(info.width) * scale).rounded()), height = Int32((Double(info.height) * scale).rounded())
        guard width > 0, height > 0 else { return }
        let target = toTarget(SDL_Rect(x: box.x + (box.w - width) / 2, y: box.y + (box.h - height) / 2, w: width, h: height))
        let key = TextureCache.Key.image(name: name, degrees: degrees, width: target.w, height: target.h)
        var entry = cache.lookup(key)
        if entry == nil {
            if decoded == nil { decoded = loadImage(name) }
            guard let source = decoded else { return }
            entry = makeImageTexture(key, from: source, width: target.w, height: target.h, opaque: info.opaque)
        }
        guard let entry else { return }
        steps.append(PaintStep(source: info.opaque ? .copy(entry.texture) : .blend(entry.texture), rect: target))
    }

    /// The image `name` decoded as ARGB, upright (from the image store, else the image folder); records its size.
    private func loadImage(_ name: String) -> UnsafeMutablePointer<SDL_Surface>? {
        var surface: UnsafeMutablePointer<SDL_Surface>?
        if let decoded = imageStore.image(named: name) {
            // Decoded and scaled down already (off the frame loop): only a copy into a surface here.
            guard let copy = SDL_CreateRGBSurfaceWithFormat(0, decoded.width, decoded.height, 32,
                                                            SDL_PIXELFORMAT_ARGB8888.rawValue) else { return nil }
            decoded.pixels.withUnsafeBytes { bytes in
                let row = Int(decoded.width) * 4
                for y in 0..<Int(decoded.height) {
                    memcpy(copy.pointee.pixels + y * Int(copy.pointee.pitch), bytes.baseAddress! + y * row, row)
                }
            }
            if imageInfo.count > 256 { imageInfo.removeAll() }
            imageInfo[name] = (decoded.width, decoded.height, decoded.opaque)
            return copy
        } else {
            guard !missingImages.contains(name) else { return nil }
            let path = imageDirectory.map { $0 + "/" + name + (name.contains(".") ? "" : ".png") }
            guard let path, let loaded = IMG_Load(path) else {
                missingImages.insert(name)
                Log.once("image:\(name)", "image '\(name)' not drawn: "
                    + (imageDirectory == nil ? "no image folder configured" : "cannot load it from \(imageDirectory!) "
                        + "(\(String(cString: SDL_GetError())))"))
                return nil
            }
            surface = loaded
        }
        guard let surface else { return nil }
        defer { SDL_FreeSurface(surface) }
        let opaque = surface.pointee.format.pointee.Amask == 0 && SDL_HasColorKey(surface) == SDL_FALSE
            && surface.pointee.format.pointee.palette == nil
        guard let argb = SDL_ConvertSurfaceFormat(surface, SDL_PIXELFORMAT_ARGB8888.rawValue, 0) else { return nil }
        if imageInfo.count > 256 { imageInfo.removeAll() }
        imageInfo[name] = (argb.pointee.w, argb.pointee.h, opaque)
        return argb
    }

    /// `source` (ARGB, upright) turned by the current rotation and scaled to `width`×`height` (turned) pixels.
    private func makeImageTexture(_ key: TextureCache.Key, from source: UnsafeMutablePointer<SDL_Surface>,
                                  width: Int32, height: Int32, opaque: Bool) -> TextureCache.Entry? {
        var turned = source
        var ownsTurned = false
        if degrees != 0 {
            let w = Int(source.pointee.w), h = Int(source.pointee.h), pitch = Int(source.pointee.pitch) / 4
            guard let base = source.pointee.pixels else { return nil }
            let rotated = Self.rotate(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt32.self), count: pitch * h),
                                      width: w, height: h, rowLength: pitch, degrees: degrees)
            guard let surface = SDL_CreateRGBSurfaceWithFormat(0, Int32(rotated.width), Int32(rotated.height), 32,
                                                               SDL_PIXELFORMAT_ARGB8888.rawValue) else { return nil }
            rotated.pixels.withUnsafeBytes { bytes in
                for y in 0..<rotated.height {
                    memcpy(surface.pointee.pixels + y * Int(surface.pointee.pitch), bytes.baseAddress! + y * rotated.width * 4,
                           rotated.width * 4)
                }
            }
            turned = surface
            ownsTurned = true
        }
        defer { if ownsTurned { SDL_FreeSurface(turned) } }
        guard let scaled = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888.rawValue) else { return nil }
        guard SDL_SoftStretchLinear(turned, nil, scaled, nil) == 0 else {
            Log.once("image-scale", "cannot scale an image: \(String(cString: SDL_GetError()))")
            SDL_FreeSurface(scaled)
            return nil
        }
        return insert(key, scaled, opaque: opaque)
    }

    func close() {
        cache.removeAll()
    }
}

extension Color {
    /// `0xRRGGBBAA`, for cache keys.
    var rgba: UInt32 { UInt32(red) << 24 | UInt32(green) << 16 | UInt32(blue) << 8 | UInt32(alpha) }
}

/// A layout rectangle snapped to whole pixels (edges rounded, so neighbours never overlap or gap).
struct PixelBox {
    var x: Int32
    var y: Int32
    var w: Int32
    var h: Int32

    init(_ rect: SDL_Rect) {
        x = rect.x
        y = rect.y
        w = rect.w
        h = rect.h
    }

    init(_ frame: Rect) {
        let left = frame.minX.rounded(), top = frame.minY.rounded()
        x = Int32(left)
        y = Int32(top)
        w = Int32(frame.maxX.rounded() - left)
        h = Int32(frame.maxY.rounded() - top)
    }

    var rect: SDL_Rect { SDL_Rect(x: x, y: y, w: w, h: h) }
}

/// Messages for the system log (stderr via SDL_Log), each distinct message at most once.
enum Log {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var seen = Set<String>()

    static func once(_ key: String, _ message: String) {
        lock.lock()
        let first = seen.count < 1000 && seen.insert(key).inserted
        lock.unlock()
        if first { KioskSDL_Log("hallkiosk: " + message) }
    }
}
