import Foundation
import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

/// The rating screens follow the national rules: one rating per completed service, a 差评 only with reasons,
/// voluntary (a timeout records nothing), "thank you" only once the rating is stored.
final class RatingReducerTests: XCTestCase {
    static let window = WindowRef(id: "w01", name: LocalizedText(zh: "1号窗口", en: "Window 1"))
    static let staff = StaffSummary(id: "s01", name: "张敏", employeeNo: "1001", photoUrl: "/staff-photos/s01")
    static let service = ServiceRef(id: "hukou", name: LocalizedText(zh: "户籍办理", en: "Household registration"), prefix: "A")

    func ratingDevice(size: Size = Size(width: 1280, height: 800), configure: (inout KioskContext) -> Void = { _ in }) -> KioskHarness {
        var device = KioskHarness(size: size) { context in
            context.role = .ratingDevice
            context.windowId = "w01"
            context.deviceId = "rating-w01"
            configure(&context)
        }
        device.send(.windowStateArrived(WindowPanel(window: Self.window, staff: Self.staff, currentTicketNumber: "A023"),
                                        at: device.state.now))
        device.effects = []
        return device
    }

    func completed(_ number: String = "A023", id: Int64 = 10, window: String = "w01") -> KioskEvent {
        .windowEvent(WindowEvent(id: id, type: .serviceCompleted, windowId: window, at: DemoHall.morning,
                                 ticket: EventTicket(id: "t-\(number)", number: number, service: Self.service,
                                                     completedAt: DemoHall.morning),
                                 staff: Self.staff))
    }

    var stored: [RatingSubmission] = []

    func storeEffects(_ device: KioskHarness) -> [RatingSubmission] {
        device.effects.compactMap { if case .ratings(.storeRating(let s)) = $0 { return s } else { return nil } }
    }

    func testIdleShowsTheWindowAndWhoServesThere() {
        let device = ratingDevice()
        XCTAssertEqual(device.state.screen, .ratingIdle)
        XCTAssertTrue(device.display.containsText("张敏"))
        XCTAssertTrue(device.display.containsText("工号 1001"))
        XCTAssertTrue(device.display.containsText("正在办理 A023"))
        XCTAssertEqual(device.effects, [])
    }

    func testLoggedOutWindowSaysClosedAndAsksForTheNewStaffOnLogin() {
        var device = ratingDevice()
        let effects = device.send(.windowEvent(WindowEvent(id: 11, type: .staffLoggedOut, windowId: "w01", at: DemoHall.morning,
                                                           ticket: nil, staff: Self.staff)))
        XCTAssertTrue(device.display.containsText("本窗口暂停服务"))
        XCTAssertTrue(effects.contains(.ratings(.fetchWindowState)))
    }

    func testVeryDissatisfiedNeedsReasonsThenStoresExactlyThatRating() {
        var device = ratingDevice()
        device.send(completed())
        XCTAssertTrue(device.display.containsText("请您对本次服务进行评价"))
        XCTAssertTrue(device.display.containsText("户籍办理"))
        device.tap("非常不满意")
        XCTAssertTrue(device.display.containsText("请选择不满意的原因"))
        XCTAssertEqual(device.region(.submitRating)?.enabled, false, "提交 is disabled until a reason is chosen")
        device.tap(at: device.region(.submitRating)!.frame.center)
        XCTAssertEqual(storeEffects(device).count, 0)
        device.tap("服务态度")
        device.tap("办事效率")
        device.tap("提交")
        let submissions = storeEffects(device)
        XCTAssertEqual(submissions.count, 1)
        let s = submissions[0]
        XCTAssertEqual(s.level, "veryDissatisfied")
        XCTAssertEqual(s.reasons, ["attitude", "efficiency"])
        XCTAssertEqual(s.channel, "windowDevice")
        XCTAssertEqual(s.deviceId, "rating-w01")
        XCTAssertEqual(s.windowId, "w01")
        XCTAssertEqual(s.staffId, "s01")
        XCTAssertEqual(s.ticketId, "t-A023")
        XCTAssertEqual(s.source, "active")
        XCTAssertEqual(s.ratingId.count, 36, "UUID-shaped: \(s.ratingId)")
        XCTAssertFalse(device.display.containsText("感谢"), "thank you only once stored")
        device.send(.ratingStored(ratingId: s.ratingId))
        XCTAssertTrue(device.display.containsText("感谢您的评价"))
        XCTAssertFalse(device.display.containsText("非常不满意"), "the choice is never echoed")
        device.advanceBySeconds(5)
        XCTAssertEqual(device.state.screen, .ratingIdle)
    }

