import CSDL2
import CSDL2Image
import CSDL2TTF
import Foundation
import KioskCore

/// The kiosk's window: SDL video with a software framebuffer (the window surface, drawn directly by the
/// display-list renderer with its texture caches), the fonts, input translated to layout coordinates, and
/// screenshots. Use it from one thread (the one that created it); only `KioskWindow.wake()` may be called from
/// any thread.
public final class KioskWindow {
    let options: KioskWindowOptions
    let window: OpaquePointer
    let rotation: ScreenRotation
    let fonts: FontLibrary
    let drawer: DisplayListRenderer
    /// True when the video driver can block in `SDL_WaitEventTimeout` (X11, Wayland); otherwise the adapter
    /// sleeps on a semaphore between event polls.
    let nativeWait: Bool
    /// True for `offscreen`/`dummy`: nothing is shown and there are no input devices, so the wait can sleep long
    /// between polls.
    public let headless: Bool
    /// The last list drawn (redrawn when the window is exposed, and for screenshots).
    var lastList: DisplayList?
    var input = InputTracker()
    private var isClosed = false
    private let textMeasurer: TTFTextMeasurer

    /// The size in layout coordinates (after rotation): draw display lists of this size.
    public var layoutSize: Size { rotation.layoutSize }
    /// The physical window size in pixels.
    public var windowSize: Size { rotation.windowSize }
    /// Measures text exactly as `draw` renders it (`TTF_SizeUTF8`), cached.
    public var measurer: any TextMeasurer { textMeasurer }
    /// The name of the SDL video driver in use (`kmsdrm`, `x11`, `offscreen` …).
    public let videoDriver: String
    /// Images registered while running (staff photos); safe to use from any thread.
    public var images: ImageStore { drawer.imageStore }
    /// The fonts in use.
    public var fontFiles: (regular: FontFile, bold: FontFile) { (fonts.regular, fonts.bold) }

