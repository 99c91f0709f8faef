import CSDL2
import CSDL2TTF
import Foundation
import KioskCore

/// The two open `TTF_Font`s (regular and bold), shared by the measurer and the renderer so both see exactly
/// the same font. Each face is resized on demand (`TTF_SetFontSize`) rather than opened once per size: a CJK
/// face costs megabytes (FreeType + HarfBuzz tables), and rendered text is cached as textures anyway.
/// Thread-safe: every use of a font happens inside `withFont` under a lock.
final class FontLibrary: @unchecked Sendable {
    let regular: FontFile
    let bold: FontFile
    private let lock = NSLock()
    private var fonts: [Bool: OpaquePointer] = [:]
    private var sizes: [Bool: Int] = [:]
    private var closed = false
    /// Size changes so far (diagnostics: each one flushes that face's glyph cache).
    private(set) var resizes = 0

    /// Opens both fonts, so a bad file fails here with a clear message.
    init(regular: FontFile, bold: FontFile) throws {
        self.regular = regular
        self.bold = bold
        for (file, isBold) in [(regular, false), (bold, true)] {
            guard let font = TTF_OpenFontIndex(file.path, 32, file.faceIndex) else {
                for font in fonts.values { TTF_CloseFont(font) }
                throw KioskSDLError("cannot open font '\(file)': \(String(cString: SDL_GetError())); fix the font "
                    + "path in the config (an OpenType/TrueType file; .ttc needs the face, e.g. FILE.ttc#2)")
            }
            _ = KioskTTF_SetFontScriptName(font, "Hans")
            fonts[isBold] = font
            sizes[isBold] = 32
        }
    }

    /// The integer pixel size a layout point size is drawn at (the same for measuring and drawing).
    static func pixelSize(_ pointSize: Double) -> Int { max(1, Int(pointSize.rounded())) }

    /// Runs `body` with the font for `pointSize`/`bold` under the library's lock; `nil` after `close()`.
    func withFont<T>(pointSize: Double, bold: Bool, _ body: (OpaquePointer?) -> T) -> T {
        let size = Self.pixelSize(pointSize)
        lock.lock()
        defer { lock.unlock() }
        guard !closed, let font = fonts[bold] else { return body(nil) }
        if sizes[bold] != size {
            guard TTF_SetFontSize(font, Int32(size)) == 0 else { return body(nil) }
            sizes[bold] = size
            resizes += 1
        }
        return body(font)
    }

    /// Number of faces open now (for tests and diagnostics).
    var openFaces: Int {
        lock.lock()
        defer { lock.unlock() }
        return fonts.count
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        for font in fonts.values { TTF_CloseFont(font) }
        fonts.removeAll()
        closed = true
    }
}

/// Measures text with the real fonts (`TTF_SizeUTF8`), exactly as `KioskWindow.draw` renders it.
/// Remembers measurements; after the window closes it falls back to `EstimatingTextMeasurer`.
public final class TTFTextMeasurer: TextMeasurer, @unchecked Sendable {
    private let library: FontLibrary
    private let cache: CachingTextMeasurer

    init(library: FontLibrary) {
        self.library = library
        self.cache = CachingTextMeasurer(Raw(library: library))
    }

    public func size(of text: String, pointSize: Double, bold: Bool) -> Size {
        cache.size(of: text, pointSize: pointSize, bold: bold)
    }

    private struct Raw: TextMeasurer, @unchecked Sendable {
        let library: FontLibrary

        func size(of text: String, pointSize: Double, bold: Bool) -> Size {
            library.withFont(pointSize: pointSize, bold: bold) { font -> Size in
                guard let font else { return EstimatingTextMeasurer().size(of: text, pointSize: pointSize, bold: bold) }
                var width: Int32 = 0
                var height: Int32 = 0
                if text.isEmpty || TTF_SizeUTF8(font, text, &width, &height) != 0 {
                    return Size(width: 0, height: Double(TTF_FontHeight(font)))
                }
                return Size(width: Double(width), height: Double(height))
            }
        }
    }
}