    func testGoodLevelsAreStoredAtOnceAndADoubleTapStoresOnce() {
        var device = ratingDevice()
        device.send(completed())
        let point = device.display.tapPoint(forLabelContaining: "非常满意")!
        device.tap(at: point)
        device.tap(at: point)
        XCTAssertEqual(storeEffects(device).map(\.level), ["verySatisfied"])
    }

    func testAnUnansweredPromptRecordsNothing() {
        var device = ratingDevice { $0.ratingPromptSeconds = 30 }
        device.send(completed())
        device.advanceBySeconds(31)
        XCTAssertEqual(device.state.screen, .ratingIdle)
        XCTAssertEqual(storeEffects(device).count, 0)
    }

    func testSystemDefaultOnTimeoutOnlyWhereConfigured() {
        var device = ratingDevice { $0.ratingPromptSeconds = 30; $0.systemDefaultOnTimeout = true }
        device.send(completed())
        device.advanceBySeconds(31)
        let s = storeEffects(device)
        XCTAssertEqual(s.map(\.source), ["systemDefault"])
        XCTAssertEqual(s.map(\.level), ["satisfied"])
        XCTAssertEqual(device.state.screen, .ratingIdle)
    }

    func testANewCompletedServiceReplacesAnUnansweredPrompt() {
        var device = ratingDevice()
        device.send(completed("A023", id: 10))
        device.tap("非常不满意")
        device.send(completed("A024", id: 12))
        guard case .rating(let rating) = device.state.screen else { return XCTFail("a prompt") }
        XCTAssertEqual(rating.subject.ticketNumber, "A024")
        XCTAssertEqual(rating.phase, .choosing)
        device.tap("满意")
        XCTAssertEqual(storeEffects(device).map(\.ticketId), ["t-A024"])
    }

    func testStaffLogoutMidPromptKeepsThePromptForTheCompletedService() {
        var device = ratingDevice()
        device.send(completed())
        device.send(.windowEvent(WindowEvent(id: 11, type: .staffLoggedOut, windowId: "w01", at: DemoHall.morning,
                                             ticket: nil, staff: Self.staff)))
        device.tap("基本满意")
        XCTAssertEqual(storeEffects(device).map(\.staffId), ["s01"])
        device.send(.ratingStored(ratingId: storeEffects(device)[0].ratingId))
        device.advanceBySeconds(5)
        XCTAssertTrue(device.display.containsText("本窗口暂停服务"))
    }

    func testEventsOfOtherWindowsAreIgnored() {
        var device = ratingDevice()
        device.send(completed(window: "w02"))
        XCTAssertEqual(device.state.screen, .ratingIdle)
    }

    func testAFailedStoreSaysSoAndNeverThanks() {
        var device = ratingDevice()
        device.send(completed())
        device.tap("满意")
        let id = storeEffects(device)[0].ratingId
        device.send(.ratingStoreFailed(ratingId: id, reason: "disk full"))
        XCTAssertTrue(device.display.containsText("评价暂时无法保存"))
        XCTAssertFalse(device.display.containsText("感谢"))
    }

