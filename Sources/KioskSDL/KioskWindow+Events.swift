import CSDL2
import Dispatch
import KioskCore

/// The SDL event type of `KioskWindow.wake()` (and of injected touch cancels), registered once per process.
let wakeEventType: UInt32 = SDL_RegisterEvents(1)
/// Signalled by `wake()` so a polling wait (drivers without a blocking wait) returns at once.
let wakeSignal = DispatchSemaphore(value: 0)

/// `user.code` values of the adapter's user event.
enum UserEventCode: Int32 {
    case wake = 0
    case touchCancel = 1
}

/// Which finger or mouse button is down: only the first finger counts (a palm or second finger is ignored).
struct InputTracker {
    var finger: SDL_FingerID?
    var mouseDown = false
    /// Uptime (ms) of the last input, to poll fast while someone is using the kiosk.
    var lastInputTicks: UInt64 = 0
}

extension KioskWindow {
    /// Waits up to `timeoutMilliseconds` for input, then returns everything queued (empty on timeout).
    /// Idle means blocked: in `SDL_WaitEventTimeout` on X11/Wayland; on KMSDRM (which SDL can only poll)
    /// asleep on a semaphore between polls, every 4 ms for a second after input, else every 10 ms; on
    /// offscreen/dummy (no input devices: only injected events, which signal the semaphore) every 100 ms.
    /// `wake()` and `inject` end the wait at once. SIGINT/SIGTERM arrive as `.quit` (SDL's handlers).
    public func waitEvents(timeoutMilliseconds: Int) -> [InputEvent] {
        var events = drainEvents()
        if !events.isEmpty { return events }
        let start = SDL_GetTicks64()
        let timeout = UInt64(max(0, timeoutMilliseconds))
        while events.isEmpty {
            let elapsed = SDL_GetTicks64() - start
            guard elapsed < timeout else { break }
            let remaining = timeout - elapsed
            if nativeWait {
                var event = SDL_Event()
                if SDL_WaitEventTimeout(&event, Int32(min(remaining, UInt64(Int32.max)))) == 1 {
                    translate(event, into: &events)
                }
            } else {
                let busy = SDL_GetTicks64() - input.lastInputTicks < 1000
                let nap = min(remaining, headless ? 100 : busy ? 4 : 10)
                _ = wakeSignal.wait(timeout: .now() + .milliseconds(Int(nap)))
            }
            events += drainEvents()
        }
        if !events.isEmpty { input.lastInputTicks = SDL_GetTicks64() }
        return events
    }

    /// Interrupts `waitEvents` from any thread: it returns `.wake`.
    /// Whether SDL knows `name` as a key (`Return`, `Backspace`, `Escape`, `F4`, …): what a script's `key NAME` may use.
    public static func isKnownKeyName(_ name: String) -> Bool {
        SDL_GetKeyFromName(name) != SDL_Keycode(SDLK_UNKNOWN.rawValue)
    }

    public static func wake() {
        var event = SDL_Event()
        event.type = wakeEventType
        event.user.code = UserEventCode.wake.rawValue
        _ = SDL_PushEvent(&event)
        wakeSignal.signal()
    }

    /// Puts a synthetic event into SDL's queue, as the hardware would: touches become finger events with
    /// normalised window coordinates (through the rotation), text becomes `SDL_TEXTINPUT`, keys
    /// `SDL_KEYDOWN`. Scripted sessions use it so their input takes the same path as a citizen's.
    public func inject(_ event: InputEvent) {
        var sdl = SDL_Event()
        switch event {
        case .touchDown(let point), .touchUp(let point):
            let windowPoint = rotation.windowPoint(forLayout: point)
            let physical = rotation.windowSize
            let isDown: Bool
            if case .touchDown = event { isDown = true } else { isDown = false }
            sdl.type = (isDown ? SDL_FINGERDOWN : SDL_FINGERUP).rawValue
            sdl.tfinger.timestamp = SDL_GetTicks()
            sdl.tfinger.touchId = Self.injectedTouchId
            sdl.tfinger.fingerId = 0
            sdl.tfinger.x = Float(windowPoint.x / physical.width)
            sdl.tfinger.y = Float(windowPoint.y / physical.height)
            sdl.tfinger.pressure = isDown ? 1 : 0
            sdl.tfinger.windowID = SDL_GetWindowID(window)
            push(&sdl)
        case .touchCancel:
            sdl.type = wakeEventType
            sdl.user.code = UserEventCode.touchCancel.rawValue
            push(&sdl)
        case .text(let text):
            for chunk in Self.textInputChunks(text) {
                var event = SDL_Event()
                event.type = SDL_TEXTINPUT.rawValue
                event.text.windowID = SDL_GetWindowID(window)
                withUnsafeMutableBytes(of: &event.text.text) { buffer in
                    let bytes = Array(chunk.utf8)
                    buffer.copyBytes(from: bytes)
                    buffer[bytes.count] = 0
                }
                push(&event)
            }
        case .key(let name):
            sdl.type = SDL_KEYDOWN.rawValue
            sdl.key.windowID = SDL_GetWindowID(window)
            sdl.key.state = UInt8(SDL_PRESSED)
            sdl.key.keysym.sym = SDL_GetKeyFromName(name)
            sdl.key.keysym.scancode = SDL_GetScancodeFromKey(sdl.key.keysym.sym)
            push(&sdl)
        case .quit:
            sdl.type = SDL_QUIT.rawValue
            push(&sdl)
        case .wake:
            Self.wake()
        }
    }

