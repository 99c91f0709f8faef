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
        Self.reserved.withLock { paths in
            paths.forEach { unlink($0) }
            paths.removeAll()
        }
        if let xvfb, xvfb.isRunning {
            xvfb.terminate()
            xvfb.waitUntilExit()
        }
        server?.stop()
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// An X display number nobody uses, reserved for this test until its tear-down: test processes run side by
    /// side, and two tests on one display would see (and close) each other's windows. Reservations are files
    /// created exclusively in one shared folder, holding the reserving process's pid (a dead one's are reclaimed).
    static func freeDisplay() -> Int {
        let folder = "/tmp/hallkiosk-test-displays"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        chmod(folder, 0o1777)
        for _ in 0..<200 {
            let n = Int.random(in: 300...900)
            guard !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(n)"),
                  !FileManager.default.fileExists(atPath: "/tmp/.X\(n)-lock") else { continue }
            let path = "\(folder)/\(n)"
            var fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o644)
            if fd < 0, errno == EEXIST,
               let owner = (try? String(contentsOfFile: path, encoding: .utf8)).flatMap({ pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
               kill(owner, 0) != 0, errno == ESRCH {
                unlink(path)
                fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o644)
            }
            guard fd >= 0 else { continue }
            let pid = Array("\(getpid())\n".utf8)
            _ = write(fd, pid, pid.count)
            close(fd)
            reserved.withLock { $0.append(path) }
            return n
        }
        return 999
    }

    private static let reserved = NSLockedPaths()

    /// Starts Xvfb on a display number it picks itself (`-displayfd`) and returns it once the server accepts
    /// clients: no other test can be on the same display.
    func startX() throws -> Int {
        let x = Process()
        let number = Pipe()
        x.executableURL = URL(fileURLWithPath: "/usr/bin/Xvfb")
        x.arguments = ["-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"]
        x.standardOutput = number
        x.standardError = FileHandle.nullDevice
        try x.run()
        xvfb = x
        // Xvfb writes the number when it is ready for clients, then keeps the pipe open: read up to the newline.
        var text = ""
        while !text.contains("\n") {
            let chunk = number.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let display = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw XvfbError(message: "Xvfb did not name its display (said \(text.debugDescription)); is xvfb installed?")
        }
        return display
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
        guard x.isRunning else {
            throw XvfbError(message: "Xvfb could not start on display :\(display) (another X server has it)")
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

struct XvfbError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Paths behind a lock (XCTest runs a process's tests one after another, but Swift wants the static guarded).
final class NSLockedPaths: @unchecked Sendable {
    private let lock = NSLock()
    private var paths: [String] = []
    func withLock<T>(_ body: (inout [String]) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&paths)
    }
}
