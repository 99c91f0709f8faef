import CSDL2
import CSDL2Image
import KioskCore

extension KioskWindow {
    /// Saves the last drawn frame as the citizen sees it (layout orientation, `layoutSize` pixels) as PNG.
    public func screenshot(to path: String) throws {
        let list = try frameToCapture()
        guard rotation.degrees != 0 else {
            drawer.render(list, rotation: nil, full: true)
            defer { SDL_RenderPresent(renderer) }
            try savePixels(size: rotation.layoutSize, to: path)
            return
        }
        // Rotated screens: draw upright into a layout-sized texture made for this screenshot only.
        guard let target = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ARGB8888.rawValue,
                                             Int32(SDL_TEXTUREACCESS_TARGET.rawValue), Int32(rotation.layoutSize.width),
                                             Int32(rotation.layoutSize.height)) else {
            throw KioskSDLError("cannot create a screenshot texture: \(String(cString: SDL_GetError()))")
        }
        defer { SDL_DestroyTexture(target) }
        SDL_SetRenderTarget(renderer, target)
        defer {
            SDL_SetRenderTarget(renderer, nil)
            drawer.invalidate()  // the window still holds the turned frame; the renderer must not assume otherwise
        }
        drawer.render(list, rotation: nil, full: true)
        try savePixels(size: rotation.layoutSize, to: path)
    }

    /// Saves the last drawn frame as the physical window holds it (rotated, `windowSize` pixels) as PNG.
    public func screenshotWindow(to path: String) throws {
        let list = try frameToCapture()
        composite(list)
        defer { SDL_RenderPresent(renderer) }
        try savePixels(size: rotation.windowSize, to: path)
    }

    private func frameToCapture() throws -> DisplayList {
        guard let list = lastList else {
            throw KioskSDLError("no frame to save yet: call draw(_:) before taking a screenshot")
        }
        return list
    }

    /// The window's pixels as they are now (the render target, RGB24 rows), without drawing anything.
    func currentPixels() throws -> [UInt8] {
        let width = Int32(rotation.windowSize.width), height = Int32(rotation.windowSize.height)
        var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height) * 3)
        let status = pixels.withUnsafeMutableBytes {
            SDL_RenderReadPixels(renderer, nil, SDL_PIXELFORMAT_RGB24.rawValue, $0.baseAddress, width * 3)
        }
        guard status == 0 else { throw KioskSDLError("cannot read the frame's pixels: \(String(cString: SDL_GetError()))") }
        return pixels
    }

    /// Reads the current render target into an RGB surface and writes it as PNG.
    private func savePixels(size: Size, to path: String) throws {
        let width = Int32(size.width), height = Int32(size.height)
        guard let surface = SDL_CreateRGBSurfaceWithFormat(0, width, height, 24, SDL_PIXELFORMAT_RGB24.rawValue) else {
            throw KioskSDLError("cannot allocate a \(width)x\(height) screenshot: \(String(cString: SDL_GetError()))")
        }
        defer { SDL_FreeSurface(surface) }
        guard SDL_RenderReadPixels(renderer, nil, SDL_PIXELFORMAT_RGB24.rawValue, surface.pointee.pixels,
                                   surface.pointee.pitch) == 0 else {
            throw KioskSDLError("cannot read the frame's pixels: \(String(cString: SDL_GetError()))")
        }
        guard IMG_SavePNG(surface, path) == 0 else {
            throw KioskSDLError("cannot write screenshot '\(path)': \(String(cString: SDL_GetError())); "
                + "check that the folder exists and is writable")
        }
    }
}
