import CSDL2
import CSDL2TTF
import Foundation

/// Renders a `TicketLayout` into a 1-bit `Raster` with SDL2_ttf on software surfaces (no video needed).
///
/// Keeps one open face per weight and sets its size for each line (`TTF_SetFontSize`). A CJK face costs about
/// 0.9 MB (FreeType's CFF tables and HarfBuzz's), so one face per size — a ticket uses about ten, and shrinking
/// a long line tries more — would hold ~10 MB on a kiosk that prints all day; a resize only flushes SDL_ttf's
/// glyph cache, and a ticket's few dozen glyphs rasterise in a millisecond or two.
/// Thread-safe: one ticket is rendered at a time.
public final class TicketRenderer: @unchecked Sendable {
    private let lock = NSLock()
    private let regular: OpaquePointer
    private let bold: OpaquePointer
    /// The size each face is set to now (dots), by weight.
    private var currentSize: [Bool: Int] = [false: 24, true: 24]
    public let fonts: PrintFonts

    /// Opens the fonts; the error names the file and the fix.
    public init(fonts: PrintFonts) throws(PrintError) {
        guard TTF_Init() == 0 else {
            throw PrintError(.layout, "SDL_ttf failed to start: \(String(cString: SDL_GetError()))")
        }
        func open(_ face: PrintFonts.Face, _ name: String) throws(PrintError) -> OpaquePointer {
            guard FileManager.default.isReadableFile(atPath: face.path), let font = TTF_OpenFontIndex(face.path, 24, face.faceIndex) else {
                throw PrintError(.layout, "cannot open the \(name) font '\(face.path)' (face \(face.faceIndex)): "
                    + "\(String(cString: SDL_GetError())); fix fonts.\(name) in the kiosk config or remove it to use the bundled font")
            }
            _ = KioskTTF_SetFontScriptName(font, "Hans")
            return font
        }
        let r: OpaquePointer
        do { r = try open(fonts.regular, "regular") } catch { TTF_Quit(); throw error }
        do { bold = try open(fonts.bold, "bold") } catch { TTF_CloseFont(r); TTF_Quit(); throw error }
        regular = r
        self.fonts = fonts
    }

    deinit {
        TTF_CloseFont(regular)
        TTF_CloseFont(bold)
        TTF_Quit()
    }

    /// The ticket as the printer head prints it: `layout.widthDots` wide, as tall as the content.
    public func render(_ layout: TicketLayout) throws(PrintError) -> Raster {
        lock.lock()
        defer { lock.unlock() }
        let width = layout.widthDots
        let inner = width - 2 * layout.sideMargin
        var ops: [Op] = []
        var y = 0
        for item in layout.items {
            switch item {
            case .space(let dots):
                y += dots
            case .rule(let thickness, let dashed):
                ops.append(.rule(y: y + 2, thickness: thickness, dashed: dashed))
                y += thickness + 4
            case .qr(let payload, let module):
                let matrix = try QRMatrix(payload)
                let side = (matrix.size + 2 * QRMatrix.quietZone) * module
                ops.append(.qr(matrix, x: (width - side) / 2, y: y, module: module))
                y += side
            case .text(let text, let size, let isBold, let alignment, let wrap):
                var pointSize = size
                var font = face(isBold, pointSize)
                var lines = wrap ? wrapLines(text, font: font, width: inner) : [text]
                if !wrap {
                    while pointSize > 8, measure(text, font) > inner {
                        pointSize = max(8, pointSize * 9 / 10)
                        font = face(isBold, pointSize)
                    }
                    lines = [text]
                }
                let skip = Int(TTF_FontLineSkip(font))
                for line in lines {
                    let w = measure(line, font)
                    let x: Int
                    switch alignment {
                    case .left: x = layout.sideMargin
                    case .center: x = (width - w) / 2
                    case .right: x = width - layout.sideMargin - w
                    }
                    ops.append(.text(line, bold: isBold, size: pointSize, x: x, y: y))
                    y += skip
                }
            case .columns(let left, let right, let size):
                let font = face(false, size)
                let skip = Int(TTF_FontLineSkip(font))
                let rightWidth = measure(right, font)
                if measure(left, font) + rightWidth + size <= inner {
                    ops.append(.text(left, bold: false, size: size, x: layout.sideMargin, y: y))
                    ops.append(.text(right, bold: false, size: size, x: width - layout.sideMargin - rightWidth, y: y))
                    y += skip
                } else {
                    // Too narrow (58 mm): one under the other.
                    ops.append(.text(left, bold: false, size: size, x: layout.sideMargin, y: y))
                    ops.append(.text(right, bold: false, size: size, x: layout.sideMargin, y: y + skip))
                    y += 2 * skip
                }
            }
        }
        var raster = Raster(width: width, height: y + 8)
        for op in ops { try draw(op, into: &raster) }
        return raster
    }