    /// The touch device id of injected finger events.
    static let injectedTouchId: SDL_TouchID = 0x4B494F534B  // "KIOSK"

    private func push(_ event: inout SDL_Event) {
        if SDL_PushEvent(&event) < 0 {
            Log.once("push", "cannot queue an injected event: \(String(cString: SDL_GetError()))")
        }
        wakeSignal.signal()
    }

    /// Splits text into pieces that fit `SDL_TextInputEvent.text` (31 UTF-8 bytes), never inside a character.
    static func textInputChunks(_ text: String) -> [String] {
        var chunks: [String] = []
        var current = ""
        for character in text {
            if current.utf8.count + String(character).utf8.count > 31 {
                chunks.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }

    private func drainEvents() -> [InputEvent] {
        var events: [InputEvent] = []
        var event = SDL_Event()
        while SDL_PollEvent(&event) == 1 {
            translate(event, into: &events)
        }
        return events
    }

    /// Layout coordinates of a window pixel position, rounded to 1/100 px.
    private func layoutPoint(windowX: Double, windowY: Double) -> Point {
        let point = rotation.layoutPoint(forWindow: Point(x: windowX, y: windowY))
        return Point(x: (point.x * 100).rounded() / 100, y: (point.y * 100).rounded() / 100)
    }

    private func translate(_ event: SDL_Event, into events: inout [InputEvent]) {
        let physical = rotation.windowSize
        switch event.type {
        case SDL_FINGERDOWN.rawValue, SDL_FINGERUP.rawValue:
            let finger = event.tfinger
            let point = layoutPoint(windowX: Double(finger.x) * physical.width, windowY: Double(finger.y) * physical.height)
            if event.type == SDL_FINGERDOWN.rawValue {
                guard input.finger == nil else { return }
                input.finger = finger.fingerId
                events.append(.touchDown(point))
            } else {
                guard input.finger == finger.fingerId else { return }
                input.finger = nil
                events.append(.touchUp(point))
            }
        case SDL_MOUSEBUTTONDOWN.rawValue, SDL_MOUSEBUTTONUP.rawValue:
            let button = event.button
            guard button.which != KioskSDL_TouchMouseID(), button.button == UInt8(SDL_BUTTON_LEFT) else { return }
            let point = layoutPoint(windowX: Double(button.x), windowY: Double(button.y))
            if event.type == SDL_MOUSEBUTTONDOWN.rawValue {
                input.mouseDown = true
                events.append(.touchDown(point))
            } else if input.mouseDown {
                input.mouseDown = false
                events.append(.touchUp(point))
            }
        case SDL_TEXTINPUT.rawValue:
            var textEvent = event.text
            let text = withUnsafeBytes(of: &textEvent.text) { buffer in
                String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !text.isEmpty { events.append(.text(text)) }
        case SDL_KEYDOWN.rawValue:
            let sym = event.key.keysym.sym
            let keys: [SDL_KeyCode] = [SDLK_RETURN, SDLK_RETURN2, SDLK_KP_ENTER, SDLK_BACKSPACE, SDLK_ESCAPE]
            guard keys.contains(where: { SDL_Keycode($0.rawValue) == sym }) else { return }
            events.append(.key(String(cString: SDL_GetKeyName(sym))))
        case SDL_QUIT.rawValue:
            events.append(.quit)
        case SDL_WINDOWEVENT.rawValue:
            switch SDL_WindowEventID(UInt32(event.window.event)) {
            case SDL_WINDOWEVENT_FOCUS_LOST, SDL_WINDOWEVENT_HIDDEN, SDL_WINDOWEVENT_MINIMIZED:
                if input.finger != nil || input.mouseDown {
                    input.finger = nil
                    input.mouseDown = false
                    events.append(.touchCancel)
                }
            case SDL_WINDOWEVENT_EXPOSED:
                drawer.invalidate()
                if let lastList { draw(lastList) }
            case SDL_WINDOWEVENT_SIZE_CHANGED:
                drawer.invalidate()  // SDL makes a new window surface: nothing of the last frame is in it
            default:
                break
            }
        case wakeEventType:
            if event.user.code == UserEventCode.touchCancel.rawValue {
                input.finger = nil
                input.mouseDown = false
                events.append(.touchCancel)
            } else {
                events.append(.wake)
            }
        default:
            break
        }
    }
}
