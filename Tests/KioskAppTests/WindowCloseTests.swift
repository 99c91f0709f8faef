import Foundation
import HallTestSupport
import XCTest

/// A window manager's close request (Alt+F4 under X11, a compositor's close) must not end the kiosk on the
/// appliance (fullscreen); only the service manager does (SIGTERM). A windowed demo kiosk still closes.
final class WindowCloseTests: KioskOnXTestCase {
    /// Sends the kiosk's window the close request a window manager sends (WM_DELETE_WINDOW).
    private func requestClose(display: Int) throws {
        let tree = try runProgram("/usr/bin/xwininfo", ["-root", "-tree", "-display", ":\(display)"])
        let line = try XCTUnwrap(tree.out.split(separator: "\n").first { $0.contains("\"HallKiosk") }, tree.out + tree.err)
        let id = try XCTUnwrap(line.split(separator: " ").first { $0.hasPrefix("0x") }.flatMap { UInt(String($0.dropFirst(2)), radix: 16) })
        let sent = try runProgram("/usr/bin/python3", ["-c", Self.closeRequest, ":\(display)", String(id)])
        XCTAssertEqual(sent.code, 0, sent.err)
    }

    private static let closeRequest = """
        import ctypes, sys
        X = ctypes.cdll.LoadLibrary("libX11.so.6")
        X.XOpenDisplay.restype = ctypes.c_void_p
        X.XInternAtom.restype = ctypes.c_ulong
        X.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        class Message(ctypes.Structure):
            _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                        ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                        ("format", ctypes.c_int), ("l", ctypes.c_long * 5)]
        class Event(ctypes.Union):
            _fields_ = [("xclient", Message), ("pad", ctypes.c_long * 24)]
        d = X.XOpenDisplay(sys.argv[1].encode())
        if not d: sys.exit("cannot open display")
        e = Event(); e.xclient.type = 33; e.xclient.window = int(sys.argv[2]); e.xclient.format = 32
        e.xclient.message_type = X.XInternAtom(d, b"WM_PROTOCOLS", 0)
        e.xclient.l[0] = X.XInternAtom(d, b"WM_DELETE_WINDOW", 0)
        X.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.POINTER(Event)]
        X.XFlush.argtypes = [ctypes.c_void_p]
        X.XSendEvent(d, int(sys.argv[2]), 0, 0, ctypes.byref(e)); X.XFlush(d)
        """

    private func kiosk(display: Int, fullscreen: Bool) throws -> KioskUnderTest {
        try KioskUnderTest(folder: folder, serverURL: server.baseURL, script: "wait-text 户籍办理 20000\nwait 60000\nquit\n",
                           environment: ["DISPLAY": ":\(display)", "XAUTHORITY": "/dev/null"], video: "x11", fullscreen: fullscreen)
    }

    private func waitForHome(_ kiosk: KioskUnderTest) {
        _ = kiosk.events.wait(for: "screen", ["screen": "home"], timeoutSeconds: 30, alive: { kiosk.process.isRunning })
    }

    func testTheApplianceIgnoresACloseRequestAndStopsOnSIGTERM() throws {
        let display = try startX()
        let kiosk = try kiosk(display: display, fullscreen: true)
        waitForHome(kiosk)
        try requestClose(display: display)
        Thread.sleep(forTimeInterval: 2)
        XCTAssertTrue(kiosk.process.isRunning, "a close request ended the fullscreen kiosk:\n\(kiosk.output)")
        kill(kiosk.process.processIdentifier, SIGTERM)
        XCTAssertEqual(kiosk.waitForExit(timeoutSeconds: 20), 0, kiosk.output)
        XCTAssertTrue(kiosk.output.contains("SIGTERM received: stopping cleanly"), kiosk.output)
    }

    func testAWindowedKioskClosesWhenAsked() throws {
        let display = try startX()
        let kiosk = try kiosk(display: display, fullscreen: false)
        waitForHome(kiosk)
        // Under a loaded suite the first request was seen lost once in a while (cause not found; see docs): ask again
        // every 5 s, as a person clicking the close button again would, and say how many it took.
        var code: Int32 = -1
        for attempt in 1...4 {
            try requestClose(display: display)
            code = kiosk.waitForExit(timeoutSeconds: 5)
            if code != -1 {
                if attempt > 1 { print("WindowCloseTests: the kiosk closed after close request \(attempt)") }
                break
            }
        }
        XCTAssertEqual(code, 0, kiosk.output)
        XCTAssertEqual(kiosk.output.components(separatedBy: "kiosk window closed").count - 1, 1, kiosk.output)
    }
}
