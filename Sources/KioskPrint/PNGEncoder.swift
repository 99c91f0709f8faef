import CSDL2
import CSDL2Image

/// Encodes a raster as a black-and-white PNG (8-bit palette) with SDL2_image, in memory.
public enum PNGEncoder {
    public static func encode(_ raster: Raster) throws(PrintError) -> [UInt8] {
        guard let surface = SDL_CreateRGBSurfaceWithFormat(0, Int32(raster.width), Int32(max(1, raster.height)), 8,
                                                           SDL_PIXELFORMAT_INDEX8.rawValue) else {
            throw PrintError(.encoding, "PNG: cannot create a \(raster.width)×\(raster.height) surface: \(String(cString: SDL_GetError()))")
        }
        defer { SDL_FreeSurface(surface) }
        var colors = [SDL_Color(r: 255, g: 255, b: 255, a: 255), SDL_Color(r: 0, g: 0, b: 0, a: 255)]
        guard SDL_SetPaletteColors(surface.pointee.format.pointee.palette, &colors, 0, 2) == 0 else {
            throw PrintError(.encoding, "PNG: cannot set the palette: \(String(cString: SDL_GetError()))")
        }
        let pitch = Int(surface.pointee.pitch)
        let pixels = surface.pointee.pixels.assumingMemoryBound(to: UInt8.self)
        raster.dots.withUnsafeBufferPointer { dots in
            for y in 0..<raster.height {
                (pixels + y * pitch).update(from: dots.baseAddress! + y * raster.width, count: raster.width)
            }
        }
        // Deflate never grows data by more than a few bytes per 16 KB block; chunks add a little more.
        var buffer = [UInt8](repeating: 0, count: (raster.width + 1) * max(1, raster.height) * 11 / 10 + 65536)
        let written: Int? = buffer.withUnsafeMutableBytes { bytes in
            guard let rw = SDL_RWFromMem(bytes.baseAddress, Int32(bytes.count)) else { return nil }
            defer { SDL_RWclose(rw) }
            guard IMG_SavePNG_RW(surface, rw, 0) == 0 else { return nil }
            return Int(SDL_RWtell(rw))
        }
        guard let written else {
            throw PrintError(.encoding, "PNG: SDL_image could not encode a \(raster.width)×\(raster.height) image: \(String(cString: SDL_GetError()))")
        }
        return Array(buffer[0..<written])
    }
}
