import CSDL2

/// Rendered text, QR and image textures, kept while they fit in a byte budget. After each frame the
/// least recently used textures not drawn in that frame are destroyed until the cache fits again, so
/// memory stays flat however many different strings a kiosk shows over months.
final class TextureCache {
    enum Key: Hashable {
        /// `backgroundRGBA` 0: blended text; otherwise opaque text made on that colour.
        case text(string: String, pixelSize: Int, bold: Bool, rgba: UInt32, backgroundRGBA: UInt32, degrees: Int)
        case qr(payload: String, modulePixels: Int, degrees: Int)
        case image(name: String, degrees: Int)
        case disc(radius: Int, rgba: UInt32)
        case ring(radius: Int, lineWidth: Int, rgba: UInt32)
    }

    struct Entry {
        var texture: OpaquePointer
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
        guard var entry = entries[key] else { return nil }
        entry.lastFrame = frame
        entries[key] = entry
        return entry
    }

    /// Takes ownership of `texture`.
    @discardableResult
    func insert(_ key: Key, texture: OpaquePointer) -> Entry {
        var width: Int32 = 0, height: Int32 = 0
        SDL_QueryTexture(texture, nil, nil, &width, &height)
        if let old = entries.removeValue(forKey: key) {
            SDL_DestroyTexture(old.texture)
            bytes -= old.bytes
        }
        let entry = Entry(texture: texture, width: width, height: height, lastFrame: frame)
        entries[key] = entry
        bytes += entry.bytes
        created += 1
        return entry
    }

    func beginFrame() { frame += 1 }

    /// Destroys least recently used textures not drawn this frame until the cache fits its budget.
    func trim() {
        guard bytes > budgetBytes else { return }
        let candidates = entries.filter { $0.value.lastFrame < frame }.sorted { $0.value.lastFrame < $1.value.lastFrame }
        for (key, entry) in candidates {
            guard bytes > budgetBytes else { break }
            SDL_DestroyTexture(entry.texture)
            entries.removeValue(forKey: key)
            bytes -= entry.bytes
        }
    }

    func removeAll() {
        for entry in entries.values { SDL_DestroyTexture(entry.texture) }
        entries.removeAll()
        bytes = 0
    }
}
