import CSDL2
import Foundation
import KioskCore

/// One drawing step of a frame, in target pixels.
struct PaintStep {
    enum Source {
        /// An opaque colour, as a pixel value of the target's format.
        case fill(UInt32)
        /// A translucent colour, blended.
        case blendFill(Color)
        /// Pixels of an opaque surface in the target's format (a plain row copy).
        case copy(UnsafeMutablePointer<SDL_Surface>)
        /// Pixels of an ARGB surface, alpha-blended.
        case blend(UnsafeMutablePointer<SDL_Surface>)
    }

    var source: Source
    /// Where the step paints.
    var rect: SDL_Rect
    /// The source pixel that lands on `rect`'s top left corner (`copy`, `blend`).
    var sourceX: Int32 = 0
    var sourceY: Int32 = 0

    /// True when the step sets every pixel of `rect` regardless of what was there.
    var isOpaque: Bool {
        switch source {
        case .fill, .copy: true
        case .blendFill, .blend: false
        }
    }
}

/// Pixels written by the last frame (or the regions repainted), for benchmarks and tests.
public struct FrameStatistics: Sendable, Equatable {
    /// Pixels set to a colour.
    public var filled = 0
    /// Pixels copied from cached opaque text, QR codes and corners.
    public var copied = 0
    /// Pixels alpha-blended (anti-aliased corners that sit on more than one colour, text on mixed backgrounds, images).
    public var blended = 0
    /// Pixels of the target (the window) and of the regions repainted.
    public var targetPixels = 0
    public var repaintedPixels = 0

    public init() {}

    init(targetPixels: Int) {
        self.targetPixels = targetPixels
    }

    /// Every pixel written, however.
    public var written: Int { filled + copied + blended }
    /// Pixels written per pixel repainted: 1.0 when every pixel is written exactly once.
    public var overdraw: Double { repaintedPixels > 0 ? Double(written) / Double(repaintedPixels) : 0 }
}

/// Paints the steps of a frame on a surface, each pixel as few times as it can: steps are visited front to back
/// to find what of each step stays visible (opaque steps hide what is under them), the background is filled only
/// where no opaque step paints, then the visible parts are drawn back to front (so blended steps still see what is
/// under them). Fills and copies are plain stores (`wmemset` / `memcpy` per row: the frame stays in the CPU cache,
/// unlike `SDL_FillRect`'s non-temporal stores, which are slow on the narrow and unaligned spans a kiosk screen is
/// made of); blending is SDL's. Surfaces that must be locked (RLE) are left to SDL's own functions.
struct FramePainter {
    private var covers: [SDL_Rect] = []
    private var visible: [[SDL_Rect]] = []

    mutating func paint(_ steps: [PaintStep], background: UInt32, clip: SDL_Rect,
                        on target: UnsafeMutablePointer<SDL_Surface>, statistics: inout FrameStatistics) {
        covers.removeAll(keepingCapacity: true)
        visible.removeAll(keepingCapacity: true)
        visible.reserveCapacity(steps.count)
        for _ in steps.indices { visible.append([]) }
        for index in steps.indices.reversed() {
            let step = steps[index]
            guard let rect = Self.intersection(step.rect, clip) else { continue }
            visible[index] = FrameCoverage.uncovered(rect, covers: covers)
            if step.isOpaque { covers.append(rect) }
        }
        statistics.repaintedPixels += Int(clip.w) * Int(clip.h)
        for piece in FrameCoverage.uncovered(clip, covers: covers) {
            Self.fill(piece, with: background, on: target)
            statistics.filled += Int(piece.w) * Int(piece.h)
        }
        for (step, pieces) in zip(steps, visible) where !pieces.isEmpty {
            for piece in pieces {
                let area = Int(piece.w) * Int(piece.h)
                switch step.source {
                case .fill(let pixel):
                    Self.fill(piece, with: pixel, on: target)
                    statistics.filled += area
                case .blendFill(let color):
                    Self.blendFill(piece, color: color, on: target)
                    statistics.blended += area
                case .copy(let surface):
                    Self.copy(from: surface, x: step.sourceX + piece.x - step.rect.x, y: step.sourceY + piece.y - step.rect.y,
                              to: piece, on: target)
                    statistics.copied += area
                case .blend(let surface):
                    Self.blit(from: surface, x: step.sourceX + piece.x - step.rect.x, y: step.sourceY + piece.y - step.rect.y,
                              to: piece, on: target)
                    statistics.blended += area
                }
            }
        }
    }

