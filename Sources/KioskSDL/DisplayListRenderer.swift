import CSDL2
import CSDL2Image
import CSDL2TTF
import Foundation
import KioskCore

/// Draws a `DisplayList` with an SDL renderer: one `switch` over the items. Text, QR codes, images and
/// anti-aliased corner pieces come from the texture cache; a warm frame only copies textures and fills
/// rectangles.
final class DisplayListRenderer {
    let renderer: OpaquePointer
    let fonts: FontLibrary
    let cache: TextureCache
    let imageDirectory: String?
    /// Images registered at run time (staff photos), looked up before the image folder.
    let imageStore = ImageStore()
    private var missingImages = Set<String>()

    init(renderer: OpaquePointer, fonts: FontLibrary, imageDirectory: String?, budgetBytes: Int) {
        self.renderer = renderer
        self.fonts = fonts
        self.imageDirectory = imageDirectory
        self.cache = TextureCache(budgetBytes: budgetBytes)
    }

    /// How layout coordinates map to the current render target during `render`.
    private var rotation: ScreenRotation?

    /// The list whose pixels the render target holds now, and how it was turned; `nil` when unknown (first
    /// frame, another target, the window was exposed).
    private var onTarget: (list: DisplayList, degrees: Int)?

    /// The next `render` repaints everything (the target's pixels are not the last list's any more).
    func invalidate() { onTarget = nil }

    /// Draws `list` into the current render target, turned by `rotation` (nil = as laid out).
    /// Rotation happens item by item — rectangles are mapped, text/QR/image textures are cached already
    /// turned — so a rotated frame costs the same as an upright one (no full-screen rotate per frame).
    /// When the target still holds the previous list, only the regions whose items changed are repainted
    /// (a pressed button, the clock); `full` forces a whole frame.
    func render(_ list: DisplayList, rotation: ScreenRotation?, full: Bool = false) {
        self.rotation = rotation?.degrees == 0 ? nil : rotation
        cache.beginFrame()
        defer {
            cache.trim()
            onTarget = (list, degrees)
        }
        if !full, let previous = onTarget, previous.degrees == degrees,
           let damage = FrameDamage.regions(from: previous.list, to: list, bounds: paintBounds) {
            for region in damage { repaint(list, in: region) }
            return
        }
        clearBackground(of: list)
        drawItems(list, clippedTo: nil)
    }

    /// Repaints `region` (layout pixels): background, then every item that paints there, clipped to it.
    private func repaint(_ list: DisplayList, in region: Rect) {
        var clip = toTarget(PixelBox(region).rect)
        SDL_RenderSetClipRect(renderer, &clip)
        defer { SDL_RenderSetClipRect(renderer, nil) }
        setColor(list.background)
        fill([clip])
        drawItems(list, clippedTo: region)
    }

    /// Where an item may put pixels, in layout coordinates: text can reach beyond its frame.
    private func paintBounds(_ item: DisplayItem) -> Rect {
        guard case .text(let text) = item, let size = textSize(text) else { return item.bounds ?? Rect(x: 0, y: 0, width: 0, height: 0) }
        let placed = Self.placement(of: text, width: size.width, height: size.height)
        let p = Rect(x: Double(placed.x), y: Double(placed.y), width: Double(placed.w), height: Double(placed.h))
        let f = text.frame
        let minX = min(p.minX, f.minX), minY = min(p.minY, f.minY)
        return Rect(x: minX, y: minY, width: max(p.maxX, f.maxX) - minX, height: max(p.maxY, f.maxY) - minY)
    }

    private func drawItems(_ list: DisplayList, clippedTo region: Rect?) {
        for (index, item) in list.items.enumerated() {
            if let region, !paintBounds(item).overlaps(region) { continue }
            switch item {
            case .rect(let frame, let color, let radius):
                fillRect(frame, color: color, radius: radius)
            case .outline(let frame, let color, let lineWidth, let radius):
                strokeRect(frame, color: color, lineWidth: lineWidth, radius: radius)
            case .text(let text):
                drawText(text, index: index, in: list)
            case .qr(let payload, let frame):
                drawQR(payload, in: frame)
            case .image(let name, let frame):
                drawImage(name, in: frame)
            }
        }
    }

