import CSDL2
import CSDL2Image
import KioskCore

/// A decoded image as 8-bit RGB rows, for pixel checks of screenshots (tests, `hallkiosk doctor`).
public struct RGBImage: Sendable {
    public let width: Int
    public let height: Int
    /// `width * height * 3` bytes, row by row.
    public let rgb: [UInt8]

    /// Loads a PNG (or any format SDL_image reads).
    public init(contentsOf path: String) throws {
        guard let loaded = IMG_Load(path) else {
            throw KioskSDLError("cannot read image '\(path)': \(String(cString: SDL_GetError()))")
        }
        defer { SDL_FreeSurface(loaded) }
        guard let converted = SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_RGB24.rawValue, 0) else {
            throw KioskSDLError("cannot convert image '\(path)': \(String(cString: SDL_GetError()))")
        }
        defer { SDL_FreeSurface(converted) }
        let width = Int(converted.pointee.w), height = Int(converted.pointee.h), pitch = Int(converted.pointee.pitch)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        if let pixels = converted.pointee.pixels {
            let source = pixels.assumingMemoryBound(to: UInt8.self)
            for row in 0..<height {
                for column in 0..<(width * 3) { rgb[row * width * 3 + column] = source[row * pitch + column] }
            }
        }
        self.width = width
        self.height = height
        self.rgb = rgb
    }

    /// The colour at a pixel (opaque).
    public func color(x: Int, y: Int) -> Color {
        let index = (y * width + x) * 3
        return Color(red: rgb[index], green: rgb[index + 1], blue: rgb[index + 2])
    }
}
