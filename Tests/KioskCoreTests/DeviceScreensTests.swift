import Foundation
import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

/// Issue 20 on the devices: the kiosk notice, the closed screen's next opening, a clerk's break on the rating device
/// and the window screen, and the clerk's photo on the window screen.
final class DeviceScreensTests: XCTestCase {
    // MARK: - Kiosk notice

    func testTheNoticeSitsAboveEveryServiceButtonInBothLanguagesAndLargeText() {
        for size in Scenario.sizes + Scenario.extraSizes {
            for language in Language.allCases {
                for largeText in [false, true] {
                    let kiosk = Scenario.homeNotice.harness(size: size, language: language, largeText: largeText)
                    let label = "\(size) \(language) large \(largeText)"
                    let display = kiosk.display
                    let notice = Scenario.notice.text(in: language)
                    let lines = display.textBlocks.first { $0.joined().contains(notice.prefix(8)) }
                    // Only a small screen in large text leaves the notice out: the buttons come first.
                    if lines == nil, largeText, !Scenario.sizes.contains(size) { continue }
                    XCTAssertNotNil(lines, "notice shown, \(label)")
                    let noticeItems = display.texts.filter { item in lines?.contains(item.string) ?? false }
                    let noticeBottom = noticeItems.map(\.frame.maxY).max() ?? .infinity
                    let buttons = display.hitRegions.filter {
                        if case .takeNumber = $0.action { return true }
                        if case .selectGroup = $0.action { return true }
                        return false
                    }
                    XCTAssertFalse(buttons.isEmpty, label)
                    for button in buttons {
                        XCTAssertLessThanOrEqual(noticeBottom, button.frame.minY, "notice above \(button.label), \(label)")
                    }
                    XCTAssertLessThanOrEqual(noticeItems.count, largeText ? 3 : 2, label)
                }
            }
        }
        // The whole notice fits (no "…") where the kiosk usually stands.
        let portrait = Scenario.homeNotice.harness(size: Size(width: 1080, height: 1920), language: .zh)
        XCTAssertTrue(portrait.display.containsText(Scenario.notice.zh))
        let english = Scenario.homeNotice.harness(size: Size(width: 1080, height: 1920), language: .en, largeText: true)
        XCTAssertTrue(english.display.containsText(Scenario.notice.en))
    }

    func testAnEditedNoticeShowsWithTheNextHallStatusAndAnEmptyOneGoes() {
        var kiosk = Scenario.homeNotice.harness(size: Size(width: 1080, height: 1920), language: .en)
        // The hall status is asked for every `statusRefreshSeconds` (10 s by default): an edit shows within seconds.
        kiosk.effects = []
        kiosk.advance(kiosk.context.statusRefreshSeconds)
        XCTAssertTrue(kiosk.effects.contains(.hall(.fetchHallStatus)))
        var hall = DemoHall.status()
        hall.notice = LocalizedText(zh: "今天下午 3 点停电检修", en: "")
        kiosk.send(.hallStatusArrived(hall, at: kiosk.state.now))
        XCTAssertTrue(kiosk.display.containsText("今天下午 3 点停电检修"), "no English text: the Chinese one is shown")
        XCTAssertFalse(kiosk.display.containsText("System upgrade"))
        hall.notice = LocalizedText(zh: "  ", en: "")
        kiosk.send(.hallStatusArrived(hall, at: kiosk.state.now))
        let plain = Scenario.home.harness(size: Size(width: 1080, height: 1920), language: .en)
        XCTAssertEqual(kiosk.display.hitRegions.map(\.frame), plain.display.hitRegions.map(\.frame), "a blank notice takes no room")
    }

    // MARK: - Closed screen

