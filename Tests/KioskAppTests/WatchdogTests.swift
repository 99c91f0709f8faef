import Foundation
import HallTestSupport
import KioskEventStream
@testable import KioskApp
import KioskCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The kiosk under a pretend systemd: a Unix datagram socket as `NOTIFY_SOCKET`, `WATCHDOG_USEC` set,
/// the real `hallkiosk` (offscreen) and the real `hallserver`.
final class WatchdogTests: XCTestCase {
    var server: HallServerProcess!
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-watchdog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        server = try HallServerProcess()
    }

    override func tearDown() {
        server?.stop()
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    // MARK: the real program

    func testReadyAfterFirstFrameThenRegularWatchdogPingsThatStopWhileTheLoopIsFrozen() throws {
        let listener = try NotifyListener()
        defer { listener.close() }
        // Watchdog 2 s → a ping every second. The script freezes the render loop for 4 s in the middle.
        let kiosk = try KioskUnderTest(folder: folder, serverURL: server.baseURL,
                                       script: "wait 3000\nfreeze 4000\nwait 3000\nquit\n",
                                       environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "2000000"])
        let code = kiosk.waitForExit(timeoutSeconds: 90)
        // The kiosk's last datagrams can still be on their way to the listener's thread when it has exited.
        listener.waitFor("STOPPING=1", timeoutSeconds: 10)
        let messages = listener.messages
        XCTAssertEqual(code, 0, "kiosk output:\n\(kiosk.output)")

        // Given READY=1 first (after the first frame), then pings
        guard let ready = messages.firstIndex(where: { $0.text.contains("READY=1") }) else {
            return XCTFail("no READY=1; got \(messages.map(\.text)); kiosk output:\n\(kiosk.output)")
        }
        XCTAssertTrue(messages[ready].text.contains("STATUS="), "READY=1 comes with a status line")
        XCTAssertFalse(messages[..<ready].contains { $0.text.contains("WATCHDOG=1") }, "no ping before READY=1")
        let pings = messages[ready...].filter { $0.text == "WATCHDOG=1" }.map(\.time)
        XCTAssertGreaterThanOrEqual(pings.count, 4, "about a ping a second over 6 s of turning loop; got \(pings.count)")
        let gaps = zip(pings.dropFirst(), pings).map { $0 - $1 }
        guard let longest = gaps.max(), let at = gaps.firstIndex(of: longest) else { return XCTFail("no gaps between pings") }

        // Then: while frozen, no ping for ~4 s (systemd would kill it after 2 s)…
        XCTAssertGreaterThan(longest, 3.5, "a frozen loop must stop pinging; gaps \(gaps)")
        // …and otherwise no gap long enough to trip the 2 s watchdog.
        let others = gaps.enumerated().filter { $0.offset != at }.map(\.element)
        XCTAssertLessThan(others.max() ?? 0, 2.0, "pings while the loop turns; gaps \(gaps)")
        XCTAssertGreaterThan(pings.filter { $0 > pings[at] + 0.1 }.count, 2, "pings resume after the freeze")
        XCTAssertTrue(messages.last?.text.contains("STOPPING=1") ?? false, "STOPPING=1 on the way out; got \(messages.suffix(3).map(\.text))")
    }

    func testSIGTERMEndsTheKioskPromptlyWithExitZeroAndStopping() throws {
        let listener = try NotifyListener()
        defer { listener.close() }
        let kiosk = try KioskUnderTest(folder: folder, serverURL: server.baseURL, script: "wait 120000\nquit\n",
                                       environment: ["NOTIFY_SOCKET": listener.path])
        XCTAssertTrue(listener.waitFor("READY=1", timeoutSeconds: 60), "no READY=1; output:\n\(kiosk.output)")

        let sent = Date()
        kill(kiosk.process.processIdentifier, SIGTERM)
        let code = kiosk.waitForExit(timeoutSeconds: 20)
        let took = Date().timeIntervalSince(sent)

        XCTAssertEqual(code, 0, "SIGTERM is a clean stop; output:\n\(kiosk.output)")
        XCTAssertEqual(kiosk.process.terminationReason, .exit, "the kiosk exits by itself, it is not killed by the signal")
        XCTAssertLessThan(took, 5, "the loop wakes at once on SIGTERM")
        // Sent before the exit, but read by the listener's thread a moment later.
        XCTAssertTrue(listener.waitFor("STOPPING=1", timeoutSeconds: 10), "STOPPING=1 sent; got \(listener.messages.map(\.text))")
        XCTAssertTrue(kiosk.output.contains("SIGTERM received: stopping cleanly"), kiosk.output)
        XCTAssertFalse(listener.messages.contains { $0.text.contains("WATCHDOG=1") }, "no WATCHDOG_USEC, no pings")
    }

    // MARK: the notifier on its own

    func testNotifierReachesAnAbstractSocket() throws {
        let name = "hallkiosk-test-\(UUID().uuidString.prefix(8))"
        let listener = try NotifyListener(abstractName: name)
        defer { listener.close() }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@" + name])
        XCTAssertTrue(notifier.isActive)
        notifier.ready(status: "home screen")
        XCTAssertTrue(listener.waitFor("READY=1\nSTATUS=home screen", timeoutSeconds: 5), "got \(listener.messages.map(\.text))")
    }

    func testWatchdogPingsAtHalfTheIntervalAndOnlyForThisProcess() throws {
        let listener = try NotifyListener()
        defer { listener.close() }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "4000000",
                                                     "WATCHDOG_PID": "\(getpid())"])
        XCTAssertEqual(notifier.watchdogIntervalMilliseconds, 2000)
        let t0 = ContinuousClock.now
        XCTAssertTrue(notifier.watchdogIfDue(now: t0))
        XCTAssertFalse(notifier.watchdogIfDue(now: t0 + .milliseconds(1999)))
        XCTAssertTrue(notifier.watchdogIfDue(now: t0 + .milliseconds(2000)))
        XCTAssertTrue(listener.waitFor(count: 2, of: "WATCHDOG=1", timeoutSeconds: 5))

        let other = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "4000000", "WATCHDOG_PID": "1"])
        XCTAssertNil(other.watchdogInterval, "WATCHDOG_PID names another process: not ours to feed")
        XCTAssertFalse(other.watchdogIfDue())
        let outside = SystemdNotifier(environment: ["WATCHDOG_USEC": "4000000"])
        XCTAssertFalse(outside.isActive)
        XCTAssertFalse(outside.send("READY=1"), "outside systemd nothing is sent")
    }

    func testStatusIsSentOnlyWhenItChanges() throws {
        let listener = try NotifyListener()
        defer { listener.close() }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path])
        notifier.status("home screen")
        notifier.status("home screen")
        notifier.status("offline screen; hall server: timed out")
        XCTAssertTrue(listener.waitFor("STATUS=offline screen; hall server: timed out", timeoutSeconds: 5))
        XCTAssertEqual(listener.messages.map(\.text), ["STATUS=home screen", "STATUS=offline screen; hall server: timed out"])
    }

    func testFreezeIsAScriptCommand() throws {
        XCTAssertEqual(try ScriptParser.parseLine("freeze 5000", number: 1), .freeze(milliseconds: 5000))
        XCTAssertThrowsError(try ScriptParser.parseLine("freeze soon", number: 3)) { error in
            XCTAssertTrue("\(error)".contains("'freeze' needs milliseconds"), "\(error)")
        }
    }

    // MARK: startup findings

    func testStartupCheckNamesTheMissingGroupAndTheFix() {
        let probe = StartupCheck.Probe(
            list: { $0 == "/dev/dri" ? ["card0", "renderD128"] : ["event0", "event1"] },
            canOpen: { _, _ in false },
            describe: { $0.hasPrefix("/dev/dri") ? "mode 660, root:video" : "mode 660, root:input" },
            inGroup: { $0 == "render" },
            userName: "kiosk")
        let findings = StartupCheck.findings(videoDriver: "kmsdrm", touchDevices: 0, probe: probe)
        XCTAssertEqual(findings.count, 2, "\(findings)")
        XCTAssertTrue(findings[0].text.contains("cannot open /dev/dri/card0 (mode 660, root:video)"), findings[0].text)
        XCTAssertTrue(findings[0].text.contains("usermod -aG video kiosk"), findings[0].text)
        XCTAssertTrue(findings[1].text.contains("no touch device found"), findings[1].text)
        XCTAssertTrue(findings[1].text.contains("cannot read /dev/input/event0"), findings[1].text)
        XCTAssertTrue(findings[1].text.contains("usermod -aG input kiosk"), findings[1].text)
        XCTAssertEqual(findings.map(\.severity), [.warning, .warning])

        let unplugged = StartupCheck.Probe(list: { $0 == "/dev/dri" ? ["card0"] : [] }, canOpen: { _, _ in true },
                                           describe: { _ in "" }, inGroup: { _ in true }, userName: "kiosk")
        let cable = StartupCheck.findings(videoDriver: "kmsdrm", touchDevices: 0, probe: unplugged)
        XCTAssertEqual(cable.count, 1)
        XCTAssertTrue(cable[0].text.contains("USB cable"), cable[0].text)
        XCTAssertEqual(StartupCheck.findings(videoDriver: "kmsdrm", touchDevices: 1, probe: unplugged), [])
        XCTAssertEqual(StartupCheck.findings(videoDriver: "offscreen", touchDevices: 0, probe: probe), [], "tests and screenshots need no devices")
    }
}

