import CSDL2
import CSDL2TTF
import Foundation

/// Renders a `TicketLayout` into a 1-bit `Raster` with SDL2_ttf on software surfaces (no video needed).
///
/// Keeps one open face per weight and sets its size for each line (`TTF_SetFontSize`). A CJK face costs about
/// 0.9 MB (FreeType's CFF tables and HarfBuzz's), so one face per size — a ticket uses about ten, and shrinking
/// a long line tries more — would hold ~10 MB on a kiosk that prints all day. A resize empties SDL_ttf's glyph
/// cache, so text runs are remembered instead (`TextRunCache`: widths and rendered masks, ≤ 1 MB): a ticket
/// renders only what differs from earlier ones (its number, counts and time).
/// Thread-safe: one ticket is rendered at a time.
public final class TicketRenderer: @unchecked Sendable {
    private let lock = NSLock()
    private let regular: OpaquePointer
    private let bold: OpaquePointer
    /// The size each face is set to now (dots), by weight.
    private var currentSize: [Bool: Int] = [false: 24, true: 24]
    /// Widths and masks of text runs seen on earlier tickets.
    private var runs = TextRunCache()
    /// Line skip by (size, weight).
    private var lineSkips: [Int: Int] = [:]
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
                var lines = wrap ? wrapLines(text, bold: isBold, size: pointSize, width: inner) : [text]
                if !wrap {
                    while pointSize > 8, measure(text, bold: isBold, size: pointSize) > inner {
                        pointSize = max(8, pointSize * 9 / 10)
                    }
                    lines = [text]
                }
                let skip = lineSkip(bold: isBold, size: pointSize)
                for line in lines {
                    let w = measure(line, bold: isBold, size: pointSize)
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
                let skip = lineSkip(bold: false, size: size)
                let rightWidth = measure(right, bold: false, size: size)
                if measure(left, bold: false, size: size) + rightWidth + size <= inner {
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
            let key = TextRunCache.Key(text: text, size: size, bold: isBold)
            guard let mask = runs.mask(key, render: { renderMask(text, bold: isBold, size: size) }) else {
                throw PrintError(.layout, "SDL_ttf could not render '\(text)': \(String(cString: SDL_GetError()))")
            }
            mask.bytes.withUnsafeBufferPointer { bytes in
                raster.blend(mask: bytes, maskWidth: mask.width, maskHeight: mask.height, pitch: mask.width, x: x, y: y)
            }
        }
    }

    /// The run's coverage, rendered with the face at `size`: SDL_ttf's shaded 8-bit surface (pixel value =
    /// coverage), copied row by row without the surface's padding.
    private func renderMask(_ text: String, bold isBold: Bool, size: Int) -> TextRunCache.Mask? {
        guard let surface = TTF_RenderUTF8_Shaded(face(isBold, size), text, SDL_Color(r: 0, g: 0, b: 0, a: 255),
                                                  SDL_Color(r: 255, g: 255, b: 255, a: 255)) else { return nil }
        defer { SDL_FreeSurface(surface) }
        let s = surface.pointee
        let width = Int(s.w), height = Int(s.h), pitch = Int(s.pitch)
        let pixels = s.pixels.assumingMemoryBound(to: UInt8.self)
        var bytes = [UInt8](repeating: 0, count: width * height)
        bytes.withUnsafeMutableBufferPointer { out in
            for row in 0..<height { (out.baseAddress! + row * width).update(from: pixels + row * pitch, count: width) }
        }
        return TextRunCache.Mask(bytes: bytes, width: width, height: height)
    }

    /// Text runs drawn so far and how many of them came from earlier tickets (diagnostics and tests).
    var textRunStatistics: (lookups: Int, hits: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (runs.lookups, runs.hits)
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

    /// The width of `text` in dots at that size and weight (remembered).
    private func measure(_ text: String, bold isBold: Bool, size: Int) -> Int {
        guard !text.isEmpty else { return 0 }
        return runs.width(TextRunCache.Key(text: text, size: size, bold: isBold)) {
            var w: Int32 = 0, h: Int32 = 0
            return TTF_SizeUTF8(face(isBold, size), text, &w, &h) == 0 ? Int(w) : 0
        }
    }

    /// The font's line skip at that size and weight (remembered).
    private func lineSkip(bold isBold: Bool, size: Int) -> Int {
        let key = size * 2 + (isBold ? 1 : 0)
        if let skip = lineSkips[key] { return skip }
        let skip = Int(TTF_FontLineSkip(face(isBold, size)))
        lineSkips[key] = skip
        return skip
    }

    /// Greedy line breaking: Chinese may break between any two characters, Latin words stay whole,
    /// closing punctuation never starts a line.
    private func wrapLines(_ text: String, bold isBold: Bool, size: Int, width: Int) -> [String] {
        guard measure(text, bold: isBold, size: size) > width else { return [text] }
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
            if current.isEmpty || measure(candidate.trimmingCharacters(in: .whitespaces), bold: isBold, size: size) <= width {
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