    /// Ratings cannot be stored (disk full): the device stops prompting — a citizen would rate in vain — and points to
    /// the phone page; once a write succeeds again, the next completed service is rated as usual.
    func testWhileRatingsCannotBeStoredTheDeviceDoesNotPromptAndPointsToThePhone() {
        var device = ratingDevice()
        device.send(.ratingStorageChanged(problem: "rating outbox '/var/lib/hallkiosk/o.sqlite': the disk is full"))
        XCTAssertTrue(device.display.containsText("本机暂时不能评价，请扫号票上的二维码用手机评价"))
        device.send(completed())
        XCTAssertEqual(device.state.screen, .ratingIdle, "no prompt while nothing can be stored")
        XCTAssertFalse(device.display.containsText("请您对本次服务进行评价"))
        device.send(.ratingStorageChanged(problem: nil))
        XCTAssertFalse(device.display.containsText("本机暂时不能评价"))
        device.send(completed("A024", id: 11))
        guard case .rating = device.state.screen else { return XCTFail("rated again once storage works") }
    }

    func testWhileRatingsCannotBeStoredTheKiosksRateButtonIsPaused() throws {
        var kiosk = KioskHarness()
        kiosk.send(.ratingStorageChanged(problem: "disk full"))
        let button = try XCTUnwrap(kiosk.region(.openRating))
        XCTAssertFalse(button.enabled)
        XCTAssertTrue(kiosk.display.containsText("暂停评价"))
        kiosk.tap(at: button.frame.center)
        guard case .home = kiosk.state.screen else { return XCTFail("a paused rate button does nothing") }
        kiosk.send(.ratingStorageChanged(problem: nil))
        kiosk.tap("评价")
        guard case .lookup = kiosk.state.screen else { return XCTFail("rating offered again") }
    }

    func testAnOutboxThatNeverAnswersEndsAsNotStored() {
        var device = ratingDevice()
        device.send(completed())
        device.tap("满意")
        device.advanceBySeconds(6)
        XCTAssertTrue(device.display.containsText("评价暂时无法保存"))
        device.advanceBySeconds(10)
        XCTAssertEqual(device.state.screen, .ratingIdle)
    }

    func testTwoButtonModeStoresSatisfiedOrDissatisfiedWithReasons() {
        var device = ratingDevice { $0.display.ratingMode = .twoButtons }
        device.send(completed())
        XCTAssertNotNil(device.region(.rate(.satisfied)))
        XCTAssertNil(device.region(.rate(.verySatisfied)))
        device.tap("差评")
        device.tap("其他")
        device.tap("提交")
        XCTAssertEqual(storeEffects(device).map(\.level), ["dissatisfied"])
        XCTAssertEqual(storeEffects(device).map(\.reasons), [["other"]])
    }

    func testStaffPhotoIsFetchedOnceAndShownWhenReady() {
        var device = KioskHarness(size: Size(width: 1280, height: 800)) { $0.role = .ratingDevice; $0.windowId = "w01" }
        let first = device.send(.windowStateArrived(WindowPanel(window: Self.window, staff: Self.staff, currentTicketNumber: nil),
                                                    at: device.state.now))
        XCTAssertEqual(first, [.ratings(.fetchStaffPhoto(staffId: "s01", path: "/staff-photos/s01"))])
        let again = device.send(.windowStateArrived(WindowPanel(window: Self.window, staff: Self.staff, currentTicketNumber: nil),
                                                    at: device.state.now))
        XCTAssertEqual(again, [])
        XCTAssertFalse(device.display.items.contains { if case .image = $0 { return true } else { return false } })
        device.send(.staffPhotoReady(staffId: "s01", path: "/staff-photos/s01"))
        XCTAssertTrue(device.display.items.contains(where: { $0 == .image(name: "staff-photo:/staff-photos/s01", frame: imageFrame(device.display)) }))
    }

    private func imageFrame(_ list: DisplayList) -> Rect {
        for item in list.items { if case .image(_, let frame) = item { return frame } }
        return Rect(x: 0, y: 0, width: 0, height: 0)
    }

    func testWindowStateIsRefreshedPeriodically() {
        var device = ratingDevice { $0.windowStateRefreshSeconds = 30 }
        device.effects = []
        device.advanceBySeconds(31)
        XCTAssertTrue(device.effects.contains(.ratings(.fetchWindowState)))
    }

    // MARK: - At the ticket kiosk

