/// A 1-bit image as the thermal head prints it: `width × height` dots, row-major, `true` = black.
///
/// Every output format (PWG raster, PNG, ESC/POS) is encoded from this one value, so a ticket prints
/// the same whatever the destination accepts.
public struct Raster: Hashable, Sendable {
    /// Dots per row (the printer's printable width, e.g. 576).
    public let width: Int
    /// Rows.
    public let height: Int
    /// One byte per dot: 1 = black, 0 = white (row-major).
    public private(set) var dots: [UInt8]

    /// An all-white raster.
    public init(width: Int, height: Int) {
        precondition(width > 0 && height >= 0, "raster size \(width)×\(height)")
        self.width = width
        self.height = height
        self.dots = [UInt8](repeating: 0, count: width * height)
    }

    /// A raster from one byte per dot (non-zero = black).
    public init(width: Int, height: Int, dots: [UInt8]) {
        precondition(dots.count == width * height, "\(dots.count) dots for \(width)×\(height)")
        self.width = width
        self.height = height
        self.dots = dots.map { $0 == 0 ? 0 : 1 }
    }

    /// Whether the dot at (`x`, `y`) is black.
    public subscript(x: Int, y: Int) -> Bool {
        get { dots[y * width + x] != 0 }
        set { dots[y * width + x] = newValue ? 1 : 0 }
    }

    /// Paints a filled rectangle black, clipped to the raster.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int) {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 {
            let base = row * width
            for column in x0..<x1 { dots[base + column] = 1 }
        }
    }

    /// Paints black wherever `mask` (one byte per dot, `maskWidth` wide) is at least `threshold`, at (`x`, `y`).
    mutating func blend(mask: UnsafeBufferPointer<UInt8>, maskWidth: Int, maskHeight: Int, pitch: Int, x: Int, y: Int,
                        threshold: UInt8 = 112) {
        for row in 0..<maskHeight {
            let ty = y + row
            guard ty >= 0, ty < height else { continue }
            for column in 0..<maskWidth {
                let tx = x + column
                guard tx >= 0, tx < width else { continue }
                if mask[row * pitch + column] >= threshold { dots[ty * width + tx] = 1 }
            }
        }
    }

    /// The rows packed 8 dots per byte, most significant bit first, 1 = black, each row padded to whole bytes
    /// (the layout of ESC/POS `GS v 0` and of PWG `black_1`).
    public func packedRows() -> [UInt8] {
        let bytesPerRow = (width + 7) / 8
        var out = [UInt8](repeating: 0, count: bytesPerRow * height)
        for y in 0..<height {
            let source = y * width, target = y * bytesPerRow
            for x in 0..<width where dots[source + x] != 0 {
                out[target + x >> 3] |= 0x80 >> UInt8(x & 7)
            }
        }
        return out
    }

    /// A raster from rows packed 8 dots per byte (see `packedRows()`).
    public init(packedRows bytes: [UInt8], width: Int, height: Int) {
        let bytesPerRow = (width + 7) / 8
        precondition(bytes.count >= bytesPerRow * height, "\(bytes.count) bytes for \(width)×\(height)")
        var dots = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width where bytes[y * bytesPerRow + x >> 3] & (0x80 >> UInt8(x & 7)) != 0 {
                dots[y * width + x] = 1
            }
        }
        self.init(width: width, height: height, dots: dots)
    }

    /// The part of the raster from row `from` (inclusive) to `to` (exclusive).
    public func rows(_ from: Int, _ to: Int) -> Raster {
        Raster(width: width, height: to - from, dots: Array(dots[(from * width)..<(to * width)]))
    }

    /// How many dots are black.
    public var blackCount: Int { dots.reduce(0) { $0 + Int($1) } }
}