    /// Characters of `layout`'s text that the fonts have no glyph for (they would print as boxes).
    public func missingGlyphs(in layout: TicketLayout) -> [Character] {
        lock.lock()
        defer { lock.unlock() }
        var missing: [Character] = []
        for item in layout.items {
            let texts: [(String, Bool)]
            switch item {
            case .text(let text, _, let isBold, _, _): texts = [(text, isBold)]
            case .columns(let left, let right, _): texts = [(left, false), (right, false)]
            default: texts = []
            }
            for (text, isBold) in texts {
                for scalar in text.unicodeScalars where !scalar.properties.isWhitespace {
                    if TTF_GlyphIsProvided32(face(isBold), scalar.value) == 0, !missing.contains(Character(scalar)) {
                        missing.append(Character(scalar))
                    }
                }
            }
        }
        return missing
    }

    // MARK: - drawing

    private enum Op {
        case text(String, bold: Bool, size: Int, x: Int, y: Int)
        case rule(y: Int, thickness: Int, dashed: Bool)
        case qr(QRMatrix, x: Int, y: Int, module: Int)
    }

    private func draw(_ op: Op, into raster: inout Raster) throws(PrintError) {
        switch op {
        case .rule(let y, let thickness, let dashed):
            if dashed {
                var x = 0
                while x < raster.width {
                    raster.fill(x: x, y: y, width: 8, height: thickness)
                    x += 14
                }
            } else {
                raster.fill(x: 0, y: y, width: raster.width, height: thickness)
            }
        case .qr(let matrix, let x, let y, let module):
            let origin = QRMatrix.quietZone * module
            for my in 0..<matrix.size {
                for mx in 0..<matrix.size where matrix[mx, my] {
                    raster.fill(x: x + origin + mx * module, y: y + origin + my * module, width: module, height: module)
                }
            }
        case .text(let text, let isBold, let size, let x, let y):
            guard !text.isEmpty else { return }
            let font = face(isBold, size)
            // Shaded: 8-bit surface whose pixel value is the glyph coverage (0 = background, 255 = ink).
            guard let surface = TTF_RenderUTF8_Shaded(font, text, SDL_Color(r: 0, g: 0, b: 0, a: 255),
                                                      SDL_Color(r: 255, g: 255, b: 255, a: 255)) else {
                throw PrintError(.layout, "SDL_ttf could not render '\(text)': \(String(cString: SDL_GetError()))")
            }
            defer { SDL_FreeSurface(surface) }
            let s = surface.pointee
            let bytes = UnsafeBufferPointer(start: s.pixels.assumingMemoryBound(to: UInt8.self), count: Int(s.pitch) * Int(s.h))
            raster.blend(mask: bytes, maskWidth: Int(s.w), maskHeight: Int(s.h), pitch: Int(s.pitch), x: x, y: y)
        }
    }

    private func face(_ isBold: Bool) -> OpaquePointer { isBold ? bold : regular }

    /// The face of that weight, set to `size` dots.
    private func face(_ isBold: Bool, _ size: Int) -> OpaquePointer {
        let font = face(isBold)
        if currentSize[isBold] != size, TTF_SetFontSize(font, Int32(size)) == 0 {
            currentSize[isBold] = size
        }
        return font
    }

    private func measure(_ text: String, _ font: OpaquePointer) -> Int {
        var w: Int32 = 0, h: Int32 = 0
        guard !text.isEmpty, TTF_SizeUTF8(font, text, &w, &h) == 0 else { return 0 }
        return Int(w)
    }

    /// Greedy line breaking: Chinese may break between any two characters, Latin words stay whole,
    /// closing punctuation never starts a line.
    private func wrapLines(_ text: String, font: OpaquePointer, width: Int) -> [String] {
        guard measure(text, font) > width else { return [text] }
        var tokens: [String] = []
        var word = ""
        for ch in text {
            let isWide = ch.unicodeScalars.first.map { $0.value >= 0x2E80 } ?? false
            if ch == " " {
                tokens.append(word + " ")
                word = ""
            } else if isWide {
                if !word.isEmpty { tokens.append(word); word = "" }
                if "，。、；：！？）》」”".contains(ch), let last = tokens.popLast() {
                    tokens.append(last + String(ch))
                } else {
                    tokens.append(String(ch))
                }
            } else {
                word.append(ch)
            }
        }
        if !word.isEmpty { tokens.append(word) }
        var lines: [String] = []
        var current = ""
        for token in tokens {
            let candidate = current + token
            if current.isEmpty || measure(candidate.trimmingCharacters(in: .whitespaces), font) <= width {
                current = candidate
            } else {
                lines.append(current.trimmingCharacters(in: .whitespaces))
                current = token
            }
        }
        if !current.isEmpty { lines.append(current.trimmingCharacters(in: .whitespaces)) }
        return lines
    }
}