    /// Opens the window. Throws `KioskSDLError` naming what failed and the fix (no video device, missing
    /// font, SDL error text).
    public init(options: KioskWindowOptions) throws {
        self.options = options
        let regularFile = try FontLocator.locate(bold: false, configured: options.fontRegularPath)
        let boldFile = try FontLocator.locate(bold: true, configured: options.fontBoldPath)
        guard options.size.width >= 1, options.size.height >= 1 else {
            throw KioskSDLError("screen size \(Int(options.size.width))x\(Int(options.size.height)) is not valid; "
                + "use WIDTHxHEIGHT such as 1080x1920")
        }
        _ = try ScreenRotation(degrees: options.rotation, layoutSize: options.size)

        SDL_SetHintWithPriority(SDL_HINT_TOUCH_MOUSE_EVENTS, "0", SDL_HINT_OVERRIDE)
        SDL_SetHintWithPriority(SDL_HINT_MOUSE_TOUCH_EVENTS, "0", SDL_HINT_OVERRIDE)
        SDL_SetHintWithPriority(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0", SDL_HINT_OVERRIDE)
        if let driver = options.videoDriver { SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, driver, SDL_HINT_OVERRIDE) }
        // On the appliance nothing but the service manager ends the kiosk: a window manager's close request
        // (Alt+F4 under X11 or a compositor) must not quit it. SIGTERM/SIGINT still do (SDL_QUIT).
        SDL_SetHintWithPriority("SDL_QUIT_ON_LAST_WINDOW_CLOSE", options.fullscreen ? "0" : "1", SDL_HINT_OVERRIDE)
        guard SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) == 0 else {
            throw KioskSDLError(Self.videoFailure(options.videoDriver, sdlError: String(cString: SDL_GetError())), displayFailure: true)
        }
        var cleanup: [() -> Void] = [{ SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) }]
        func fail(_ message: String, display: Bool = false) -> KioskSDLError {
            for step in cleanup.reversed() { step() }
            return KioskSDLError(message, displayFailure: display)
        }
        // SDL names KMSDRM in capitals; everything here compares lower-case names.
        videoDriver = SDL_GetCurrentVideoDriver().map { String(cString: $0).lowercased() } ?? "unknown"
        // Read by SDL when the window surface is first asked for, so set before that.
        SDL_SetHintWithPriority(SDL_HINT_FRAMEBUFFER_ACCELERATION, Self.framebufferAcceleration(videoDriver: videoDriver),
                                SDL_HINT_OVERRIDE)
        nativeWait = ["x11", "wayland", "windows", "cocoa"].contains(videoDriver)
        headless = ["offscreen", "dummy"].contains(videoDriver)
        _ = wakeEventType

        let requested = try ScreenRotation(degrees: options.rotation, layoutSize: options.size).windowSize
        var flags = SDL_WINDOW_SHOWN.rawValue
        if options.fullscreen { flags |= SDL_WINDOW_FULLSCREEN_DESKTOP.rawValue }
        guard let window = SDL_CreateWindow(options.windowTitle, KioskSDL_WindowPosCentered(), KioskSDL_WindowPosCentered(),
                                            Int32(requested.width), Int32(requested.height), flags) else {
            throw fail("cannot create the \(Int(requested.width))x\(Int(requested.height)) window with video driver "
                + "'\(videoDriver)': \(String(cString: SDL_GetError())); check the screen size and the video driver", display: true)
        }
        cleanup.append { SDL_DestroyWindow(window) }
        // Frames are drawn straight into the window surface: no renderer, no intermediate texture, no second copy.
        guard let surface = SDL_GetWindowSurface(window) else {
            let reason = String(cString: SDL_GetError())
            throw fail("cannot get the window's framebuffer with video driver '\(videoDriver)': "
                + "\(reason.isEmpty ? "SDL gave no reason" : reason); check the video driver"
                + (videoDriver == "kmsdrm" ? " and that the GL/EGL libraries are installed (libegl1 libgles2 libopengl0 libgl1-mesa-dri)" : ""),
                       display: true)
        }
        let pixelFormat = surface.pointee.format.pointee.format
        if options.fullscreen { SDL_ShowCursor(SDL_DISABLE) }

        // A fullscreen window takes the display's size: lay out for what is really there.
        let outputWidth = surface.pointee.w, outputHeight = surface.pointee.h
        let physical = outputWidth > 0 && outputHeight > 0
            ? Size(width: Double(outputWidth), height: Double(outputHeight)) : requested
        let rotation = try ScreenRotation(degrees: options.rotation,
                                          layoutSize: ScreenRotation.layoutSize(forWindow: physical, degrees: options.rotation))

        guard TTF_Init() == 0 else { throw fail("SDL_ttf failed to start: \(String(cString: SDL_GetError()))") }
        cleanup.append { TTF_Quit() }
        let fonts: FontLibrary
        do {
            fonts = try FontLibrary(regular: regularFile, bold: boldFile)
        } catch {
            throw fail("\(error)")
        }
        // SDL_image keeps no per-window state; it is initialised once per process and never shut down.
        _ = IMG_Init(Int32(IMG_INIT_PNG.rawValue | IMG_INIT_JPG.rawValue))

        self.window = window
        self.rotation = rotation
        self.fonts = fonts
        self.textMeasurer = TTFTextMeasurer(library: fonts)
        self.drawer = DisplayListRenderer(format: pixelFormat, fonts: fonts, imageDirectory: options.imageDirectory,
                                          budgetBytes: Self.textureBudgetBytes)
    }

    /// Bytes of cached textures kept beyond those in the current frame: the home screen (1.2 MB at 1080×1920)
    /// and one ticket screen (its number and QR code, ~2.4 MB) — measured with `kiosk/bench/kiosk-bench`:
    /// 4 MB re-renders nothing on the way home (5 new textures per ticket cycle, as with 6 MB), 3.5 MB already
    /// re-renders home textures (20 per cycle). Earlier tickets' textures are evicted first.
    static let textureBudgetBytes = 4 << 20

    /// `SDL_HINT_FRAMEBUFFER_ACCELERATION` for a video driver. X11 and the headless drivers have a native window
    /// framebuffer (plain memory SDL pushes to the display, X11 shared memory): "0" keeps GL (Mesa's llvmpipe
    /// without a GPU: 140+ MB, slow presents) out. SDL2's KMSDRM and Wayland drivers have none: their window
    /// surface is SDL's texture framebuffer, a streaming texture drawn by a GL/GLES renderer over EGL, and with
    /// "0" `SDL_GetWindowSurface` fails without a reason (seen on KMSDRM in the boot-test VM, kiosk/vm/boot-test).
    static func framebufferAcceleration(videoDriver: String) -> String {
        ["kmsdrm", "wayland"].contains(videoDriver.lowercased()) ? "1" : "0"
    }

    static func videoFailure(_ requested: String?, sdlError: String) -> String {
        let driver = requested ?? ProcessInfo.processInfo.environment["SDL_VIDEODRIVER"] ?? "(SDL's choice)"
        var fix = "use --video offscreen to run without a display"
        switch driver.lowercased() {
        case "kmsdrm":
            fix = "KMSDRM needs /dev/dri/card* and the user in the groups video and render (and input for touch), "
                + "on a text console with no X or Wayland session holding the display; " + fix
        case "x11":
            fix = "is DISPLAY set and the X server running (or start Xvfb)? " + fix
        case "wayland":
            fix = "is WAYLAND_DISPLAY set and the compositor running? " + fix
        default:
            break
        }
        return "cannot start SDL video driver \(driver): \(sdlError); \(fix)"
    }

    deinit { close() }

    // MARK: - Drawing

    /// Renders the list (what changed since the last frame) and presents it.
    public func draw(_ list: DisplayList) {
        guard !isClosed else { return }
        lastList = list
        composite(list)
    }

    /// `draw`, returning the milliseconds it took (render and present) on the wall clock and in this thread's
    /// CPU time (the second is not inflated when other processes take the CPU), for benchmarks. `full` repaints
    /// the whole frame; otherwise only what changed since the last frame is repainted (as `draw` does).
    public func drawTimed(_ list: DisplayList, full: Bool = false) -> (wall: Double, cpu: Double) {
        func threadCPU() -> UInt64 {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
        }
        let start = DispatchTime.now().uptimeNanoseconds, cpuStart = threadCPU()
        if full { drawer.invalidate() }
        draw(list)
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000, Double(threadCPU() - cpuStart) / 1_000_000)
    }

    /// Renders `list` into the window surface, turned by the rotation, and shows what changed.
    func composite(_ list: DisplayList) {
        guard let surface = SDL_GetWindowSurface(window) else {
            Log.once("window-surface", "cannot get the window's framebuffer: \(String(cString: SDL_GetError()))")
            return
        }
        present(drawer.render(list, on: surface, rotation: rotation))
    }

    /// Shows the window surface: the changed rectangles (window pixels), or all of it for `nil`.
    func present(_ changed: [SDL_Rect]?) {
        guard let changed else {
            SDL_UpdateWindowSurface(window)
            return
        }
        guard !changed.isEmpty else { return }
        _ = changed.withUnsafeBufferPointer { SDL_UpdateWindowSurfaceRects(window, $0.baseAddress, Int32($0.count)) }
    }

    /// Pixels written by the last frame drawn (or, for an incremental frame, by the regions it repainted).
    public var lastFrameStatistics: FrameStatistics { drawer.statistics }

    /// Destroys every cached texture the last frame did not draw (an idle screen keeps only what it shows; the
    /// next frames make again what they need). Returns how many bytes of textures remain.
    @discardableResult
    public func releaseUnusedTextures() -> Int {
        drawer.cache.trim(toBytes: 0)
        return drawer.cache.bytes
    }

    /// Keeps only the textures of the frame on screen and destroys the rest: repaints that frame whole first (its
    /// pixels do not change), so every texture it draws counts as used even when the last frames repainted only a
    /// button or the clock. What an idle kiosk does once a citizen is done. Returns how many bytes of textures remain.
    @discardableResult
    public func keepOnlyTexturesOnScreen() -> Int {
        if !isClosed, let list = lastList {
            drawer.invalidate()
            composite(list)
        }
        return releaseUnusedTextures()
    }

    /// Cache figures for diagnostics: textures held, their bytes, textures created so far, open font faces.
    public var cacheStatistics: (textures: Int, bytes: Int, created: Int, fontFaces: Int) {
        (drawer.cache.entries.count, drawer.cache.bytes, drawer.cache.created, fonts.openFaces)
    }

    /// Number of touch devices SDL sees (0 on a kiosk means the touchscreen is missing or the user is not in
    /// the `input` group).
    public var touchDeviceCount: Int { Int(SDL_GetNumTouchDevices()) }

    /// Closes the window and frees every texture and font. Safe to call twice.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        drawer.close()
        fonts.close()
        TTF_Quit()
        SDL_DestroyWindow(window)
        SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS)
    }
}