    /// Fills the background colour only where no opaque rectangle or QR code will paint over it.
    private func clearBackground(of list: DisplayList) {
        var covers: [SDL_Rect] = []
        for item in list.items {
            switch item {
            case .rect(let frame, let color, let radius) where color.alpha == 255:
                covers += FrameCoverage.opaqueCore(toTarget(PixelBox(frame).rect), radius: Int32(radius.rounded()))
            case .qr(_, let frame):
                covers.append(toTarget(PixelBox(frame).rect))
            default:
                break
            }
        }
        var width: Int32 = 0, height: Int32 = 0
        SDL_GetRendererOutputSize(renderer, &width, &height)
        setColor(list.background)
        fill(FrameCoverage.uncovered(width: width, height: height, covers: covers))
    }

    // MARK: - Rectangles

    private func setColor(_ color: Color) {
        SDL_SetRenderDrawBlendMode(renderer, color.alpha == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND)
        SDL_SetRenderDrawColor(renderer, color.red, color.green, color.blue, color.alpha)
    }

    private var degrees: Int { rotation?.degrees ?? 0 }

    /// A layout pixel rectangle in render-target pixels.
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

    /// Fills rectangles given in render-target pixels.
    private func fill(_ rects: [SDL_Rect]) {
        let visible = rects.filter { $0.w > 0 && $0.h > 0 }
        guard !visible.isEmpty else { return }
        _ = visible.withUnsafeBufferPointer { SDL_RenderFillRects(renderer, $0.baseAddress, Int32($0.count)) }
    }

    // Rounded rectangles look the same turned by any multiple of 90°: map the box, then draw in target pixels.
    private func fillRect(_ frame: Rect, color: Color, radius: Double) {
        let box = PixelBox(toTarget(PixelBox(frame).rect))
        guard box.w > 0, box.h > 0 else { return }
        let r = min(Int32(radius.rounded()), box.w / 2, box.h / 2)
        setColor(color)
        guard r > 0, let disc = cornerTexture(.disc(radius: Int(r), rgba: color.rgba)) else {
            fill([box.rect])
            return
        }
        fill([SDL_Rect(x: box.x + r, y: box.y, w: box.w - 2 * r, h: box.h),
              SDL_Rect(x: box.x, y: box.y + r, w: r, h: box.h - 2 * r),
              SDL_Rect(x: box.x + box.w - r, y: box.y + r, w: r, h: box.h - 2 * r)])
        drawCorners(disc, box: box, radius: r, color: color)
    }

    private func strokeRect(_ frame: Rect, color: Color, lineWidth: Double, radius: Double) {
        let box = PixelBox(toTarget(PixelBox(frame).rect))
        guard box.w > 0, box.h > 0 else { return }
        let line = max(1, min(Int32(lineWidth.rounded()), box.w / 2, box.h / 2))
        let r = min(Int32(radius.rounded()), box.w / 2, box.h / 2)
        setColor(color)
        let corner = max(r, line)
        fill([SDL_Rect(x: box.x + corner, y: box.y, w: box.w - 2 * corner, h: line),
              SDL_Rect(x: box.x + corner, y: box.y + box.h - line, w: box.w - 2 * corner, h: line),
              SDL_Rect(x: box.x, y: box.y + corner, w: line, h: box.h - 2 * corner),
              SDL_Rect(x: box.x + box.w - line, y: box.y + corner, w: line, h: box.h - 2 * corner)])
        if r > line, let ring = cornerTexture(.ring(radius: Int(r), lineWidth: Int(line), rgba: color.rgba)) {
            drawCorners(ring, box: box, radius: r, color: color)
        } else {
            // Square (or nearly square) corners: the corner squares are solid.
            fill([SDL_Rect(x: box.x, y: box.y, w: corner, h: line), SDL_Rect(x: box.x, y: box.y, w: line, h: corner),
                  SDL_Rect(x: box.x + box.w - corner, y: box.y, w: corner, h: line),
                  SDL_Rect(x: box.x + box.w - line, y: box.y, w: line, h: corner),
                  SDL_Rect(x: box.x, y: box.y + box.h - line, w: corner, h: line),
                  SDL_Rect(x: box.x, y: box.y + box.h - corner, w: line, h: corner),
                  SDL_Rect(x: box.x + box.w - corner, y: box.y + box.h - line, w: corner, h: line),
                  SDL_Rect(x: box.x + box.w - line, y: box.y + box.h - corner, w: line, h: corner)])
        }
    }