/// `hallkiosk --script` started in the background with extra environment variables.
final class KioskUnderTest {
    let process = Process()
    private let outputPath: String
    /// The kiosk's event stream (`--events`).
    let events: KioskEventLog

    init(folder: URL, serverURL: String, script: String, environment: [String: String], video: String = "offscreen",
         extraConfig: String = "", fullscreen: Bool = false) throws {
        let config = try KioskProcess.writeConfig(in: folder, serverURL: serverURL, size: (540, 960), extra: extraConfig)
        if fullscreen {
            let text = try String(contentsOfFile: config, encoding: .utf8)
            try text.replacingOccurrences(of: "videoDriver = \"offscreen\"", with: "videoDriver = \"offscreen\"\nfullscreen = true")
                .write(toFile: config, atomically: true, encoding: .utf8)
        }
        let scriptPath = folder.appendingPathComponent("script-\(UUID().uuidString).txt").path
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        outputPath = folder.appendingPathComponent("kiosk-\(UUID().uuidString).log").path
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.executableURL = try BuiltProducts.executable("hallkiosk")
        let eventsPath = folder.appendingPathComponent("kiosk-\(UUID().uuidString).events.jsonl").path
        events = KioskEventLog(path: eventsPath)
        process.arguments = ["--config", config, "--video", video, "--script", scriptPath, "--events", eventsPath]
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("WATCHDOG_") && $0.key != "NOTIFY_SOCKET" }
            .merging(environment) { $1 }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try handle.close()
    }

    /// Waits for the exit (killing the kiosk after the timeout); returns the exit code.
    func waitForExit(timeoutSeconds: Double) -> Int32 {
        waitUntil(timeoutSeconds, poll: 0.02) { !process.isRunning }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return -1
        }
        return process.terminationStatus
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// A pretend systemd notify socket: a Unix datagram socket (a file, or an abstract name) whose messages
/// are collected with their arrival time by a background thread.
final class NotifyListener: @unchecked Sendable {
    struct Message { var time: TimeInterval; var text: String }

