import CSDL2
import CSDL2TTF
import Foundation
import KioskCore

/// The open `TTF_Font`s, one per (pixel size, weight), shared by the measurer and the renderer so both
/// see exactly the same font. Thread-safe: every use of a font happens inside `withFont` under a lock.
/// At most `limit` faces stay open (least recently used closed first).
final class FontLibrary: @unchecked Sendable {
    struct Key: Hashable {
        var size: Int
        var bold: Bool
    }

    let regular: FontFile
    let bold: FontFile
    private let limit: Int
    private let lock = NSLock()
    private var fonts: [Key: OpaquePointer] = [:]
    private var lastUse: [Key: UInt64] = [:]
    private var useCounter: UInt64 = 0
    private var closed = false

    /// Opens both fonts once at a typical size, so a bad file fails here with a clear message.
    init(regular: FontFile, bold: FontFile, limit: Int = 16) throws {
        self.regular = regular
        self.bold = bold
        self.limit = limit
        for (file, isBold) in [(regular, false), (bold, true)] {
            guard let font = Self.open(file, size: 32) else {
                throw KioskSDLError("cannot open font '\(file)': \(String(cString: SDL_GetError())); fix the font "
                    + "path in the config (an OpenType/TrueType file; .ttc needs the face, e.g. FILE.ttc#2)")
            }
            fonts[Key(size: 32, bold: isBold)] = font
        }
    }

    /// The integer pixel size a layout point size is drawn at (the same for measuring and drawing).
    static func pixelSize(_ pointSize: Double) -> Int { max(1, Int(pointSize.rounded())) }

    private static func open(_ file: FontFile, size: Int) -> OpaquePointer? {
        guard let font = TTF_OpenFontIndex(file.path, Int32(size), file.faceIndex) else { return nil }
        _ = KioskTTF_SetFontScriptName(font, "Hans")
        return font
    }

    /// Runs `body` with the font for `pointSize`/`bold` under the library's lock; `nil` after `close()` or
    /// when the face cannot be opened.
    func withFont<T>(pointSize: Double, bold: Bool, _ body: (OpaquePointer?) -> T) -> T {
        let key = Key(size: Self.pixelSize(pointSize), bold: bold)
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return body(nil) }
        useCounter += 1
        if let font = fonts[key] {
            lastUse[key] = useCounter
            return body(font)
        }
        if fonts.count >= limit, let oldest = lastUse.min(by: { $0.value < $1.value })?.key {
            if let font = fonts.removeValue(forKey: oldest) { TTF_CloseFont(font) }
            lastUse.removeValue(forKey: oldest)
        }
        let font = Self.open(bold ? self.bold : regular, size: key.size)
        if let font {
            fonts[key] = font
            lastUse[key] = useCounter
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
        lastUse.removeAll()
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