    /// Copies the four quadrants of a 2r×2r disc or ring texture into the corners of `box`. The texture is
    /// made in the wanted colour (colour-modulated blits take SDL's slow generic path).
    private func drawCorners(_ entry: TextureCache.Entry, box: PixelBox, radius r: Int32, color: Color) {
        let corners: [(Int32, Int32, Int32, Int32)] = [
            (0, 0, box.x, box.y), (r, 0, box.x + box.w - r, box.y),
            (0, r, box.x, box.y + box.h - r), (r, r, box.x + box.w - r, box.y + box.h - r),
        ]
        for (sx, sy, dx, dy) in corners {
            var source = SDL_Rect(x: sx, y: sy, w: r, h: r)
            var target = SDL_Rect(x: dx, y: dy, w: r, h: r)
            SDL_RenderCopy(renderer, entry.texture, &source, &target)
        }
    }

    /// A disc (or ring) of radius r in one colour with anti-aliased edges (4×4 samples per pixel), cached.
    private func cornerTexture(_ key: TextureCache.Key) -> TextureCache.Entry? {
        if let entry = cache.lookup(key) { return entry }
        let radius: Int, inner: Double, rgba: UInt32
        switch key {
        case .disc(let r, let colour): radius = r; inner = 0; rgba = colour
        case .ring(let r, let line, let colour): radius = r; inner = Double(r - line); rgba = colour
        default: return nil
        }
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
        return makeTexture(key, width: side, height: side, pixels: pixels, blend: true)
    }

    private func makeTexture(_ key: TextureCache.Key, width: Int, height: Int, pixels: [UInt32],
                             blend: Bool) -> TextureCache.Entry? {
        guard let texture = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ARGB8888.rawValue,
                                              Int32(SDL_TEXTUREACCESS_STATIC.rawValue), Int32(width), Int32(height))
        else { return nil }
        _ = pixels.withUnsafeBytes { SDL_UpdateTexture(texture, nil, $0.baseAddress, Int32(width * 4)) }
        SDL_SetTextureBlendMode(texture, blend ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE)
        SDL_SetTextureScaleMode(texture, SDL_ScaleModeNearest)
        return cache.insert(key, texture: texture)
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
    private func drawText(_ item: TextItem, index: Int, in list: DisplayList) {
        guard !item.string.isEmpty, let size = textSize(item) else { return }
        let placed = Self.placement(of: item, width: size.width, height: size.height)
        let background = FrameCoverage.solidBackground(
            under: Rect(x: Double(placed.x), y: Double(placed.y), width: Double(placed.w), height: Double(placed.h)),
            textIndex: index, in: list)
        let turned = degrees % 180 != 0
        guard var entry = textTexture(item, on: background) else { return }
        if background != nil, (turned ? (entry.height, entry.width) : (entry.width, entry.height)) != size {
            // The opaque box would be bigger than the area checked: blend instead.
            guard let blended = textTexture(item, on: nil) else { return }
            entry = blended
        }
        var target = toTarget(Self.placement(of: item, width: turned ? entry.height : entry.width,
                                             height: turned ? entry.width : entry.height))
        SDL_RenderCopy(renderer, entry.texture, nil, &target)
    }

    private struct TextSizeKey: Hashable {
        var string: String
        var pixelSize: Int
        var bold: Bool
    }

    private var textSizes: [TextSizeKey: (width: Int32, height: Int32)] = [:]

    /// The upright size of the rendered text (as `TTF_RenderUTF8_*` makes it), remembered.
    private func textSize(_ item: TextItem) -> (width: Int32, height: Int32)? {
        let key = TextSizeKey(string: item.string, pixelSize: FontLibrary.pixelSize(item.pointSize), bold: item.bold)
        if let size = textSizes[key] { return size }
        let size = fonts.withFont(pointSize: item.pointSize, bold: item.bold) { font -> (width: Int32, height: Int32)? in
            guard let font else { return nil }
            var width: Int32 = 0, height: Int32 = 0
            guard TTF_SizeUTF8(font, item.string, &width, &height) == 0 else { return nil }
            return (width, max(height, TTF_FontHeight(font)))
        }
        if textSizes.count > 4096 { textSizes.removeAll(keepingCapacity: true) }
        textSizes[key] = size
        return size
    }