    let path: String
    private let descriptor: Int32
    private let lock = NSLock()
    private var received: [Message] = []
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    /// Binds a socket file in /tmp (short: `sun_path` holds 108 bytes), or the abstract `abstractName`.
    init(abstractName: String? = nil) throws {
        path = abstractName.map { "@" + $0 } ?? "/tmp/hk-notify-\(UUID().uuidString.prefix(12)).sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw ListenerError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var name = Array(path.utf8)
        if abstractName != nil { name[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: name)
            if abstractName == nil { raw[name.count] = 0 }
        }
        let length = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + name.count + (abstractName == nil ? 1 : 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(length)) }
        }
        guard bound == 0 else { throw ListenerError("bind \(path): \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while lock.withLock({ running }) {
                let n = recv(descriptor, &buffer, buffer.count, 0)
                if n > 0 {
                    let text = String(decoding: buffer[..<n], as: UTF8.self)
                    lock.withLock { received.append(Message(time: Date().timeIntervalSince1970, text: text)) }
                }
            }
            done.signal()
        }
        thread.start()
    }

    var messages: [Message] { lock.withLock { received } }

    @discardableResult
    func waitFor(_ text: String, timeoutSeconds: Double) -> Bool {
        waitFor(count: 1, of: text, timeoutSeconds: timeoutSeconds, contains: true)
    }

    func waitFor(count: Int, of text: String, timeoutSeconds: Double, contains: Bool = false) -> Bool {
        waitUntil(timeoutSeconds, poll: 0.02) { messages.filter({ contains ? $0.text.contains(text) : $0.text == text }).count >= count }
    }

    func close() {
        let wasRunning = lock.withLock { () -> Bool in defer { running = false }; return running }
        guard wasRunning else { return }
        done.wait()
        Glibc.close(descriptor)
        if !path.hasPrefix("@") { unlink(path) }
    }
}

struct ListenerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
