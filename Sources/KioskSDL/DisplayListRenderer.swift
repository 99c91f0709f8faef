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
    private var missingImages = Set<String>()

    init(renderer: OpaquePointer, fonts: FontLibrary, imageDirectory: String?, budgetBytes: Int) {
        self.renderer = renderer
        self.fonts = fonts
        self.imageDirectory = imageDirectory
        self.cache = TextureCache(budgetBytes: budgetBytes)
    }

    /// Draws every item of `list` into the current render target (layout coordinates).
    func render(_ list: DisplayList) {
        cache.beginFrame()
        setColor(list.background)
        SDL_RenderClear(renderer)
        for item in list.items {
            switch item {
            case .rect(let frame, let color, let radius):
                fillRect(frame, color: color, radius: radius)
            case .outline(let frame, let color, let lineWidth, let radius):
                strokeRect(frame, color: color, lineWidth: lineWidth, radius: radius)
            case .text(let text):
                drawText(text)
            case .qr(let payload, let frame):
                drawQR(payload, in: frame)
            case .image(let name, let frame):
                drawImage(name, in: frame)
            }
        }
        cache.trim()
    }

    // MARK: - Rectangles

    private func setColor(_ color: Color) {
        SDL_SetRenderDrawBlendMode(renderer, color.alpha == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND)
        SDL_SetRenderDrawColor(renderer, color.red, color.green, color.blue, color.alpha)
    }

    private func fill(_ rects: [SDL_Rect]) {
        let visible = rects.filter { $0.w > 0 && $0.h > 0 }
        guard !visible.isEmpty else { return }
        _ = visible.withUnsafeBufferPointer { SDL_RenderFillRects(renderer, $0.baseAddress, Int32($0.count)) }
    }

    private func fillRect(_ frame: Rect, color: Color, radius: Double) {
        let box = PixelBox(frame)
        guard box.w > 0, box.h > 0 else { return }
        let r = min(Int32(radius.rounded()), box.w / 2, box.h / 2)
        setColor(color)
        guard r > 0, let disc = cornerTexture(.disc(radius: Int(r))) else {
            fill([box.rect])
            return
        }
        fill([SDL_Rect(x: box.x + r, y: box.y, w: box.w - 2 * r, h: box.h),
              SDL_Rect(x: box.x, y: box.y + r, w: r, h: box.h - 2 * r),
              SDL_Rect(x: box.x + box.w - r, y: box.y + r, w: r, h: box.h - 2 * r)])
        drawCorners(disc, box: box, radius: r, color: color)
    }

    private func strokeRect(_ frame: Rect, color: Color, lineWidth: Double, radius: Double) {
        let box = PixelBox(frame)
        guard box.w > 0, box.h > 0 else { return }
        let line = max(1, min(Int32(lineWidth.rounded()), box.w / 2, box.h / 2))
        let r = min(Int32(radius.rounded()), box.w / 2, box.h / 2)
        setColor(color)
        let corner = max(r, line)
        fill([SDL_Rect(x: box.x + corner, y: box.y, w: box.w - 2 * corner, h: line),
              SDL_Rect(x: box.x + corner, y: box.y + box.h - line, w: box.w - 2 * corner, h: line),
              SDL_Rect(x: box.x, y: box.y + corner, w: line, h: box.h - 2 * corner),
              SDL_Rect(x: box.x + box.w - line, y: box.y + corner, w: line, h: box.h - 2 * corner)])
        if r > line, let ring = cornerTexture(.ring(radius: Int(r), lineWidth: Int(line))) {
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

    /// Copies the four quadrants of a 2r×2r white disc or ring texture, tinted, into the corners of `box`.
    private func drawCorners(_ entry: TextureCache.Entry, box: PixelBox, radius r: Int32, color: Color) {
        SDL_SetTextureColorMod(entry.texture, color.red, color.green, color.blue)
        SDL_SetTextureAlphaMod(entry.texture, color.alpha)
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

    /// A white disc (or ring) of radius r with anti-aliased edges (4×4 samples per pixel), cached.
    private func cornerTexture(_ key: TextureCache.Key) -> TextureCache.Entry? {
        if let entry = cache.lookup(key) { return entry }
        let radius: Int, inner: Double
        switch key {
        case .disc(let r): radius = r; inner = 0
        case .ring(let r, let line): radius = r; inner = Double(r - line)
        default: return nil
        }
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
                let alpha = UInt32((inside * 255 + 8) / 16)
                pixels[y * side + x] = (alpha << 24) | 0x00FF_FFFF
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

    private func drawText(_ item: TextItem) {
        guard !item.string.isEmpty, let entry = textTexture(item) else { return }
        var target = Self.placement(of: item, width: entry.width, height: entry.height)
        SDL_RenderCopy(renderer, entry.texture, nil, &target)
    }

    private func textTexture(_ item: TextItem) -> TextureCache.Entry? {
        let color = item.color
        let rgba = UInt32(color.red) << 24 | UInt32(color.green) << 16 | UInt32(color.blue) << 8 | UInt32(color.alpha)
        let key = TextureCache.Key.text(string: item.string, pixelSize: FontLibrary.pixelSize(item.pointSize),
                                        bold: item.bold, rgba: rgba)
        if let entry = cache.lookup(key) { return entry }
        let surface = fonts.withFont(pointSize: item.pointSize, bold: item.bold) { font -> UnsafeMutablePointer<SDL_Surface>? in
            guard let font else { return nil }
            return TTF_RenderUTF8_Blended(font, item.string,
                                          SDL_Color(r: color.red, g: color.green, b: color.blue, a: color.alpha))
        }
        guard let surface else {
            Log.once("text:\(item.string)", "cannot render text \"\(item.string)\": \(String(cString: SDL_GetError()))")
            return nil
        }
        defer { SDL_FreeSurface(surface) }
        guard let texture = SDL_CreateTextureFromSurface(renderer, surface) else { return nil }
        SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND)
        return cache.insert(key, texture: texture)
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
        fill([PixelBox(frame).rect])
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
        var (modulePixels, target) = Self.qrPlacement(moduleCount: moduleCount, in: frame)
        let key = TextureCache.Key.qr(payload: payload, modulePixels: modulePixels)
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
            entry = makeTexture(key, width: side, height: side, pixels: pixels, blend: false)
        }
        guard let entry else { return }
        SDL_RenderCopy(renderer, entry.texture, nil, &target)
    }

    // MARK: - Images

    private func drawImage(_ name: String, in frame: Rect) {
        let key = TextureCache.Key.image(name: name)
        var entry = cache.lookup(key)
        if entry == nil {
            guard !missingImages.contains(name) else { return }
            let path = imageDirectory.map { $0 + "/" + name + (name.contains(".") ? "" : ".png") }
            guard let path, let texture = IMG_LoadTexture(renderer, path) else {
                missingImages.insert(name)
                Log.once("image:\(name)", "image '\(name)' not drawn: "
                    + (imageDirectory == nil ? "no image folder configured" : "cannot load it from \(imageDirectory!) "
                        + "(\(String(cString: SDL_GetError())))"))
                return
            }
            SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND)
            SDL_SetTextureScaleMode(texture, SDL_ScaleModeLinear)
            entry = cache.insert(key, texture: texture)
        }
        guard let entry, entry.width > 0, entry.height > 0 else { return }
        let box = PixelBox(frame)
        let scale = min(Double(box.w) / Double(entry.width), Double(box.h) / Double(entry.height))
        let width = Int32((Double(entry.width) * scale).rounded()), height = Int32((Double(entry.height) * scale).rounded())
        var target = SDL_Rect(x: box.x + (box.w - width) / 2, y: box.y + (box.h - height) / 2, w: width, h: height)
        SDL_RenderCopy(renderer, entry.texture, nil, &target)
    }

    func close() {
        cache.removeAll()
    }
}

/// A layout rectangle snapped to whole pixels (edges rounded, so neighbours never overlap or gap).
struct PixelBox {
    var x: Int32
    var y: Int32
    var w: Int32
    var h: Int32

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
