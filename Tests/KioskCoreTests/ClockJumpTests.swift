import Foundation
import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

/// The wall clock set back or forward an hour (NTP correcting a box that booted with a wrong clock, hall IT
/// setting the time) in the middle of every timer: each lasts exactly as long as without the jump, because
/// timers run on the monotonic clock; the clock and the hall day on screen follow the new time at once.
final class ClockJumpTests: XCTestCase {
    /// Back and forward one hour.
    static let jumps: [Double] = [-3600, 3600]

    /// Lets `seconds` of time pass, the wall clock set by `jump` after the first `setAfter` of them: `holds` (the
    /// timer's screen) must stay true to the last second and end on it.
    func expectLasts(_ kiosk: inout KioskHarness, _ seconds: Int, clockSetBy jump: Double, after setAfter: Int,
                     _ what: String, holds: (KioskState) -> Bool, file: StaticString = #filePath, line: UInt = #line) {
        kiosk.advanceBySeconds(setAfter)
        kiosk.setWallClock(by: jump)
        kiosk.advanceBySeconds(seconds - setAfter - 1)
        XCTAssertTrue(holds(kiosk.state), "\(what), clock set by \(jump) s: 1 s still to go", file: file, line: line)
        kiosk.advance(1)
        XCTAssertFalse(holds(kiosk.state), "\(what), clock set by \(jump) s: \(seconds) s passed", file: file, line: line)
    }

    // MARK: Citizen screens

    /// (Replaces `testClockSetBackDoesNotFreezeTheTicketScreen`, which set the clock back only.)
    func testTicketScreenLastsItsTimeWhenTheClockIsSet() {
        for jump in Self.jumps {
            var kiosk = KioskHarness { $0.ticketScreenSeconds = 20 }
            kiosk.tap("户籍办理")
            kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
            expectLasts(&kiosk, 20, clockSetBy: jump, after: 5, "the ticket screen") {
                if case .ticket = $0.screen { true } else { false }
            }
            XCTAssertEqual(kiosk.state.screen, .home(HomePosition()))
            XCTAssertTrue(kiosk.display.containsText(jump < 0 ? "08:30" : "10:30"), "the clock shows the new time (\(jump))")
        }
    }

