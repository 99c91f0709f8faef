import Foundation
import HallTestSupport
import XCTest

/// Kiosk tests on a real X server (Xvfb) against the real hall server: a scratch folder, the demo hall,
/// and an Xvfb the test starts when it wants the display to appear (stopped afterwards).
class KioskOnXTestCase: XCTestCase {
    var server: HallServerProcess!
    var folder: URL!
    var xvfb: Process?

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-x-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        server = try HallServerProcess()
    }

    override func tearDown() {
        if let xvfb, xvfb.isRunning {
            xvfb.terminate()
            xvfb.waitUntilExit()
        }
        server?.stop()
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// An X display number nobody uses.
    static func freeDisplay() -> Int {
        for _ in 0..<50 {
            let n = Int.random(in: 300...900)
            if !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(n)"), !FileManager.default.fileExists(atPath: "/tmp/.X\(n)-lock") {
                return n
            }
        }
        return 999
    }

    /// Starts Xvfb on `display` and waits (up to 5 s each) for its socket and then for it to answer a client: under
    /// load the socket can exist a moment before the server accepts connections.
    func startX(_ display: Int) throws {
        let x = Process()
        x.executableURL = URL(fileURLWithPath: "/usr/bin/Xvfb")
        x.arguments = [":\(display)", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"]
        x.standardOutput = FileHandle.nullDevice
        x.standardError = FileHandle.nullDevice
        try x.run()
        xvfb = x
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(display)") {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let probe = "/usr/bin/xdpyinfo"
        guard FileManager.default.isExecutableFile(atPath: probe) else { return }
        for _ in 0..<50 {
            if let answer = try? runProgram(probe, ["-display", ":\(display)"], environment: ["XAUTHORITY": "/dev/null"]),
               answer.code == 0 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }
}
