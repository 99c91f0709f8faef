import Foundation
import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

/// The run loop sleeps until `KioskEngine.secondsUntilDue` instead of ticking every second. Waking only then must
/// do exactly what ticking every second does: the same effects, the same states, the same frames at the same minutes.
final class TickScheduleTests: XCTestCase {
    /// Runs `seconds` of time twice from `kiosk`'s state: ticking every second, and ticking only when due. At every
    /// due wake the two agree on state and frame; every frame change of the ticking engine is met by a wake within a
    /// second. Returns the effects of each and the number of wakes.
    func compare(_ kiosk: KioskHarness, seconds: Int, file: StaticString = #filePath, line: UInt = #line) -> (every: [KioskEffect], due: [KioskEffect], wakes: Int) {
        var everySecond = KioskEngine(state: kiosk.state, context: kiosk.context)
        var whenDue = KioskEngine(state: kiosk.state, context: kiosk.context)
        let start = (now: kiosk.state.now, uptime: kiosk.state.uptime)
        func tick(_ t: Double) -> KioskEvent { .tick(now: start.now.addingTimeInterval(t), uptime: start.uptime + t) }
        var every: [KioskEffect] = []
        var due: [KioskEffect] = []
        var changes: [Double] = []
        var wakeTimes: [Double] = []
        var ticked = 0.0
        var wake = whenDue.secondsUntilDue(now: start.now, uptime: start.uptime)
        while wake <= Double(seconds) {
            // The ticking engine's seconds up to this wake.
            while ticked + 1 <= wake + 1e-9 {
                ticked += 1
                let outcome = everySecond.handle(tick(ticked))
                every += outcome.effects
                if outcome.frameChanged { changes.append(ticked) }
            }
            let woke = whenDue.handle(tick(wake))
            due += woke.effects
            wakeTimes.append(wake)
            var a = everySecond.state, b = whenDue.state
            a.now = b.now
            a.uptime = b.uptime
            XCTAssertEqual(a, b, "states differ at the wake at \(wake) s", file: file, line: line)
            XCTAssertEqual(whenDue.display, everySecond.display, "frames differ at the wake at \(wake) s", file: file, line: line)
            // As the run loop: right after a tick the next is at least a second away.
            let next = whenDue.secondsUntilDue(now: start.now.addingTimeInterval(wake), uptime: start.uptime + wake)
            XCTAssertGreaterThan(next, 0, "a tick just done has nothing left to do at once", file: file, line: line)
            wake += next == 0 ? 1 : next
        }
        for change in changes where !wakeTimes.contains(where: { abs($0 - change) < 1 }) {
            XCTFail("the frame changed at \(change) s and no wake came within a second", file: file, line: line)
        }
        return (every, due, wakeTimes.count)
    }

    func testAnIdleHomeScreenWakesOnlyForTheStatusRefreshAndTheMinute() {
        let kiosk = KioskHarness()
        let (every, due, wakes) = compare(kiosk, seconds: 180)
        XCTAssertEqual(every, due, "the same work, asked for at the same moments")
        XCTAssertEqual(every.filter { $0 == .hall(.fetchHallStatus) }.count, 18, "a status request every 10 s")
        XCTAssertLessThanOrEqual(wakes, 18 + 3 + 1, "18 refreshes and 3 minutes, not 180 ticks")
    }

    func testTheTicketScreenAndTheIdleTimeoutKeepTheirMoments() {
        var kiosk = KioskHarness()
        _ = kiosk.tap("户籍办理")
        kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        let (every, due, _) = compare(kiosk, seconds: 150)
        XCTAssertEqual(every, due)
    }

    func testTheOfflineGraceEndsAtTheSameSecond() {
        var kiosk = KioskHarness { $0.statusRefreshSeconds = 30 }
        kiosk.send(.hallUnreachable(error: "connection refused", at: DemoHall.morning))
        let (every, due, _) = compare(kiosk, seconds: 90)
        XCTAssertEqual(every, due)
    }

