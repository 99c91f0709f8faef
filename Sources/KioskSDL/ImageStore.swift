import CSDL2
import CSDL2Image
import Foundation

/// Images that arrive while the kiosk runs (staff photos from the hall server), by display-list image name.
///
/// `register` checks and decodes on the caller's thread — a background task, never the frame loop — and keeps the
/// picture small (at most `keptSide` pixels a side, ARGB): the renderer only copies the pixels into a texture.
/// A broken, unknown or huge image is refused with the reason, and nothing is kept under its name.
public final class ImageStore: @unchecked Sendable {
    /// A decoded picture: `width × height` ARGB8888 pixels, row by row without padding.
    struct Decoded {
        var width: Int32
        var height: Int32
        var pixels: Data
        var opaque: Bool
    }

    /// Files larger than this are refused unread.
    public static let maxBytes = 8 * 1024 * 1024
    /// Images wider or taller than this (in their header) are refused undecoded.
    public static let maxSide = 6000
    /// Decoded images are scaled down to at most this many pixels a side (a photo is drawn a few hundred pixels tall).
    public static let keptSide = 640

    private let lock = NSLock()
    private var images: [String: Decoded] = [:]
    /// More than this many images: the oldest registered are forgotten (a hall has a few dozen staff).
    private let limit = 256
    private var order: [String] = []

    public init() {}

    /// Checks and decodes `data` (PNG or JPEG) and makes it the image called `name`; returns its kept size.
    /// Call it off the frame loop: decoding a photo takes milliseconds to a few hundred.
    @discardableResult
    public func register(_ name: String, data: Data) throws(ImageProblem) -> (width: Int, height: Int) {
        let decoded = try Self.decode(data)
        lock.lock()
        defer { lock.unlock() }
        if images.updateValue(decoded, forKey: name) == nil { order.append(name) }
        if order.count > limit { images.removeValue(forKey: order.removeFirst()) }
        return (Int(decoded.width), Int(decoded.height))
    }

    func image(named name: String) -> Decoded? {
        lock.lock()
        defer { lock.unlock() }
        return images[name]
    }

    /// Size checks, then SDL_image, then a scale down to `keptSide`.
    static func decode(_ data: Data) throws(ImageProblem) -> Decoded {
        guard !data.isEmpty else { throw ImageProblem("the image is empty (0 bytes)") }
        guard data.count <= maxBytes else {
            throw ImageProblem("the image has \(data.count) bytes; at most \(maxBytes) are read (send a smaller photo)")
        }
        guard let header = ImageHeader(data) else {
            let start = data.prefix(4).map { String(format: "%02x", $0) }.joined(separator: " ")
            throw ImageProblem("the image is neither PNG nor JPEG (it starts with \(start))")
        }
        guard header.width > 0, header.height > 0, header.width <= maxSide, header.height <= maxSide else {
            throw ImageProblem("the \(header.format.rawValue) is \(header.width)×\(header.height) pixels; at most \(maxSide) a side are decoded")
        }
        let loaded: UnsafeMutablePointer<SDL_Surface>? = data.withUnsafeBytes { bytes in
            IMG_Load_RW(SDL_RWFromConstMem(bytes.baseAddress, Int32(bytes.count)), 1)
        }
        guard let loaded else {
            throw ImageProblem("the \(header.format.rawValue) cannot be decoded: \(String(cString: SDL_GetError()))")
        }
        defer { SDL_FreeSurface(loaded) }
        let opaque = loaded.pointee.format.pointee.Amask == 0 && SDL_HasColorKey(loaded) == SDL_FALSE
            && loaded.pointee.format.pointee.palette == nil
        guard let argb = SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_ARGB8888.rawValue, 0) else {
            throw ImageProblem("the image cannot be converted: \(String(cString: SDL_GetError()))")
        }
        var kept = argb
        defer { SDL_FreeSurface(kept) }
        let w = Int(argb.pointee.w), h = Int(argb.pointee.h)
        let scale = min(1, Double(keptSide) / Double(max(w, h)))
        if scale < 1 {
            let sw = max(1, Int32((Double(w) * scale).rounded())), sh = max(1, Int32((Double(h) * scale).rounded()))
            guard let small = SDL_CreateRGBSurfaceWithFormat(0, sw, sh, 32, SDL_PIXELFORMAT_ARGB8888.rawValue) else {
                SDL_FreeSurface(argb)
                throw ImageProblem("no memory to scale the image: \(String(cString: SDL_GetError()))")
            }
            guard SDL_SoftStretchLinear(argb, nil, small, nil) == 0 else {
                SDL_FreeSurface(small)
                SDL_FreeSurface(argb)
                throw ImageProblem("the image cannot be scaled: \(String(cString: SDL_GetError()))")
            }
            SDL_FreeSurface(argb)
            kept = small
        }
        let width = Int(kept.pointee.w), height = Int(kept.pointee.h), pitch = Int(kept.pointee.pitch)
        var pixels = Data(count: width * height * 4)
        if let base = kept.pointee.pixels {
            pixels.withUnsafeMutableBytes { out in
                for row in 0..<height {
                    memcpy(out.baseAddress! + row * width * 4, base + row * pitch, width * 4)
                }
            }
        }
        return Decoded(width: Int32(width), height: Int32(height), pixels: pixels, opaque: opaque)
    }
}

/// Why an image was not taken (logged; the screen keeps its layout without the picture).
public struct ImageProblem: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
