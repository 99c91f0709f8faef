import CSDL2
import Foundation

/// Rendered text, QR codes, images and corner pieces ("textures": SDL surfaces, opaque ones in the window's
/// pixel format so drawing them is a row copy, translucent ones ARGB for blending), kept while they fit in a
/// byte budget. After each frame the least recently used textures not drawn in that frame are destroyed
/// until the cache fits again, so memory stays flat however many different strings a kiosk shows over months.
final class TextureCache {
    enum Key: Hashable {
        /// `backgroundRGBA` 0: blended text (ARGB); otherwise opaque text made on that colour.
        case text(string: String, pixelSize: Int, bold: Bool, rgba: UInt32, backgroundRGBA: UInt32, degrees: Int)
        case qr(payload: String, modulePixels: Int, degrees: Int)
        /// An image scaled to `width`×`height` (turned).
        case image(name: String, degrees: Int, width: Int32, height: Int32)
        /// A 2r×2r anti-aliased disc (`lineWidth` 0) or ring; `backgroundRGBA` 0: ARGB for blending; otherwise
        /// opaque: blended onto that colour, over a disc of `underRGBA` first when that is not 0.
        case corner(radius: Int, lineWidth: Int, rgba: UInt32, underRGBA: UInt32, backgroundRGBA: UInt32)

        // Strings are hashed and compared as UTF-8 bytes: Swift's own String hashing normalises Unicode (NFC)
        // every time, which for Chinese text costs more than drawing it from the cache.
        func hash(into hasher: inout Hasher) {
            switch self {
            case .text(let string, let pixelSize, let bold, let rgba, let backgroundRGBA, let degrees):
                hasher.combine(0)
                string.hashUTF8(into: &hasher)
                hasher.combine(pixelSize)
                hasher.combine(bold)
                hasher.combine(rgba)
                hasher.combine(backgroundRGBA)
                hasher.combine(degrees)
            case .qr(let payload, let modulePixels, let degrees):
                hasher.combine(1)
                payload.hashUTF8(into: &hasher)
                hasher.combine(modulePixels)
                hasher.combine(degrees)
            case .image(let name, let degrees, let width, let height):
                hasher.combine(2)
                name.hashUTF8(into: &hasher)
                hasher.combine(degrees)
                hasher.combine(width)
                hasher.combine(height)
            case .corner(let radius, let lineWidth, let rgba, let underRGBA, let backgroundRGBA):
                hasher.combine(3)
                hasher.combine(radius)
                hasher.combine(lineWidth)
                hasher.combine(rgba)
                hasher.combine(underRGBA)
                hasher.combine(backgroundRGBA)
            }
        }

        static func == (a: Key, b: Key) -> Bool {
            switch (a, b) {
            case let (.text(s1, p1, b1, c1, g1, d1), .text(s2, p2, b2, c2, g2, d2)):
                p1 == p2 && b1 == b2 && c1 == c2 && g1 == g2 && d1 == d2 && s1.sameUTF8(s2)
            case let (.qr(s1, m1, d1), .qr(s2, m2, d2)):
                m1 == m2 && d1 == d2 && s1.sameUTF8(s2)
            case let (.image(n1, d1, w1, h1), .image(n2, d2, w2, h2)):
                d1 == d2 && w1 == w2 && h1 == h2 && n1.sameUTF8(n2)
            case let (.corner(r1, l1, c1, u1, g1), .corner(r2, l2, c2, u2, g2)):
                r1 == r2 && l1 == l2 && c1 == c2 && u1 == u2 && g1 == g2
            default:
                false
            }
        }
    }

    struct Entry {
        var texture: UnsafeMutablePointer<SDL_Surface>
        var width: Int32
        var height: Int32
        var lastFrame: UInt64
        var bytes: Int { Int(width) * Int(height) * 4 }
    }

    private(set) var entries: [Key: Entry] = [:]
    private(set) var bytes = 0
    private(set) var frame: UInt64 = 0
    let budgetBytes: Int
    /// Textures created since the window opened (a cold frame creates many, a warm one none).
    private(set) var created = 0

    init(budgetBytes: Int) {
        self.budgetBytes = budgetBytes
    }

    /// The cached texture for `key`, marked as used in this frame.
    func lookup(_ key: Key) -> Entry? {
        guard let index = entries.index(forKey: key) else { return nil }
        entries.values[index].lastFrame = frame
        return entries.values[index]
    }

    /// Takes ownership of `texture`.
    @discardableResult
    func insert(_ key: Key, texture: UnsafeMutablePointer<SDL_Surface>) -> Entry {
        let width = texture.pointee.w, height = texture.pointee.h
        if let old = entries.removeValue(forKey: key) {
            SDL_FreeSurface(old.texture)
            bytes -= old.bytes
        }
        let entry = Entry(texture: texture, width: width, height: height, lastFrame: frame)
        entries[key] = entry
        bytes += entry.bytes
        created += 1
        return entry
    }

    func beginFrame() { frame += 1 }

    /// Destroys least recently used textures not drawn this frame until the cache fits its budget (or `toBytes`).
    func trim(toBytes limit: Int? = nil) {
        let budgetBytes = limit ?? self.budgetBytes
        guard bytes > budgetBytes else { return }
        let candidates = entries.filter { $0.value.lastFrame < frame }.sorted { $0.value.lastFrame < $1.value.lastFrame }
        for (key, entry) in candidates {
            guard bytes > budgetBytes else { break }
            SDL_FreeSurface(entry.texture)
            entries.removeValue(forKey: key)
            bytes -= entry.bytes
        }
    }

    func removeAll() {
        for entry in entries.values { SDL_FreeSurface(entry.texture) }
        entries.removeAll()
        bytes = 0
    }
}

extension String {
    /// Feeds the UTF-8 bytes to `hasher` (no Unicode normalisation: for cache keys).
    func hashUTF8(into hasher: inout Hasher) {
        let done: Void? = utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil {
            for byte in utf8 { hasher.combine(byte) }
        }
        hasher.combine(utf8.count)
    }

    /// The same UTF-8 bytes (no Unicode normalisation: for cache keys).
    func sameUTF8(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        let fast = utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b in a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
        }
        return (fast ?? nil) ?? utf8.elementsEqual(other.utf8)
    }
}