    func testTheHallOpensAtItsEarliestServiceOpening() throws {
        func service(_ id: String, _ state: ServiceState, opensAt: String? = nil, next: NextOpening? = nil) -> ServiceStatus {
            var s = DemoHall.services[0]
            s.id = id
            s.state = state
            s.opensAt = opensAt
            s.nextOpening = next
            return s
        }
        var hall = DemoHall.status(open: false, services: [
            service("a", .closed, next: NextOpening(day: "2026-11-24", weekday: 3, inDays: 2, start: "08:30")),
            service("b", .closed, next: NextOpening(day: "2026-11-23", weekday: 2, inDays: 1, start: "09:00")),
            service("c", .closed, next: NextOpening(day: "2026-11-23", weekday: 2, inDays: 1, start: "08:30")),
            service("d", .paused), service("e", .quotaReached),
        ])
        XCTAssertEqual(HallOpening.next(hall), HallOpening(inDays: 1, start: "08:30", weekday: 2, day: "2026-11-23"))
        hall.services.append(service("f", .closed, opensAt: "14:00"))
        hall.services.append(service("g", .closed, opensAt: "13:30"))
        XCTAssertEqual(HallOpening.next(hall), HallOpening(inDays: 0, start: "13:30", weekday: 0, day: nil))
        hall.services = [service("d", .paused)]
        XCTAssertNil(HallOpening.next(hall), "a paused service opens when staff say, not at a known time")

        let zh = Wording(strings: KioskHarness.strings, language: .zh), en = Wording(strings: KioskHarness.strings, language: .en)
        let today = HallOpening(inDays: 0, start: "13:30", weekday: 0, day: nil)
        let tomorrow = HallOpening(inDays: 1, start: "08:30", weekday: 3, day: "2026-12-08")
        let monday = HallOpening(inDays: 3, start: "08:30", weekday: 2, day: "2026-11-30")
        let afterHoliday = HallOpening(inDays: 7, start: "09:00", weekday: 5, day: "2026-10-08")
        XCTAssertEqual([today, tomorrow, monday, afterHoliday].map(zh.hallOpening),
                       ["今天 13:30 开始取号", "明天 08:30 开始取号", "星期一 08:30 开始取号", "10月8日 星期四 09:00 开始取号"])
        XCTAssertEqual([today, tomorrow, monday, afterHoliday].map(en.hallOpening),
                       ["Opens today at 13:30", "Opens tomorrow at 08:30", "Opens Monday at 08:30",
                        "Opens Thursday 8 October at 09:00"])
    }

    func testTheClosedScreenSaysWhenNumbersStartAgain() {
        for size in Scenario.sizes {
            let zh = Scenario.closedTomorrow.harness(size: size, language: .zh).display
            XCTAssertTrue(zh.containsText("今日已闭厅"), "\(size)")
            XCTAssertTrue(zh.containsText("明天 08:30 开始取号"), "\(size)")
            XCTAssertFalse(zh.containsText("请在办公时间再来取号"), "the next opening replaces the vague words, \(size)")
            let en = Scenario.closedTomorrow.harness(size: size, language: .en, largeText: true).display
            XCTAssertTrue(en.containsText("Closed for today"), "\(size)")
            XCTAssertTrue(en.containsText("Opens tomorrow at 08:30"), "\(size)")
        }
        // Nothing known (an older server): the screen says what it said before.
        var kiosk = KioskHarness(size: Size(width: 1080, height: 1920), language: .zh)
        kiosk.send(.hallStatusArrived(DemoHall.status(open: false, services: [], hours: DemoHall.officeHours), at: kiosk.state.now))
        XCTAssertTrue(kiosk.display.containsText("现在不是办公时间"))
        XCTAssertTrue(kiosk.display.containsText("请在办公时间再来取号"))
    }

    // MARK: - A clerk's break

    static let window = WindowRef(id: "w01", name: LocalizedText(zh: "1号窗口", en: "Window 1"))
    static let staff = StaffSummary(id: "s01", name: "张敏", employeeNo: "1001", photoUrl: "/staff-photos/s01")

    func ratingDevice(language: Language = .zh) -> KioskHarness {
        var device = KioskHarness(size: Size(width: 1280, height: 800), language: language) {
            $0.role = .ratingDevice
            $0.windowId = "w01"
        }
        device.send(.windowStateArrived(WindowPanel(window: Self.window, staff: Self.staff, currentTicketNumber: nil),
                                        at: device.state.now))
        device.effects = []
        return device
    }