    /// A loop that turns more often than it ticks (a script polling every 20 ms, touches) asks again at every turn; it
    /// must still meet each deadline, not push it ahead of itself.
    func testALoopTurningOftenStillMeetsEveryDeadline() {
        var kiosk = KioskHarness()
        _ = kiosk.tap("户籍办理")
        kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        var engine = KioskEngine(state: kiosk.state, context: kiosk.context)
        let start = (now: kiosk.state.now, uptime: kiosk.state.uptime)
        var nextTick = engine.secondsUntilDue(now: start.now, uptime: start.uptime)
        var backHome: Double?
        var t = 0.0
        while t < 60, backHome == nil {
            t += 0.3
            let now = start.now.addingTimeInterval(t), uptime = start.uptime + t
            if t >= nextTick {
                _ = engine.handle(.tick(now: now, uptime: uptime))
                if case .home = engine.state.screen { backHome = t }
            }
            nextTick = t + engine.secondsUntilDue(now: now, uptime: uptime)
        }
        let ticketSeconds = kiosk.context.ticketScreenSeconds
        XCTAssertEqual(try XCTUnwrap(backHome, "the ticket screen never ended"), ticketSeconds, accuracy: 1.01,
                       "home when the ticket screen's time is up")
    }

    func testTheNextMinuteIsMetToTheMillisecond() {
        let kiosk = KioskHarness { $0.statusRefreshSeconds = 600 }
        let engine = KioskEngine(state: kiosk.state, context: kiosk.context)
        let now = DemoHall.morning.addingTimeInterval(42.25)  // 09:30:42.25
        let wait = engine.secondsUntilDue(now: now, uptime: kiosk.state.uptime + 42.25)
        XCTAssertEqual(wait, 17.75, accuracy: 0.01, "at 09:31:00, not at the next whole second after it")
    }
}

/// A service a clerk paused "until" a time opens on the kiosk a second after that time, not at the next refresh.
final class StaffPauseEndTests: XCTestCase {
    func testTheKioskAsksAgainASecondAfterAPausesUntil() {
        var kiosk = KioskHarness { $0.statusRefreshSeconds = 60 }
        var status = DemoHall.status()
        status.services[5].pausedUntil = DemoHall.morning.addingTimeInterval(25)
        kiosk.send(.hallStatusArrived(status, at: DemoHall.morning))
        var fetches: [Int] = []
        for second in 1...59 where kiosk.advance(1).contains(.hall(.fetchHallStatus)) { fetches.append(second) }
        XCTAssertEqual(fetches, [26], "once, a second after the pause's end; then the normal refresh")

        // The answer still says paused (the server's clock a little behind): no asking every second after that.
        status.now = kiosk.state.now
        kiosk.send(.hallStatusArrived(status, at: kiosk.state.now))
        fetches = []
        for second in 1...30 where kiosk.advance(1).contains(.hall(.fetchHallStatus)) { fetches.append(second) }
        XCTAssertEqual(fetches, [27], "only the refresh every 60 s again (60 s after the one at 26)")
    }

    func testTheServersClockDecidesNotTheKiosks() {
        var kiosk = KioskHarness { $0.statusRefreshSeconds = 60 }
        var status = DemoHall.status()
        status.services[5].pausedUntil = DemoHall.morning.addingTimeInterval(25)
        kiosk.send(.hallStatusArrived(status, at: DemoHall.morning))
        kiosk.setWallClock(by: -3600)  // hall IT sets the kiosk's clock an hour back
        var fetches: [Int] = []
        for second in 1...59 where kiosk.advance(1).contains(.hall(.fetchHallStatus)) { fetches.append(second) }
        XCTAssertEqual(fetches, [26])
    }

    func testTheRunLoopWakesForIt() {
        var kiosk = KioskHarness { $0.statusRefreshSeconds = 60 }
        var status = DemoHall.status()
        status.services[5].pausedUntil = DemoHall.morning.addingTimeInterval(25)
        kiosk.send(.hallStatusArrived(status, at: DemoHall.morning))
        let engine = KioskEngine(state: kiosk.state, context: kiosk.context)
        XCTAssertLessThanOrEqual(engine.secondsUntilDue(now: kiosk.state.now, uptime: kiosk.state.uptime), 26)
    }
}
