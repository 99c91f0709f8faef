import KioskCore

/// How the kiosk window is opened. Every parameter has a default.
///
/// Defaults: keep `SDL_VIDEODRIVER` from the environment, layout 1080×1920, no rotation, windowed,
/// title "HallKiosk", fonts searched (see `FontLocator`), no image folder.
public struct KioskWindowOptions: Sendable {
    /// `kmsdrm` | `x11` | `wayland` | `offscreen` | `dummy`; `nil` keeps `SDL_VIDEODRIVER` from the environment.
    public var videoDriver: String?
    /// The layout size the core draws for (portrait 1080×1920, landscape 1920×1080 …). With rotation 90 or
    /// 270 the window is this size turned on its side. A fullscreen window takes the display's size instead
    /// (see `KioskWindow.layoutSize`).
    public var size: Size
    /// 0, 90, 180 or 270 degrees clockwise: the program rotates (every rectangle mapped, text/QR/image
    /// textures cached already turned) and transforms touches to match, because KMSDRM cannot rotate.
    public var rotation: Int
    /// Fullscreen at the display's native mode, cursor hidden (the appliance).
    public var fullscreen: Bool
    public var windowTitle: String
    /// The regular font; `nil` searches `Fonts/` near the executable, the repository's `Fonts/`, then the
    /// system Noto Sans CJK (`.ttc`, face 2 = Simplified Chinese).
    public var fontRegularPath: String?
    /// The bold font; `nil` searches like `fontRegularPath`.
    public var fontBoldPath: String?
    /// Folder of PNG images drawn by `DisplayItem.image(name:)` (`NAME.png`); `nil` = no images.
    public var imageDirectory: String?

    public init(videoDriver: String? = nil, size: Size = Size(width: 1080, height: 1920), rotation: Int = 0,
                fullscreen: Bool = false, windowTitle: String = "HallKiosk", fontRegularPath: String? = nil,
                fontBoldPath: String? = nil, imageDirectory: String? = nil) {
        self.videoDriver = videoDriver
        self.size = size
        self.rotation = rotation
        self.fullscreen = fullscreen
        self.windowTitle = windowTitle
        self.fontRegularPath = fontRegularPath
        self.fontBoldPath = fontBoldPath
        self.imageDirectory = imageDirectory
    }
}

/// What the citizen (or a scanner, or the system) did, in layout coordinates.
public enum InputEvent: Sendable, Equatable {
    /// A finger (or the left mouse button) went down at a layout point.
    case touchDown(Point)
    /// The finger (or button) went up at a layout point.
    case touchUp(Point)
    /// The touch was taken away (window lost focus, finger left the screen oddly).
    case touchCancel
    /// Text typed by a USB barcode scanner or a keyboard.
    case text(String)
    /// A key by SDL name: `Return`, `Backspace`, `Escape`, `Keypad Enter`.
    case key(String)
    /// The window was closed or the process asked to quit.
    case quit
    /// `KioskWindow.wake()` was called (another thread has news).
    case wake
}

/// A failure of the SDL adapter, naming the thing that failed and the fix.
public struct KioskSDLError: Error, CustomStringConvertible {
    public var description: String
    /// True when the display itself failed (no video device, no window, no framebuffer): something that may
    /// come right without a change to the configuration (a screen switched on, a driver loaded). False for
    /// settings that can only be fixed by editing them (a missing font file, a bad size or rotation).
    public var isDisplayFailure: Bool
    public init(_ description: String, displayFailure: Bool = false) {
        self.description = description
        self.isDisplayFailure = displayFailure
    }
}
