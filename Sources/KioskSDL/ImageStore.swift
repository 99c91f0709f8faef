import Foundation

/// Images that arrive while the kiosk runs (staff photos from the hall server), by display-list image name.
/// Any thread may `register`; the renderer reads on the UI thread and decodes once into a texture.
public final class ImageStore: @unchecked Sendable {
    private let lock = NSLock()
    private var images: [String: Data] = [:]
    /// More than this many images: the oldest registered are forgotten (a hall has a few dozen staff).
    private let limit = 256
    private var order: [String] = []

    public init() {}

    /// Makes `data` (PNG or JPEG) the image called `name`.
    public func register(_ name: String, data: Data) {
        lock.lock()
        defer { lock.unlock() }
        if images.updateValue(data, forKey: name) == nil { order.append(name) }
        if order.count > limit { images.removeValue(forKey: order.removeFirst()) }
    }

    func data(named name: String) -> Data? {
        lock.lock()
        defer { lock.unlock() }
        return images[name]
    }
}