    /// The kiosk's rating keypad after A023 and its rating code 0427 were typed and submitted.
    func kioskAtRatingKeypad() -> KioskHarness {
        var kiosk = KioskHarness()
        kiosk.tap("评价")
        for key in ["A", "0", "2", "3"] { kiosk.tap(at: kiosk.region(.keypad(.character(Character(key))))!.frame.center) }
        kiosk.tap(at: kiosk.region(.keypad(.submit))!.frame.center)
        for key in ["0", "4", "2", "7"] { kiosk.tap(at: kiosk.region(.keypad(.character(Character(key))))!.frame.center) }
        kiosk.tap(at: kiosk.region(.keypad(.submit))!.frame.center)
        XCTAssertEqual(kiosk.effects.last, .hall(.lookupTicket(.numberWithCode("A023", code: "0427"))))
        return kiosk
    }

    static let numberAndCode = LookupQuery.numberWithCode("A023", code: "0427")

    func testANumberAloneNeverLooksUpARatingTheKioskAsksForTheCodeFirst() {
        var kiosk = KioskHarness()
        kiosk.tap("评价")
        XCTAssertTrue(kiosk.display.containsText("请输入号票上的号码，再输入评价码"))
        for key in ["A", "0", "2", "3"] { kiosk.tap(key) }
        XCTAssertEqual(kiosk.tap("下一步"), [], "no lookup by number alone")
        XCTAssertTrue(kiosk.display.containsText("请输入 A023 的评价码"))
        XCTAssertNil(kiosk.region(.keypad(.character("A"))), "the code is digits only")
        XCTAssertFalse(kiosk.region(.keypad(.submit))?.enabled ?? true, "下一步 waits for four digits")
        for key in ["0", "4", "2"] { kiosk.tap(key) }
        XCTAssertFalse(kiosk.region(.keypad(.submit))?.enabled ?? true)
        kiosk.tap("7")
        kiosk.tap("8")
        guard case .lookup(let lookup) = kiosk.state.screen else { return XCTFail("expected the keypad") }
        XCTAssertEqual(lookup.code, "0427", "at most four digits")
        XCTAssertEqual(kiosk.tap("下一步"), [.hall(.lookupTicket(Self.numberAndCode))], "each rating step is 下一步 (issue 20)")
        kiosk.send(.lookupFailed(.wrongCode, query: Self.numberAndCode))
        XCTAssertTrue(kiosk.display.containsText("评价码不对，请核对号码旁的 4 位数字"))
        guard case .lookup(let after) = kiosk.state.screen else { return XCTFail("expected the keypad") }
        XCTAssertEqual(after.code, "", "a wrong code is cleared for the next try")
        XCTAssertEqual(after.entry, "A023")
        kiosk.tap("删除")
        XCTAssertTrue(kiosk.display.containsText("请输入号票上的号码，再输入评价码"), "Delete on an empty code goes back to the number")
    }

    func testScannedNumberAsksForTheCodeAndScannedQRNeedsNone() {
        var kiosk = KioskHarness()
        kiosk.tap("评价")
        XCTAssertEqual(kiosk.send(.text("A023\n")), [], "no lookup by a scanned number alone")
        XCTAssertTrue(kiosk.display.containsText("请输入 A023 的评价码"))
        kiosk.send(.text("https://hall.example/t/q3VxT0b9Qe2LmZk7Yp1RcW4n\n"))
        XCTAssertEqual(kiosk.effects.last, .hall(.lookupTicket(.token("q3VxT0b9Qe2LmZk7Yp1RcW4n"))))
        var progress = DemoHall.progress(status: .completed, ahead: nil)
        progress.rating = TicketRatingState(canRate: true, rated: false)
        kiosk.send(.lookupResult(progress, query: .token("q3VxT0b9Qe2LmZk7Yp1RcW4n")))
        kiosk.tap("满意")
        let s = storeEffects(kiosk)
        XCTAssertEqual(s.map(\.ticketToken), ["q3VxT0b9Qe2LmZk7Yp1RcW4n"])
        XCTAssertEqual(s.map(\.ratingCode), [nil])
    }

    func testTooManyWrongCodesSendsTheCitizenToTheQRCode() {
        var kiosk = kioskAtRatingKeypad()
        kiosk.send(.lookupFailed(.tooManyWrongCodes, query: Self.numberAndCode))
        XCTAssertTrue(kiosk.display.containsText("错误次数太多，请扫描号票二维码或用手机评价"))
    }

