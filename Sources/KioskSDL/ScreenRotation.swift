import KioskCore

/// How the layout (what the citizen sees) sits on the physical window, turned clockwise by `degrees`.
/// Pure arithmetic, shared by drawing, touch input and injected events.
public struct ScreenRotation: Sendable, Hashable {
    /// 0, 90, 180 or 270.
    public let degrees: Int
    /// The size the core lays out for.
    public let layoutSize: Size

    /// `degrees` must be a multiple of 90 (any sign); it is normalised to 0…270.
    public init(degrees: Int, layoutSize: Size) throws {
        guard degrees % 90 == 0 else {
            throw KioskSDLError("rotation \(degrees) is not supported; use 0, 90, 180 or 270")
        }
        self.degrees = ((degrees % 360) + 360) % 360
        self.layoutSize = layoutSize
    }

    /// True when the window is the layout turned on its side.
    public var swapsAxes: Bool { degrees == 90 || degrees == 270 }

    /// The window (physical screen) size.
    public var windowSize: Size {
        swapsAxes ? Size(width: layoutSize.height, height: layoutSize.width) : layoutSize
    }

    /// The layout size for a physical window of `window` pixels.
    public static func layoutSize(forWindow window: Size, degrees: Int) -> Size {
        degrees % 180 == 0 ? window : Size(width: window.height, height: window.width)
    }

    /// Where a layout point appears on the window.
    public func windowPoint(forLayout point: Point) -> Point {
        let width = layoutSize.width, height = layoutSize.height
        switch degrees {
        case 90: return Point(x: height - point.y, y: point.x)
        case 180: return Point(x: width - point.x, y: height - point.y)
        case 270: return Point(x: point.y, y: width - point.x)
        default: return point
        }
    }

    /// The layout point under a window point (the inverse of `windowPoint(forLayout:)`).
    public func layoutPoint(forWindow point: Point) -> Point {
        let width = layoutSize.width, height = layoutSize.height
        switch degrees {
        case 90: return Point(x: point.y, y: height - point.x)
        case 180: return Point(x: width - point.x, y: height - point.y)
        case 270: return Point(x: width - point.y, y: point.x)
        default: return point
        }
    }
}
