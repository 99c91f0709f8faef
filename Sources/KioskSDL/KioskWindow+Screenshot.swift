import CSDL2
import CSDL2Image
import KioskCore

extension KioskWindow {
    /// Saves the last drawn frame as the citizen sees it (layout orientation, `layoutSize` pixels) as PNG.
    public func screenshot(to path: String) throws {
        let list = try frameToCapture()
        guard rotation.degrees != 0 else {
            let surface = try windowSurface()
            present(drawer.render(list, on: surface, rotation: nil, full: true))
            try save(surface, to: path)
            return
        }
        // Rotated screens: draw upright into a layout-sized surface made for this screenshot only.
        guard let upright = SDL_CreateRGBSurfaceWithFormat(0, Int32(rotation.layoutSize.width), Int32(rotation.layoutSize.height),
                                                           32, drawer.format) else {
            throw KioskSDLError("cannot create a screenshot surface: \(String(cString: SDL_GetError()))")
        }
        defer {
            SDL_FreeSurface(upright)
            drawer.invalidate()  // the window still holds the turned frame; the renderer must not assume otherwise
        }
        drawer.render(list, on: upright, rotation: nil, full: true)
        try save(upright, to: path)
    }

    /// Saves the last drawn frame as the physical window holds it (rotated, `windowSize` pixels) as PNG.
    public func screenshotWindow(to path: String) throws {
        let list = try frameToCapture()
        composite(list)
        try save(try windowSurface(), to: path)
    }

    private func frameToCapture() throws -> DisplayList {
        guard let list = lastList else {
            throw KioskSDLError("no frame to save yet: call draw(_:) before taking a screenshot")
        }
        return list
    }

    private func windowSurface() throws -> UnsafeMutablePointer<SDL_Surface> {
        guard let surface = SDL_GetWindowSurface(window) else {
            throw KioskSDLError("cannot get the window's framebuffer: \(String(cString: SDL_GetError()))")
        }
        return surface
    }

    /// The window's pixels as they are now (RGB24 rows), without drawing anything.
    func currentPixels() throws -> [UInt8] {
        let surface = try windowSurface()
        let width = surface.pointee.w, height = surface.pointee.h
        var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height) * 3)
        let status = pixels.withUnsafeMutableBytes {
            SDL_ConvertPixels(width, height, surface.pointee.format.pointee.format, surface.pointee.pixels, surface.pointee.pitch,
                              SDL_PIXELFORMAT_RGB24.rawValue, $0.baseAddress, width * 3)
        }
        guard status == 0 else { throw KioskSDLError("cannot read the frame's pixels: \(String(cString: SDL_GetError()))") }
        return pixels
    }

    /// Writes `surface` as an RGB PNG.
    private func save(_ surface: UnsafeMutablePointer<SDL_Surface>, to path: String) throws {
        guard let rgb = SDL_ConvertSurfaceFormat(surface, SDL_PIXELFORMAT_RGB24.rawValue, 0) else {
            throw KioskSDLError("cannot read the frame's pixels: \(String(cString: SDL_GetError()))")
        }
        defer { SDL_FreeSurface(rgb) }
        guard IMG_SavePNG(rgb, path) == 0 else {
            throw KioskSDLError("cannot write screenshot '\(path)': \(String(cString: SDL_GetError())); "
                + "check that the folder exists and is writable")
        }
    }
}
