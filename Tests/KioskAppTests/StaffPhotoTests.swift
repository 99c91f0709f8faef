import CSDL2
import CSDL2Image
import Foundation
import HallTestSupport
import KioskSDL
import XCTest

/// The real `hallkiosk` as window rating devices (offscreen) against the real `hallserver` serving staff photos from
/// `hall.toml`: a JPEG shows on the staff card; a broken one is logged with the reason and the card keeps its
/// placeholder (the device goes on working). The window screen above a window shows its clerk's photo the same way.
final class StaffPhotoTests: XCTestCase {
    var server: HallServerProcess!
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("photo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { server?.stop() }

    /// A 300×400 JPEG in one vivid colour (magenta: nothing else on the rating screen has it).
    private func writeJPEG(_ name: String) throws -> URL {
        let surface = try XCTUnwrap(SDL_CreateRGBSurfaceWithFormat(0, 300, 400, 24, SDL_PIXELFORMAT_RGB24.rawValue))
        defer { SDL_FreeSurface(surface) }
        SDL_FillRect(surface, nil, SDL_MapRGB(surface.pointee.format, 200, 20, 160))
        let url = folder.appendingPathComponent(name)
        XCTAssertEqual(IMG_SaveJPG(surface, url.path, 90), 0, String(cString: SDL_GetError()))
        return url
    }

    /// Pixels of the screenshot at `path` that are the photo's magenta.
    private func magentaPixels(_ path: String) throws -> Int {
        let image = try RGBImage(contentsOf: path)
        var count = 0
        for y in 0..<image.height {
            for x in 0..<image.width {
                let c = image.color(x: x, y: y)
                if c.red > 170, c.green < 70, c.blue > 120 { count += 1 }
            }
        }
        return count
    }

    func testTheClerksPhotoShowsOnTheRatingDeviceAndABrokenOneIsLoggedNotFatal() throws {
        let good = try writeJPEG("s01.jpg")
        // A JPEG cut short after its headers: the size reads fine, the pixels do not.
        let brokenData = try Data(contentsOf: good).prefix(400)
        let broken = folder.appendingPathComponent("s02.jpg")
        try brokenData.write(to: broken)
        server = try HallServerProcess { text in
            text.replacingOccurrences(of: "employeeNo = \"1001\"\n", with: "employeeNo = \"1001\"\nphoto = \"\(good.path)\"\n")
                .replacingOccurrences(of: "employeeNo = \"1002\"\n", with: "employeeNo = \"1002\"\nphoto = \"\(broken.path)\"\n")
                .replacingOccurrences(of: "employeeNo = \"1003\"\n", with: "employeeNo = \"1003\"\nphoto = \"\(good.path)\"\n")
        }
        _ = try server.staffToken(window: "w01", employeeNo: "1001")
        _ = try server.staffToken(window: "w02", employeeNo: "1002")
        _ = try server.staffToken(window: "w03", employeeNo: "1003")

        // The window screen above window 3 (窗口屏, 1280×400) shows its clerk's photo too.
        let display = try KioskProcess.writeDeviceConfig(
            in: folder, name: "display-w03.toml", role: "callingDisplay",
            device: [("id", "display-w03"), ("token", "demo-display-w03-token-change-me"), ("window", "w03")],
            serverURL: server.baseURL, size: (1280, 400), offlineGraceSeconds: 5, statusRefreshSeconds: 2)
        let screenShot = folder.appendingPathComponent("display-w03.png").path
        let (displayCode, displayOutput) = try KioskProcess.run(config: display, script: """
            wait-text 王芳 15000
            wait 2500
            screenshot \(screenShot)
            quit
            """, in: folder)
        XCTAssertEqual(displayCode, 0, displayOutput)
        // The photo box is 3:4 at the screen's inner height (about 264×352).
        XCTAssertGreaterThan(try magentaPixels(screenShot), 60_000, "the photo is on the window screen:\n\(displayOutput)")

        for (window, clerk, shows) in [("w01", "张敏", true), ("w02", "李伟", false)] {
            let config = try KioskProcess.writeRatingConfig(in: folder, serverURL: server.baseURL, window: window)
            let shot = folder.appendingPathComponent("rating-\(window).png").path
            let script = """
            wait-text \(clerk) 15000
            wait 2500
            expect-text \(clerk)
            screenshot \(shot)
            quit
            """
            let (code, output) = try KioskProcess.run(config: config, script: script, in: folder)
            XCTAssertEqual(code, 0, output)
            let magenta = try magentaPixels(shot)
            if shows {
                // The card's photo box at 1280×800 is about 240×300: most of it is the photo.
                XCTAssertGreaterThan(magenta, 40_000, "the photo is on the card:\n\(output)")
            } else {
                XCTAssertEqual(magenta, 0)
                XCTAssertTrue(output.contains("staff photo not shown"), output)
                XCTAssertTrue(output.contains("the JPEG cannot be decoded"), output)
            }
        }
    }
}