    func windowEvent(_ type: WindowEventType, reason: String? = nil, staff: StaffSummary? = staff) -> KioskEvent {
        .windowEvent(WindowEvent(id: 5, type: type, windowId: "w01", at: DemoHall.morning, ticket: nil, staff: staff,
                                 breakReason: reason))
    }

    func testTheRatingDeviceShowsTheBreakAndItsReasonInsteadOfInvitingARating() {
        var device = ratingDevice()
        XCTAssertTrue(device.display.containsText("办结后请对本次服务进行评价"))
        device.send(windowEvent(.windowPaused, reason: "午休"))
        let paused = device.display
        for words in ["暂停服务", "On a break", "原因：午休", "Reason: Lunch break", "请稍候，或到其他窗口办理", "张敏"] {
            XCTAssertTrue(paused.containsText(words), words)
        }
        XCTAssertFalse(paused.containsText("办结后请对本次服务进行评价"), "no invitation to rate during a break")
        XCTAssertFalse(paused.containsText("等待叫号"))
        // A reason the catalogues do not know is shown as the clerk wrote it, in both lines.
        device.send(windowEvent(.windowPaused, reason: "业务培训"))
        XCTAssertTrue(device.display.containsText("原因：业务培训"))
        XCTAssertTrue(device.display.containsText("Reason: 业务培训"))
        // The clerk typed when they are back: the time is said in the citizen's language too.
        device.send(windowEvent(.windowPaused, reason: "午休 · 13:30 回来"))
        XCTAssertTrue(device.display.containsText("原因：午休 · 13:30 回来"))
        XCTAssertTrue(device.display.containsText("Reason: Lunch break · back at 13:30"))
        let en = Wording(strings: KioskHarness.strings, language: .en)
        XCTAssertEqual(["午休", "会议 · 14:00回来", "临时离开 ·  · 9:05 回来", "培训 · 25:00 回来", "系统维护 · 回来"].map(en.breakReason),
                       ["Lunch break", "In a meeting · back at 14:00", "Away for a moment · back at 09:05", "培训 · 25:00 回来",
                        "System maintenance · 回来"])
        device.send(windowEvent(.windowResumed))
        XCTAssertFalse(device.display.containsText("暂停服务"))
        XCTAssertTrue(device.display.containsText("办结后请对本次服务进行评价"))
        // A break ends with the session too, and the window state carries it after a restart.
        device.send(windowEvent(.windowPaused, reason: "会议"))
        XCTAssertTrue(device.display.containsText("原因：会议"))
        device.send(windowEvent(.staffLoggedOut, staff: nil))
        XCTAssertFalse(device.display.containsText("原因：会议"))
        XCTAssertFalse(device.display.containsText("On a break"))
        XCTAssertTrue(device.display.containsText("本窗口暂停服务"), "nobody logged in: the window is closed")
        var panel = WindowPanel(window: Self.window, staff: Self.staff, currentTicketNumber: nil)
        panel.breakReason = "会议"
        device.send(.windowStateArrived(panel, at: device.state.now))
        XCTAssertTrue(device.display.containsText("原因：会议"))
        XCTAssertTrue(device.display.containsText("Reason: In a meeting"))
    }

    func testTheWindowScreenShowsTheBreakInBothLanguages() {
        for size in [Size(width: 1280, height: 400), Size(width: 800, height: 480)] {
            for language in Language.allCases {
                var screen = BoardHarness(role: .window(id: "w01"), size: size, language: language)
                var board = BoardFixtures.board()
                board.windows[0].activity = .paused
                board.windows[0].pauseReason = LocalizedText(zh: "午休", en: "午休")
                screen.send(.snapshot(board))
                let label = "\(size) \(language)"
                for words in ["暂停服务", "On a break", "原因：午休", "Reason: Lunch break"] {
                    XCTAssertTrue(screen.display.containsText(words), "\(words), \(label)")
                }
                XCTAssertFalse(screen.display.containsText("Closed"), label)
                board.windows[0].pauseReason = LocalizedText(zh: "业务培训 14:00 回来", en: "业务培训 14:00 回来")
                screen.send(.snapshot(board))
                XCTAssertTrue(screen.display.containsText("业务培训 14:00 回来"), label)
                board.windows[0].pauseReason = nil
                screen.send(.snapshot(board))
                XCTAssertTrue(screen.display.containsText("暂停服务"), label)
                XCTAssertFalse(screen.display.containsText("原因"), label)
            }
        }
    }