    private func textTexture(_ item: TextItem, on background: Color?) -> TextureCache.Entry? {
        let color = item.color
        let rgba = color.rgba
        let key = TextureCache.Key.text(string: item.string, pixelSize: FontLibrary.pixelSize(item.pointSize),
                                        bold: item.bold, rgba: rgba, backgroundRGBA: background?.rgba ?? 0,
                                        degrees: degrees)
        if let entry = cache.lookup(key) { return entry }
        let surface = fonts.withFont(pointSize: item.pointSize, bold: item.bold) { font -> UnsafeMutablePointer<SDL_Surface>? in
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
        defer { SDL_FreeSurface(surface) }
        return makeTexture(key, from: surface, blend: background == nil, scaleMode: SDL_ScaleModeNearest)
    }

    /// A texture of `surface` turned by the current rotation.
    private func makeTexture(_ key: TextureCache.Key, from surface: UnsafeMutablePointer<SDL_Surface>, blend: Bool,
                             scaleMode: SDL_ScaleMode) -> TextureCache.Entry? {
        if degrees == 0 {
            guard let texture = SDL_CreateTextureFromSurface(renderer, surface) else { return nil }
            SDL_SetTextureBlendMode(texture, blend ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE)
            SDL_SetTextureScaleMode(texture, scaleMode)
            return cache.insert(key, texture: texture)
        }
        guard let argb = SDL_ConvertSurfaceFormat(surface, SDL_PIXELFORMAT_ARGB8888.rawValue, 0) else { return nil }
        defer { SDL_FreeSurface(argb) }
        let width = Int(argb.pointee.w), height = Int(argb.pointee.h), pitch = Int(argb.pointee.pitch) / 4
        guard width > 0, height > 0, let base = argb.pointee.pixels else { return nil }
        let source = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt32.self), count: pitch * height)
        let turned = Self.rotate(source, width: width, height: height, rowLength: pitch, degrees: degrees)
        let entry = makeTexture(key, width: turned.width, height: turned.height, pixels: turned.pixels, blend: blend)
        if let entry { SDL_SetTextureScaleMode(entry.texture, scaleMode) }
        return entry
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

    private func drawQR(_ payload: String, in frame: Rect) {
        setColor(Color(hex: 0xFFFFFF))
        fill([toTarget(PixelBox(frame).rect)])
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
        var target = toTarget(placed)
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
            entry = makeTexture(key, width: side, height: side, pixels: pixels, blend: false)
        }
        guard let entry else { return }
        SDL_RenderCopy(renderer, entry.texture, nil, &target)
    }

    // MARK: - Images

    private func drawImage(_ name: String, in frame: Rect) {
        let key = TextureCache.Key.image(name: name, degrees: degrees)
        var entry = cache.lookup(key)
        if entry == nil, let data = imageStore.data(named: name) {
            let surface = data.withUnsafeBytes { bytes in
                IMG_Load_RW(SDL_RWFromConstMem(bytes.baseAddress, Int32(bytes.count)), 1)
            }
            guard let surface else {
                Log.once("image:\(name)", "image '\(name)' cannot be decoded: \(String(cString: SDL_GetError()))")
                return
            }
            defer { SDL_FreeSurface(surface) }
            entry = makeTexture(key, from: surface, blend: true, scaleMode: SDL_ScaleModeLinear)
        }
        if entry == nil {
            guard !missingImages.contains(name) else { return }
            let path = imageDirectory.map { $0 + "/" + name + (name.contains(".") ? "" : ".png") }
            guard let path, let surface = IMG_Load(path) else {
                missingImages.insert(name)
                Log.once("image:\(name)", "image '\(name)' not drawn: "
                    + (imageDirectory == nil ? "no image folder configured" : "cannot load it from \(imageDirectory!) "
                        + "(\(String(cString: SDL_GetError())))"))
                return
            }
            defer { SDL_FreeSurface(surface) }
            entry = makeTexture(key, from: surface, blend: true, scaleMode: SDL_ScaleModeLinear)
        }
        guard let entry, entry.width > 0, entry.height > 0 else { return }
        let box = PixelBox(frame)
        let turned = degrees % 180 != 0
        let imageWidth = Double(turned ? entry.height : entry.width), imageHeight = Double(turned ? entry.width : entry.height)
        let scale = min(Double(box.w) / imageWidth, Double(box.h) / imageHeight)
        let width = Int32((imageWidth * scale).rounded()), height = Int32((imageHeight * scale).rounded())
        var target = toTarget(SDL_Rect(x: box.x + (box.w - width) / 2, y: box.y + (box.h - height) / 2, w: width, h: height))
        SDL_RenderCopy(renderer, entry.texture, nil, &target)
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