    static func intersection(_ a: SDL_Rect, _ b: SDL_Rect) -> SDL_Rect? {
        let x0 = max(a.x, b.x), y0 = max(a.y, b.y), x1 = min(a.x + a.w, b.x + b.w), y1 = min(a.y + a.h, b.y + b.h)
        return x1 > x0 && y1 > y0 ? SDL_Rect(x: x0, y: y0, w: x1 - x0, h: y1 - y0) : nil
    }

    /// Sets every pixel of `rect` (inside the target) to `pixel`.
    static func fill(_ rect: SDL_Rect, with pixel: UInt32, on target: UnsafeMutablePointer<SDL_Surface>) {
        guard rect.w > 0, rect.h > 0 else { return }
        let surface = target.pointee
        guard surface.format.pointee.BytesPerPixel == 4, KioskSDL_MustLock(target) == 0, let pixels = surface.pixels else {
            var r = rect
            SDL_FillRect(target, &r, pixel)
            return
        }
        let pitch = Int(surface.pitch), count = Int(rect.w), value = wchar_t(bitPattern: pixel)
        var row = pixels + Int(rect.y) * pitch + Int(rect.x) * 4
        for _ in 0..<rect.h {
            wmemset(row.assumingMemoryBound(to: wchar_t.self), value, count)
            row += pitch
        }
    }

    /// Copies the `rect`-sized block of `source` at (`x`, `y`) to `rect` of the target.
    static func copy(from source: UnsafeMutablePointer<SDL_Surface>, x: Int32, y: Int32, to rect: SDL_Rect,
                     on target: UnsafeMutablePointer<SDL_Surface>) {
        let from = source.pointee, to = target.pointee
        guard from.format.pointee.format == to.format.pointee.format, to.format.pointee.BytesPerPixel == 4,
              KioskSDL_MustLock(source) == 0, KioskSDL_MustLock(target) == 0, let sourcePixels = from.pixels, let targetPixels = to.pixels,
              x >= 0, y >= 0, x + rect.w <= from.w, y + rect.h <= from.h else {
            blit(from: source, x: x, y: y, to: rect, on: target)
            return
        }
        let sourcePitch = Int(from.pitch), targetPitch = Int(to.pitch), bytes = Int(rect.w) * 4
        var read = UnsafeRawPointer(sourcePixels) + Int(y) * sourcePitch + Int(x) * 4
        var write = targetPixels + Int(rect.y) * targetPitch + Int(rect.x) * 4
        for _ in 0..<rect.h {
            memcpy(write, read, bytes)
            read += sourcePitch
            write += targetPitch
        }
    }

    /// `SDL_BlitSurface` of the `rect`-sized block of `source` at (`x`, `y`) to `rect`, with the source's blend mode.
    static func blit(from source: UnsafeMutablePointer<SDL_Surface>, x: Int32, y: Int32, to rect: SDL_Rect,
                     on target: UnsafeMutablePointer<SDL_Surface>) {
        var from = SDL_Rect(x: x, y: y, w: rect.w, h: rect.h)
        var to = rect
        SDL_UpperBlit(source, &from, target, &to)
    }

    /// Blends a translucent colour over `rect` (rare: the kiosk's colours are opaque).
    static func blendFill(_ rect: SDL_Rect, color: Color, on target: UnsafeMutablePointer<SDL_Surface>) {
        guard color.alpha > 0,
              let swatch = SDL_CreateRGBSurfaceWithFormat(0, rect.w, rect.h, 32, SDL_PIXELFORMAT_ARGB8888.rawValue)
        else { return }
        defer { SDL_FreeSurface(swatch) }
        SDL_FillRect(swatch, nil, SDL_MapRGBA(swatch.pointee.format, color.red, color.green, color.blue, color.alpha))
        SDL_SetSurfaceBlendMode(swatch, SDL_BLENDMODE_BLEND)
        blit(from: swatch, x: 0, y: 0, to: rect, on: target)
    }
}