    func testKioskRatesACompletedTicketWithItsWindowAndStaff() {
        var kiosk = kioskAtRatingKeypad()
        var progress = DemoHall.progress(status: .completed, ahead: nil)
        progress.window = Self.window
        progress.staff = Self.staff
        progress.completedAt = DemoHall.morning
        progress.rating = TicketRatingState(canRate: true, rated: false)
        kiosk.send(.lookupResult(progress, query: Self.numberAndCode))
        XCTAssertTrue(kiosk.display.containsText("请您对本次服务进行评价"))
        XCTAssertTrue(kiosk.display.containsText("张敏"))
        kiosk.tap("满意")
        let s = storeEffects(kiosk)
        XCTAssertEqual(s.map(\.channel), ["kiosk"])
        XCTAssertEqual(s.map(\.windowId), ["w01"])
        XCTAssertEqual(s.map(\.deviceId), ["kiosk-01"])
        XCTAssertEqual(s.map(\.ratingCode), ["0427"], "the code proves the ticket to the server")
        kiosk.send(.ratingStored(ratingId: s[0].ratingId))
        kiosk.advanceBySeconds(5)
        guard case .home = kiosk.state.screen else { return XCTFail("home after thanks, got \(kiosk.state.screen.name)") }
    }

    func testKioskSaysWhyATicketCannotBeRated() {
        for (status, rating, text) in [(TicketStatus.waiting, TicketRatingState(canRate: false, rated: false), "办结后才能评价"),
                                       (.completed, TicketRatingState(canRate: false, rated: true), "已经评价过"),
                                       (.completed, TicketRatingState(canRate: false, rated: false), "超过评价期限")] {
            var kiosk = kioskAtRatingKeypad()
            var progress = DemoHall.progress(status: status, ahead: status == .waiting ? 3 : nil)
            progress.rating = rating
            kiosk.send(.lookupResult(progress, query: Self.numberAndCode))
            XCTAssertTrue(kiosk.display.containsText(text), "\(status) \(rating): \(text)")
            XCTAssertEqual(storeEffects(kiosk).count, 0)
        }
    }

    func testRatingIdsAreUniqueAndUUIDShaped() {
        var keys = IntentKeyGenerator(seed: "5f0c1e9a-2d7b-4c51-9a3e-7b1d2f6c8e41")
        let ids = (0..<1000).map { _ in keys.nextRatingId() }
        XCTAssertEqual(Set(ids).count, 1000)
        XCTAssertTrue(ids.allSatisfy { UUID(uuidString: $0) != nil }, ids[0])
    }

    func testRatingLayoutsFitOnRatingPanels() {
        for size in [Size(width: 1280, height: 800), Size(width: 1024, height: 600), Size(width: 800, height: 1280),
                     Size(width: 600, height: 1024)] {
            var device = ratingDevice(size: size)
            device.send(completed())
            for list in [device.display] {
                for region in list.hitRegions {
                    XCTAssertTrue(Rect(x: 0, y: 0, width: size.width, height: size.height).contains(region.frame),
                                  "\(region.label) off screen at \(size)")
                    XCTAssertGreaterThanOrEqual(min(region.frame.width, region.frame.height), 60, "\(region.label) too small at \(size)")
                }
            }
            device.tap("非常不满意")
            for region in device.display.hitRegions {
                XCTAssertGreaterThanOrEqual(min(region.frame.width, region.frame.height), 60, "\(region.label) too small at \(size)")
            }
        }
    }
}

extension RatingReducerTests {
    func testAPresetNoteTravelsWithTheBadRating() {
        var device = ratingDevice()
        device.send(completed())
        device.tap("不满意")
        device.tap("办事效率")
        device.tap("等候时间太长")
        device.tap("提交")
        let s = storeEffects(device)
        XCTAssertEqual(s.map(\.text), ["等候时间太长"])
        XCTAssertEqual(s.map(\.level), ["dissatisfied"])
    }
}