    func testDoubleTapGraceHoldsWhenTheClockIsSetForward() {
        var kiosk = KioskHarness { $0.ticketTouchGraceSeconds = 1.5 }
        kiosk.tap("户籍办理")
        kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()))
        kiosk.setWallClock(by: 3600)
        kiosk.tap(at: Point(x: 540, y: 1900))
        guard case .ticket = kiosk.state.screen else { return XCTFail("a second tap right after the ticket must not take it away") }
    }

    func testIssuingGivesUpAfterItsTimeWhenTheClockIsSet() {
        for jump in Self.jumps {
            var kiosk = KioskHarness { $0.issueTimeoutSeconds = 20 }
            kiosk.tap("户籍办理")
            kiosk.advance(5)
            kiosk.setWallClock(by: jump)
            kiosk.advanceBySeconds(14)
            guard case .issuing(let waiting) = kiosk.state.screen, waiting.failure == nil else {
                return XCTFail("\(jump): still waiting for the number")
            }
            // A network failure within the time is retried under the same key.
            XCTAssertEqual(kiosk.send(.ticketFailed(intentKey: "boot-1", failure: IssueFailure(kind: .network, message: "reset"))),
                           [.hall(.issueTicket(serviceId: "hukou", intentKey: "boot-1"))], "\(jump)")
            kiosk.advance(1)
            guard case .issuing(let given) = kiosk.state.screen, given.failure != nil else {
                return XCTFail("\(jump): 20 s passed: 再试一次")
            }
        }
    }

    func testIdleTimeoutKeepsItsTimeWhenTheClockIsSet() {
        for jump in Self.jumps {
            var kiosk = KioskHarness { $0.idleTimeoutSeconds = 60 }
            kiosk.tap("English")
            kiosk.tap("Check progress")
            expectLasts(&kiosk, 60, clockSetBy: jump, after: 30, "the citizen's session") {
                if case .lookup = $0.screen { $0.language == .en } else { false }
            }
            XCTAssertEqual(kiosk.state.screen, .home(HomePosition()), "\(jump)")
            XCTAssertEqual(kiosk.state.language, .zh, "\(jump)")
        }
    }

    func testOfflineGraceKeepsItsTimeWhenTheClockIsSet() {
        for jump in Self.jumps {
            var kiosk = KioskHarness { $0.offlineGraceSeconds = 30 }
            kiosk.send(.hallUnreachable(error: "connection refused", at: kiosk.state.now))
            expectLasts(&kiosk, 30, clockSetBy: jump, after: 10, "the grace period") {
                if case .home = $0.screen { true } else { false }
            }
            guard case .offline = kiosk.state.screen else { return XCTFail("\(jump): 30 s without the server") }
        }
    }

    func testRefreshesKeepTheirPaceWhenTheClockIsSet() {
        for jump in Self.jumps {
            var kiosk = KioskHarness { $0.statusRefreshSeconds = 10 }
            kiosk.advance(5)
            kiosk.setWallClock(by: jump)
            var fetches: [Int] = []
            for second in 1...30 where kiosk.advance(1).contains(.hall(.fetchHallStatus)) { fetches.append(second) }
            XCTAssertEqual(fetches, [5, 15, 25], "\(jump): every 10 s, neither a burst nor a pause")
        }
    }

    // MARK: Rating screens

    func ratingDevice() -> KioskHarness {
        var device = KioskHarness(size: Size(width: 1280, height: 800)) { context in
            context.role = .ratingDevice
            context.windowId = "w01"
            context.deviceId = "rating-w01"
            context.ratingPromptSeconds = 60
            context.ratingThanksSeconds = 4
            context.windowStateRefreshSeconds = 30
        }
        device.send(.windowStateArrived(WindowPanel(window: RatingReducerTests.window, staff: RatingReducerTests.staff,
                                                    currentTicketNumber: "A023"), at: device.state.now))
        device.effects = []
        return device
    }

    func completed() -> KioskEvent {
        .windowEvent(WindowEvent(id: 10, type: .serviceCompleted, windowId: "w01", at: DemoHall.morning,
                                 ticket: EventTicket(id: "t-A023", number: "A023", service: RatingReducerTests.service,
                                                     completedAt: DemoHall.morning),
                                 staff: RatingReducerTests.staff))
    }

    func testRatingPromptLastsItsTimeWhenTheClockIsSet() {
        for jump in Self.jumps {
            var device = ratingDevice()
            device.send(completed())
            expectLasts(&device, 60, clockSetBy: jump, after: 10, "the rating prompt") {
                if case .rating(let open) = $0.screen { open.isOpen } else { false }
            }
            XCTAssertEqual(device.state.screen, .ratingIdle, "\(jump)")
            XCTAssertFalse(device.effects.contains { if case .ratings(.storeRating) = $0 { true } else { false } }, "\(jump): nothing recorded")
        }
    }

    func testARatingAfterTheClockWasSetCarriesTheNewTime() throws {
        var device = ratingDevice()
        device.send(completed())
        device.advance(3)
        device.setWallClock(by: -3600)
        device.tap("非常满意")
        let stored = device.effects.compactMap { if case .ratings(.storeRating(let s)) = $0 { s } else { nil } }
        XCTAssertEqual(stored.count, 1)
        XCTAssertEqual(try XCTUnwrap(stored.first?.ratedAt), DemoHall.morning.addingTimeInterval(3 - 3600))
    }

    func testThankYouLastsItsTimeWhenTheClockIsSet() {
        for jump in Self.jumps {
            var device = ratingDevice()
            device.send(completed())
            device.tap("非常满意")
            guard case .rating(let storing) = device.state.screen, case .storing(let id) = storing.phase else {
                return XCTFail("\(jump): storing")
            }
            device.send(.ratingStored(ratingId: id))
            expectLasts(&device, 4, clockSetBy: jump, after: 1, "\"thank you\"") {
                if case .rating(let thanks) = $0.screen { thanks.phase == .thanks } else { false }
            }
            XCTAssertEqual(device.state.screen, .ratingIdle, "\(jump)")
        }
    }

    func testWindowStateRefreshKeepsItsPaceWhenTheClockIsSet() {
        for jump in Self.jumps {
            var device = ratingDevice()
            device.advance(10)
            device.setWallClock(by: jump)
            var fetches: [Int] = []
            for second in 1...60 where device.advance(1).contains(.ratings(.fetchWindowState)) { fetches.append(second) }
            XCTAssertEqual(fetches, [20, 50], "\(jump): every 30 s")
        }
    }

    // MARK: Admin

    func admin() -> KioskHarness {
        KioskHarness { $0.adminPinConfigured = true; $0.adminLongPressSeconds = 3; $0.adminMaxFailures = 3; $0.adminLockoutSeconds = 300 }
    }

    func holdCorner(_ kiosk: inout KioskHarness) {
        kiosk.send(.touchDown(x: 10, y: 10))
        kiosk.advanceBySeconds(3)
    }

    func typePin(_ kiosk: inout KioskHarness, _ pin: String, file: StaticString = #filePath, line: UInt = #line) -> [KioskEffect] {
        guard let submit = kiosk.region(.keypad(.submit)) else {
            XCTFail("no PIN keypad on \(kiosk.state.screen.name)", file: file, line: line)
            return []
        }
        for digit in pin {
            if let key = kiosk.region(.keypad(.character(digit))) { kiosk.tap(at: key.frame.center) }
        }
        return kiosk.tap(at: submit.frame.center)
    }

    func testAdminLockoutLastsItsTimeWhenTheClockIsSet() {
        for jump in Self.jumps {
            var k = admin()
            holdCorner(&k)
            for _ in 0..<3 {
                _ = typePin(&k, "0000")
                k.send(.adminPinChecked(accepted: false))
            }
            XCTAssertTrue(k.display.containsText("请于 09:35 后再试"), "locked for 5 minutes")
            k.advance(10)
            k.setWallClock(by: jump)
            XCTAssertTrue(k.display.containsText(jump < 0 ? "请于 08:35 后再试" : "请于 10:35 后再试"),
                          "\(jump): the end of the lockout in the new time")
            XCTAssertEqual(typePin(&k, "2580"), [], "\(jump): still locked on the open entry")
            k.tap("退出")
            k.advanceBySeconds(280)
            holdCorner(&k)
            XCTAssertTrue(k.display.containsText("错误次数过多"), "\(jump): 296 s of 300")
            XCTAssertEqual(typePin(&k, "2580"), [], "\(jump)")
            k.tap("退出")
            k.advanceBySeconds(4)
            holdCorner(&k)
            XCTAssertEqual(typePin(&k, "2580"), [.admin(.checkPin("2580"))], "\(jump): 300 s passed")
        }
    }

    func testAdminLongPressNeedsItsFullTimeWhenTheClockIsSet() {
        for jump in Self.jumps {
            var k = admin()
            k.send(.touchDown(x: 10, y: 10))
            expectLasts(&k, 3, clockSetBy: jump, after: 1, "the long press before the PIN entry") {
                if case .home = $0.screen { true } else { false }
            }
            guard case .adminPin = k.state.screen else { return XCTFail("\(jump): held 3 s") }
        }
    }

    func testAdminInfoRefreshKeepsItsPaceWhenTheClockIsSet() {
        for jump in Self.jumps {
            var k = admin()
            holdCorner(&k)
            _ = typePin(&k, "2580")
            k.send(.adminPinChecked(accepted: true))
            k.setWallClock(by: jump)
            var fetches: [Int] = []
            for second in 1...12 where k.advance(1).contains(.admin(.fetchInfo)) { fetches.append(second) }
            XCTAssertEqual(fetches, [5, 10], "\(jump): every 5 s")
        }
    }

    // MARK: The hall day

    func testTheHallDayFollowsTheSetClockAtOnceInTheHallsTimeZone() throws {
        let lateEvening = try XCTUnwrap(RFC3339.parse("2026-11-22T23:59:30+08:00"))  // Sunday in Shanghai
        let context = KioskHarness().context
        var engine = KioskEngine(state: KioskState(now: lateEvening, uptime: Uptime(seconds: 50), intentKeySeed: "day"),
                                 context: context)
        _ = engine.handle(.hallStatusArrived(DemoHall.status(), at: lateEvening))
        _ = engine.handle(.tick(now: lateEvening, uptime: Uptime(seconds: 50)))
        XCTAssertTrue(engine.display.containsText("11月22日 星期日"))
        XCTAssertTrue(engine.display.containsText("23:59"))
        let forward = engine.handle(.tick(now: lateEvening.addingTimeInterval(3601), uptime: Uptime(seconds: 51)))
        XCTAssertTrue(forward.frameChanged, "redrawn on the first tick after the clock was set")
        XCTAssertTrue(engine.display.containsText("11月23日 星期一"), "the next hall day at once")
        XCTAssertTrue(engine.display.containsText("00:59"))
        let back = engine.handle(.tick(now: lateEvening.addingTimeInterval(2), uptime: Uptime(seconds: 52)))
        XCTAssertTrue(back.frameChanged)
        XCTAssertTrue(engine.display.containsText("11月22日 星期日"), "and back")

        // The hall's time zone decides the day, not the box's: 23:59:30 in Shanghai is still Sunday 21:59 in Ürümqi.
        var west = DemoHall.status()
        west.timezone = "Asia/Urumqi"
        _ = engine.handle(.hallStatusArrived(west, at: lateEvening))
        _ = engine.handle(.tick(now: lateEvening.addingTimeInterval(3), uptime: Uptime(seconds: 53)))
        XCTAssertTrue(engine.display.containsText("21:59"))
        _ = engine.handle(.tick(now: lateEvening.addingTimeInterval(30 + 7200), uptime: Uptime(seconds: 54)))
        XCTAssertTrue(engine.display.containsText("11月23日 星期一"), "midnight in Ürümqi")
        XCTAssertTrue(engine.display.containsText("00:00"))
    }

    func testTheAdminLockoutTimeIsRedrawnWhenTheClockIsSetWithinTheMinute() throws {
        var k = admin()
        holdCorner(&k)
        for _ in 0..<3 {
            _ = typePin(&k, "0000")
            k.send(.adminPinChecked(accepted: false))
        }
        k.advance(57)
        var engine = KioskEngine(state: k.state, context: k.context)
        XCTAssertTrue(engine.display.containsText("请于 09:35 后再试"), "locked at 09:30:03 for 5 minutes")
        // 09:31:00 → 09:31:58: the clock still says 09:31, but the lockout now ends at 09:36:01.
        let set = engine.handle(.tick(now: k.state.now.addingTimeInterval(58), uptime: k.state.uptime))
        XCTAssertTrue(set.frameChanged)
        XCTAssertTrue(engine.display.containsText("请于 09:36 后再试"))
    }

    // MARK: Everything at once

    /// Random sessions run twice, once with the wall clock set back and forward at random moments: screens,
    /// timers and requests are the same; only the clock on screen and rating timestamps differ.
    func testRandomSessionsDoNotNoticeTheClockBeingSet() {
        for (seed, role) in [(11, DeviceRole.ticketKiosk), (12, .ratingDevice), (13, .ticketKiosk), (14, .ratingDevice)] {
            var random = RandomSessionTests.SplitMix(state: UInt64(seed))
            let configure: (inout KioskContext) -> Void = { context in
                context.role = role
                context.windowId = "w01"
                context.offlineGraceSeconds = 20
                context.idleTimeoutSeconds = 30
                context.adminPinConfigured = true
            }
            var reference = KioskHarness(configure: configure)
            var jumped = KioskHarness(configure: configure)
            if role == .ratingDevice {
                let panel = WindowPanel(window: RatingReducerTests.window, staff: RatingReducerTests.staff, currentTicketNumber: nil)
                reference.send(.windowStateArrived(panel, at: reference.state.now))
                jumped.send(.windowStateArrived(panel, at: reference.state.now))
            }
            var completions: Int64 = 0
            for step in 0..<800 {
                if Int.random(in: 0..<12, using: &random) == 0 {
                    let jump = [-86_400, -3600, -300, -3, 3, 300, 3600, 86_400].randomElement(using: &random) ?? 3600
                    jumped.setWallClock(by: Double(jump))
                    reference.advance(0)
                }
                let event = Self.randomEvent(&random, reference, completions: &completions)
                let expected = Self.comparable(reference.send(event))
                let got = Self.comparable(jumped.send(Self.sameTimeAs(jumped, event)))
                XCTAssertEqual(got, expected, "seed \(seed) step \(step): \(event)")
                var state = jumped.state
                state.now = reference.state.now
                guard state == reference.state else {
                    return XCTFail("seed \(seed) step \(step) after \(event): \(jumped.state.screen) vs \(reference.state.screen)")
                }
            }
        }
    }

    /// Ticks keep each harness's own wall clock; everything else is the same event.
    static func sameTimeAs(_ kiosk: KioskHarness, _ event: KioskEvent) -> KioskEvent {
        guard case .tick(_, let uptime) = event else { return event }
        return .tick(now: kiosk.state.now.addingTimeInterval(uptime - kiosk.state.uptime), uptime: uptime)
    }

    /// Effects without the rating timestamp (the wall clock's, which differs by design).
    static func comparable(_ effects: [KioskEffect]) -> [KioskEffect] {
        effects.map { effect in
            guard case .ratings(.storeRating(var submission)) = effect else { return effect }
            submission.ratedAt = nil
            return .ratings(.storeRating(submission))
        }
    }

    static func randomEvent(_ random: inout RandomSessionTests.SplitMix, _ kiosk: KioskHarness,
                            completions: inout Int64) -> KioskEvent {
        let display = kiosk.display
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<35:
            let point = display.hitRegions.randomElement(using: &random)?.frame.center ?? Point(x: 10, y: 10)
            return Bool.random(using: &random) ? .touchDown(x: point.x, y: point.y) : .touchUp(x: point.x, y: point.y)
        case 35..<40:
            return .touchDown(x: 10, y: 10)  // the admin corner
        case 40..<65:
            let seconds = Double(Int.random(in: 1...12, using: &random))
            return .tick(now: kiosk.state.now.addingTimeInterval(seconds), uptime: kiosk.state.uptime + seconds)
        case 65..<72:
            if case .issuing(let intent) = kiosk.state.screen {
                return Bool.random(using: &random)
                    ? .ticketIssued(intentKey: intent.intentKey, ticket: DemoHall.ticket())
                    : .ticketFailed(intentKey: intent.intentKey, failure: IssueFailure(kind: .network, message: "reset"))
            }
            return .printFinished(ticketId: "t-A023", outcome: Bool.random(using: &random) ? .printed : .failed(reason: "media-empty"))
        case 72..<78:
            return .hallUnreachable(error: "down", at: kiosk.state.now)
        case 78..<83:
            return .hallStatusArrived(DemoHall.status(), at: kiosk.state.now)
        case 83..<90:
            completions += 1
            return .windowEvent(WindowEvent(id: completions, type: .serviceCompleted, windowId: "w01", at: DemoHall.morning,
                                            ticket: EventTicket(id: "t-\(completions)", number: "A\(completions)",
                                                                service: RatingReducerTests.service, completedAt: DemoHall.morning),
                                            staff: RatingReducerTests.staff))
        case 90..<95:
            if case .rating(let rating) = kiosk.state.screen, case .storing(let id) = rating.phase {
                return Bool.random(using: &random) ? .ratingStored(ratingId: id) : .ratingStoreFailed(ratingId: id, reason: "disk")
            }
            return .adminPinChecked(accepted: Int.random(in: 0..<4, using: &random) == 0)
        default:
            return .touchCancel
        }
    }
}