    // MARK: - The clerk's photo

    func testTheWindowScreenAsksForItsClerksPhotoOnceAndShowsItWhenDecoded() {
        var screen = BoardHarness(role: .window(id: "w01"), size: Size(width: 1280, height: 400))
        var board = BoardFixtures.board()
        board.windows[0].staff?.photoUrl = "/staff-photos/s1"
        XCTAssertEqual(screen.send(.snapshot(board)).effects, [.fetchPhoto(path: "/staff-photos/s1")])
        XCTAssertEqual(screen.send(.snapshot(board)).effects, [], "asked once per URL")
        let withoutPhoto = screen.display
        XCTAssertFalse(withoutPhoto.items.contains { if case .image = $0 { true } else { false } })
        screen.send(.photoReady(path: "/staff-photos/s1"))
        let image = screen.display.items.compactMap { item -> Rect? in
            if case .image(let name, let frame) = item, name == "staff-photo:/staff-photos/s1" { return frame } else { return nil }
        }
        XCTAssertEqual(image.count, 1)
        XCTAssertTrue(screen.display.containsText("1号窗口"), "the window's name stays")
        if let frame = image.first {
            XCTAssertEqual(frame.width / frame.height, 0.75, accuracy: 0.01, "a 3:4 portrait")
            for text in screen.display.texts { XCTAssertGreaterThanOrEqual(text.frame.minX, frame.maxX, text.string) }
        }
        // A new photo (new URL) is asked for; a closed window shows none.
        board.windows[0].staff?.photoUrl = "/staff-photos/s1?v=2"
        XCTAssertEqual(screen.send(.snapshot(board)).effects, [.fetchPhoto(path: "/staff-photos/s1?v=2")])
        board.windows[0].activity = .closed
        board.windows[0].staff = nil
        screen.send(.snapshot(board))
        XCTAssertFalse(screen.display.items.contains { if case .image = $0 { true } else { false } })
    }

    func testTheRatingDeviceShowsOnlyTheLoggedInClerksPhoto() {
        var device = ratingDevice()
        device.send(.staffPhotoReady(staffId: "s01", path: "/staff-photos/s01"))
        XCTAssertTrue(device.display.items.contains { if case .image(let name, _) = $0 { name == "staff-photo:/staff-photos/s01" } else { false } })
        // Another clerk logs in: their photo is asked for, and the first clerk's is not shown meanwhile.
        let other = StaffSummary(id: "s02", name: "李华", employeeNo: "1002", photoUrl: "/staff-photos/s02")
        let effects = device.send(windowEvent(.staffLoggedIn, staff: other))
        XCTAssertTrue(effects.contains(.ratings(.fetchStaffPhoto(staffId: "s02", path: "/staff-photos/s02"))))
        XCTAssertFalse(device.display.items.contains { if case .image = $0 { true } else { false } })
        XCTAssertTrue(device.display.containsText("李"), "the placeholder with the first character")
        // Back to the first clerk: the cached photo shows at once, without a new request.
        let back = device.send(windowEvent(.staffLoggedIn, staff: Self.staff))
        XCTAssertFalse(back.contains(.ratings(.fetchStaffPhoto(staffId: "s01", path: "/staff-photos/s01"))))
        XCTAssertTrue(device.display.items.contains { if case .image(let name, _) = $0 { name == "staff-photo:/staff-photos/s01" } else { false } })
    }
}
