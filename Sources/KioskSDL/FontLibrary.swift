import CSDL2
import CSDL2TTF
import Foundation
import KioskCore

/// The two open `TTF_Font`s (regular and bold), shared by the measurer and the renderer so both see exactly
/// the same font. Each face is resized on demand (`TTF_SetFontSize`) rather than opened once per size: a CJK
/// face costs megabytes (FreeType + HarfBuzz tables), and rendered text is cached as textures anyway.
///
/// The bundled fonts hold GB2312 and no more; a text with a rarer character (names and places such as 堃 赟 䶮)
/// is drawn whole with the fallback face — the system's complete Noto Sans CJK SC, the same design — opened
/// the first time it is needed. Measuring and drawing choose alike, so layout and pixels agree.
/// Thread-safe: every use of a font happens inside `withFont` under a lock.
final class FontLibrary: @unchecked Sendable {
    let regular: FontFile
    let bold: FontFile
    /// Faces for characters the main fonts lack (nil: none installed, or the main fonts are those faces).
    let fallbacks: [Bool: FontFile]
    private let lock = NSLock()
    private var fonts: [Bool: OpaquePointer] = [:]
    private var fallbackFonts: [Bool: OpaquePointer] = [:]
    private var fallbackFailed: Set<Bool> = []
    private var sizes: [OpaquePointer: Int] = [:]
    private var closed = false
    /// Size changes so far (diagnostics: each one flushes that face's glyph cache).
    private(set) var resizes = 0

    /// Opens both fonts, so a bad file fails here with a clear message.
    init(regular: FontFile, bold: FontFile, fallbacks: [Bool: FontFile] = FontLocator.fallbacks()) throws {
        self.regular = regular
        self.bold = bold
        self.fallbacks = fallbacks.filter { $0.key ? $0.value != bold : $0.value != regular }
        for (file, isBold) in [(regular, false), (bold, true)] {
            guard let font = TTF_OpenFontIndex(file.path, 32, file.faceIndex) else {
                for font in fonts.values { TTF_CloseFont(font) }
                throw KioskSDLError("cannot open font '\(file)': \(String(cString: SDL_GetError())); fix the font "
                    + "path in the config (an OpenType/TrueType file; .ttc needs the face, e.g. FILE.ttc#2)")
            }
            _ = KioskTTF_SetFontScriptName(font, "Hans")
            fonts[isBold] = font
            sizes[font] = 32
        }
    }

    /// The integer pixel size a layout point size is drawn at (the same for measuring and drawing).
    static func pixelSize(_ pointSize: Double) -> Int { max(1, Int(pointSize.rounded())) }

    /// Runs `body` with the font for `text` at `pointSize`/`bold` under the library's lock; `nil` after `close()`.
    func withFont<T>(pointSize: Double, bold: Bool, text: String, _ body: (OpaquePointer?) -> T) -> T {
        let size = Self.pixelSize(pointSize)
        lock.lock()
        defer { lock.unlock() }
        guard !closed, let main = fonts[bold] else { return body(nil) }
        let font = lacksGlyphs(main, text) ? (fallbackFont(bold) ?? main) : main
        if sizes[font] != size {
            guard TTF_SetFontSize(font, Int32(size)) == 0 else { return body(nil) }
            sizes[font] = size
            resizes += 1
        }
        return body(font)
    }

    /// True when `font` has no glyph for some character of `text` (ASCII is always there).
    private func lacksGlyphs(_ font: OpaquePointer, _ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            scalar.value >= 0x80 && !scalar.properties.isWhitespace && scalar.properties.generalCategory != .format
                && TTF_GlyphIsProvided32(font, scalar.value) == 0
        }
    }

    /// The fallback face for `bold`, opened on first use (under the lock).
    private func fallbackFont(_ bold: Bool) -> OpaquePointer? {
        if let font = fallbackFonts[bold] { return font }
        guard !fallbackFailed.contains(bold), let file = fallbacks[bold],
              let font = TTF_OpenFontIndex(file.path, 32, file.faceIndex) else {
            fallbackFailed.insert(bold)
            return nil
        }
        _ = KioskTTF_SetFontScriptName(font, "Hans")
        fallbackFonts[bold] = font
        sizes[font] = 32
        return font
    }

    /// Number of faces open now (for tests and diagnostics).
    var openFaces: Int {
        lock.lock()
        defer { lock.unlock() }
        return fonts.count + fallbackFonts.count
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        for font in fonts.values { TTF_CloseFont(font) }
        for font in fallbackFonts.values { TTF_CloseFont(font) }
        fonts.removeAll()
        fallbackFonts.removeAll()
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
            library.withFont(pointSize: pointSize, bold: bold, text: text) { font -> Size in
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
