import Foundation
import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

/// Drives the pure core like the SDL adapter does: events in, effects out, touches on the
/// regions of the current display list.
struct KioskHarness {
    static let strings: Strings = {
        do { return try Strings.bundled() } catch { fatalError("string catalogues: \(error)") }
    }()

    /// One measurement cache for all tests (what the SDL adapter does with its font measurer).
    static let measurer = CachingTextMeasurer(EstimatingTextMeasurer())

    var state: KioskState
    var context: KioskContext
    /// Every effect returned so far, in order.
    var effects: [KioskEffect] = []

    init(size: Size = Size(width: 1080, height: 1920), language: Language = .zh, status: HallStatus? = DemoHall.status(),
         configure: (inout KioskContext) -> Void = { _ in }) {
        var context = KioskContext(deviceId: "kiosk-01", defaultLanguage: language,
                                   display: DisplayEnvironment(size: size, strings: Self.strings, measurer: Self.measurer))
        configure(&context)
        self.context = context
        self.state = KioskState(now: DemoHall.morning, uptime: Self.bootUptime, language: language, intentKeySeed: "boot")
        _ = send(.tick(now: DemoHall.morning, uptime: Self.bootUptime))
        if let status { _ = send(.hallStatusArrived(status, at: DemoHall.morning)) }
        effects = []
    }

    /// The monotonic clock at start: far from the wall clock's numbers, so a timer that mixed the two clocks up
    /// would show at once.
    static let bootUptime = Uptime(seconds: 1_000)

    var display: DisplayList { view(state, in: context.display) }

    @discardableResult
    mutating func send(_ event: KioskEvent) -> [KioskEffect] {
        let produced = reduce(&state, event, context: context)
        effects += produced
        return produced
    }

    /// Moves time on by `seconds` in one tick (both clocks).
    @discardableResult
    mutating func advance(_ seconds: Double) -> [KioskEffect] {
        send(.tick(now: state.now.addingTimeInterval(seconds), uptime: state.uptime + seconds))
    }

    /// The wall clock is set back (negative) or forward by `seconds` — NTP, or hall IT — while no time passes:
    /// one tick with the new wall time and the same monotonic time.
    @discardableResult
    mutating func setWallClock(by seconds: Double) -> [KioskEffect] {
        send(.tick(now: state.now.addingTimeInterval(seconds), uptime: state.uptime))
    }

    /// Moves the clock on one second at a time.
    mutating func advanceBySeconds(_ seconds: Int) {
        for _ in 0..<seconds { advance(1) }
    }

    /// Taps the centre of the region whose label contains `label`; returns the effects of the tap.
    @discardableResult
    mutating func tap(_ label: String, file: StaticString = #filePath, line: UInt = #line) -> [KioskEffect] {
        guard let point = display.tapPoint(forLabelContaining: label) else {
            XCTFail("no hit region labelled '\(label)' on \(state.screen.name)", file: file, line: line)
            return []
        }
        return tap(at: point)
    }

    @discardableResult
    mutating func tap(at point: Point) -> [KioskEffect] {
        send(.touchDown(x: point.x, y: point.y)) + send(.touchUp(x: point.x, y: point.y))
    }

    /// The region whose action is `action`, if shown.
    func region(_ action: KioskAction) -> HitRegion? {
        display.hitRegions.first { $0.action == action }
    }

    var issueEffects: [KioskEffect] {
        effects.filter { if case .hall(.issueTicket) = $0 { return true } else { return false } }
    }
}
