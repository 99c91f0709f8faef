/// A point in screen pixels (origin top-left, y grows downwards).
public struct Point: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A size in screen pixels.
public struct Size: Hashable, Sendable {
    public var width: Double
    public var height: Double
    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// True when the screen is wider than tall.
    public var isLandscape: Bool { width > height }
}

/// An axis-aligned rectangle in screen pixels.
public struct Rect: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var minX: Double { x }
    public var minY: Double { y }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }
    public var center: Point { Point(x: midX, y: midY) }
    public var size: Size { Size(width: width, height: height) }

    /// True when `point` lies inside (left/top edges inclusive, right/bottom exclusive).
    public func contains(_ point: Point) -> Bool {
        point.x >= x && point.x < maxX && point.y >= y && point.y < maxY
    }

    /// True when `other` lies entirely inside this rectangle (edges may touch); `tolerance` absorbs rounding.
    public func contains(_ other: Rect, tolerance: Double = 0.5) -> Bool {
        other.x >= x - tolerance && other.y >= y - tolerance
            && other.maxX <= maxX + tolerance && other.maxY <= maxY + tolerance
    }

    /// True when the two rectangles share some area (touching edges do not count).
    public func overlaps(_ other: Rect) -> Bool {
        x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
    }

    /// The rectangle shrunk by `dx` on the left and right and `dy` at the top and bottom.
    public func insetBy(dx: Double, dy: Double) -> Rect {
        Rect(x: x + dx, y: y + dy, width: max(0, width - 2 * dx), height: max(0, height - 2 * dy))
    }

    /// The rectangle with its edges rounded to whole pixels.
    public var pixelAligned: Rect {
        let left = x.rounded(), top = y.rounded()
        return Rect(x: left, y: top, width: (maxX).rounded() - left, height: (maxY).rounded() - top)
    }

    /// Splits off a slice of `amount` from the top; returns (slice, remainder below it after `gap`).
    public func slicedFromTop(_ amount: Double, gap: Double = 0) -> (slice: Rect, rest: Rect) {
        let slice = Rect(x: x, y: y, width: width, height: min(amount, height))
        let restTop = min(maxY, y + amount + gap)
        return (slice, Rect(x: x, y: restTop, width: width, height: maxY - restTop))
    }

    /// Splits off a slice of `amount` from the bottom; returns (slice, remainder above it before `gap`).
    public func slicedFromBottom(_ amount: Double, gap: Double = 0) -> (slice: Rect, rest: Rect) {
        let slice = Rect(x: x, y: max(y, maxY - amount), width: width, height: min(amount, height))
        return (slice, Rect(x: x, y: y, width: width, height: max(0, height - amount - gap)))
    }

    /// Splits off a slice of `amount` from the left; returns (slice, remainder right of it after `gap`).
    public func slicedFromLeft(_ amount: Double, gap: Double = 0) -> (slice: Rect, rest: Rect) {
        let slice = Rect(x: x, y: y, width: min(amount, width), height: height)
        let restLeft = min(maxX, x + amount + gap)
        return (slice, Rect(x: restLeft, y: y, width: maxX - restLeft, height: height))
    }

    /// Divides the rectangle into `count` equal columns separated by `gap`.
    public func columns(_ count: Int, gap: Double) -> [Rect] {
        guard count > 0 else { return [] }
        let cell = (width - gap * Double(count - 1)) / Double(count)
        return (0..<count).map { Rect(x: x + Double($0) * (cell + gap), y: y, width: cell, height: height).pixelAligned }
    }

    /// Divides the rectangle into `count` equal rows separated by `gap`.
    public func rows(_ count: Int, gap: Double) -> [Rect] {
        guard count > 0 else { return [] }
        let cell = (height - gap * Double(count - 1)) / Double(count)
        return (0..<count).map { Rect(x: x, y: y + Double($0) * (cell + gap), width: width, height: cell).pixelAligned }
    }

    /// A rectangle of `size` centred in this one.
    public func centered(_ size: Size) -> Rect {
        Rect(x: midX - size.width / 2, y: midY - size.height / 2, width: size.width, height: size.height).pixelAligned
    }
}

/// An sRGB colour with alpha.
public struct Color: Hashable, Sendable, CustomStringConvertible {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8
    public var alpha: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// A colour from `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    /// `#RRGGBB` (or `#RRGGBBAA` when not opaque).
    public var description: String {
        let digits = [red, green, blue] + (alpha == 255 ? [] : [alpha])
        return "#" + digits.map { byte in
            let text = String(byte, radix: 16, uppercase: true)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
