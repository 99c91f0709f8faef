import Foundation
import KioskCore
import KioskSDL
import XCTest

/// Pixel checks on screenshots.
extension RGBImage {
    /// Number of different colours (sampling every other pixel).
    var distinctColorCount: Int {
        var seen = Set<UInt32>()
        for y in stride(from: 0, to: height, by: 2) {
            for x in stride(from: 0, to: width, by: 2) {
                let index = (y * width + x) * 3
                seen.insert(UInt32(rgb[index]) << 16 | UInt32(rgb[index + 1]) << 8 | UInt32(rgb[index + 2]))
            }
        }
        return seen.count
    }

    /// Pixels inside `frame` within `tolerance` (per channel) of `color`.
    func count(of color: Color, in frame: Rect, tolerance: Int = 40) -> Int {
        var found = 0
        forEachPixel(in: frame) { x, y in if matches(x, y, color, tolerance) { found += 1 } }
        return found
    }

    /// The smallest rectangle holding every pixel of `frame` within `tolerance` of `color`.
    func bounds(of color: Color, in frame: Rect, tolerance: Int = 40) -> Rect? {
        var minX = Int.max, minY = Int.max, maxX = Int.min, maxY = Int.min
        forEachPixel(in: frame) { x, y in
            guard matches(x, y, color, tolerance) else { return }
            minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
        }
        guard minX <= maxX else { return nil }
        return Rect(x: Double(minX), y: Double(minY), width: Double(maxX - minX + 1), height: Double(maxY - minY + 1))
    }

    private func matches(_ x: Int, _ y: Int, _ color: Color, _ tolerance: Int) -> Bool {
        let index = (y * width + x) * 3
        return abs(Int(rgb[index]) - Int(color.red)) <= tolerance && abs(Int(rgb[index + 1]) - Int(color.green)) <= tolerance
            && abs(Int(rgb[index + 2]) - Int(color.blue)) <= tolerance
    }

    private func forEachPixel(in frame: Rect, _ body: (Int, Int) -> Void) {
        let left = max(0, Int(frame.minX.rounded(.down))), right = min(width, Int(frame.maxX.rounded(.up)))
        let top = max(0, Int(frame.minY.rounded(.down))), bottom = min(height, Int(frame.maxY.rounded(.up)))
        guard left < right, top < bottom else { return }
        for y in top..<bottom {
            for x in left..<right { body(x, y) }
        }
    }
}

/// Where test screenshots go: `$KIOSK_SDL_SHOTS` or a folder in the temporary directory.
enum ShotFolder {
    static let path: String = {
        let folder = ProcessInfo.processInfo.environment["KIOSK_SDL_SHOTS"]
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("kiosk-sdl-tests")
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }()

    static func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name + ".png") }
}

/// Runs `zbarimg --raw -q` on a PNG and returns what it decoded (one line per code).
func zbarDecode(_ path: String) throws -> String {
    let candidates = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"]
    guard let tool = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw XCTSkipFailure("zbarimg is not installed: the QR pixel check needs it; fix: apt-get install -y zbar-tools")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = ["--raw", "-q", path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// An error that fails the test with a clear message (not a skip: a missing tool must be noticed).
struct XCTSkipFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension XCTestCase {
    /// An offscreen window (SDL_VIDEODRIVER set explicitly, never SDL's silent choice).
    func openWindow(size: Size, rotation: Int = 0) throws -> KioskWindow {
        setenv("SDL_VIDEODRIVER", "offscreen", 1)
        return try KioskWindow(options: KioskWindowOptions(videoDriver: "offscreen", size: size, rotation: rotation))
    }
}
