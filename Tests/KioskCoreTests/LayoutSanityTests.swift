import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

/// Geometry rules every screen must keep, at every size, language and text mode.
final class LayoutSanityTests: XCTestCase {
    let measurer = EstimatingTextMeasurer()

    func testEveryScreenKeepsTheLayoutRules() {
        for size in Scenario.sizes + Scenario.extraSizes {
            for language in Language.allCases {
                for largeText in [false, true] {
                    for scenario in Scenario.allCases {
                        let kiosk = scenario.harness(size: size, language: language, largeText: largeText)
                        check(kiosk.display, "\(scenario) \(Int(size.width))x\(Int(size.height)) \(language)"
                            + (largeText ? " large" : ""))
                    }
                }
            }
        }
    }

    func testVeryLongNamesStillKeepTheRules() {
        var services = DemoHall.services
        services[0].name = LocalizedText(zh: String(repeating: "特别长的业务名称", count: 8),
                                         en: String(repeating: "Extraordinarily long service name ", count: 6))
        services[0].group = LocalizedText(zh: String(repeating: "部门", count: 20),
                                          en: String(repeating: "Department ", count: 9))
        for size in Scenario.sizes + Scenario.extraSizes {
            for language in Language.allCases {
                var kiosk = KioskHarness(size: size, language: language, status: DemoHall.status(services: services))
                check(kiosk.display, "long names home \(Int(size.width))x\(Int(size.height)) \(language)")
                kiosk.state.screen = .issuing(IssuingIntent(serviceId: "hukou", intentKey: "boot-1", startedAt: kiosk.state.uptime))
                var ticket = DemoHall.ticket()
                ticket.service.name = services[0].name
                kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: ticket))
                check(kiosk.display, "long names ticket \(Int(size.width))x\(Int(size.height)) \(language)")
            }
        }
    }

    func check(_ display: DisplayList, _ name: String) {
        let screen = Rect(x: 0, y: 0, width: display.size.width, height: display.size.height)
        let unit = min(display.size.width, display.size.height) / 1080
        for region in display.hitRegions {
            XCTAssertTrue(screen.contains(region.frame), "\(name): \(region.id) outside the screen \(region.frame)")
            if region.enabled {
                // 120 px at 1080 on the supported sizes; a little less on odd panels.
                let isMainSize = Scenario.sizes.contains(display.size)
                let minimum = ((isMainSize ? 120 : 100) * unit).rounded(.down) - 1
                XCTAssertGreaterThanOrEqual(min(region.frame.width, region.frame.height), minimum,
                                            "\(name): \(region.id) is too small to touch \(region.frame)")
            }
        }
        let enabled = display.hitRegions.filter(\.enabled)
        for (index, first) in enabled.enumerated() {
            for second in enabled.dropFirst(index + 1) where first.frame.overlaps(second.frame) {
                XCTFail("\(name): \(first.id) overlaps \(second.id)")
            }
        }
        for text in display.texts {
            XCTAssertTrue(screen.contains(text.frame), "\(name): '\(text.string)' outside the screen")
            let measured = measurer.size(of: text.string, pointSize: text.pointSize, bold: text.bold)
            XCTAssertLessThanOrEqual(measured.width, text.frame.width + 0.5,
                                     "\(name): '\(text.string)' is wider than its frame")
            XCTAssertLessThanOrEqual(measured.height, text.frame.height + 0.5,
                                     "\(name): '\(text.string)' is taller than its frame")
            for region in display.hitRegions where region.frame.overlaps(text.frame) {
                XCTAssertTrue(region.frame.contains(text.frame),
                              "\(name): '\(text.string)' sticks out of button \(region.id)")
            }
        }
        var textRects = display.texts.map(\.frame)
        while let first = textRects.popLast() {
            for other in textRects where first.overlaps(other) {
                XCTFail("\(name): text frames overlap at \(first) and \(other)")
            }
        }
    }

    /// Issue 3's bar: a number for any service within two touches, at every size and language;
    /// in large-text mode (fewer, bigger buttons) on screens with a short side of 800 or more.
    func testEveryServiceIsAtMostTwoTouchesFromHome() {
        for size in Scenario.sizes + Scenario.extraSizes {
            for language in Language.allCases {
                for largeText in [false, true] where !largeText || min(size.width, size.height) >= 800 {
                    let name = "\(Int(size.width))x\(Int(size.height)) \(language)\(largeText ? " large" : "")"
                    let screens = screensWithinOneTouch(size: size, language: language, largeText: largeText)
                    for service in DemoHall.services {
                        XCTAssertTrue(reachable(service, on: screens), "\(name): \(service.id) needs more than two touches")
                    }
                }
            }
        }
    }

    /// The same bar for big halls: a department with more services than fit on a screen, and a hall of
    /// 60 services without departments. (Large text on 1280×800 holds about a dozen buttons a screen:
    /// 60 services cannot all be two touches away there; they stay reachable through pages.)
    func testEveryServiceOfABigHallIsAtMostTwoTouchesFromHome() {
        func copies(_ count: Int, group: LocalizedText?, prefix: String) -> [ServiceStatus] {
            (0..<count).map { index in
                var copy = DemoHall.services[index % DemoHall.services.count]
                copy.id = "\(prefix)-\(index)"
                copy.name = LocalizedText(zh: "事项\(index)", en: "Matter \(index)")
                copy.group = group
                return copy
            }
        }
        let halls: [(String, [ServiceStatus])] = [
            ("one big department", copies(26, group: LocalizedText(zh: "不动产", en: "Real estate"), prefix: "land")
                + copies(5, group: LocalizedText(zh: "公安", en: "Police"), prefix: "police")
                + copies(2, group: nil, prefix: "misc")),
            ("60 without departments", copies(60, group: nil, prefix: "plain")),
        ]
        for (hallName, services) in halls {
            for size in Scenario.sizes {
                for language in Language.allCases {
                    for largeText in [false, true] where !largeText || min(size.width, size.height) >= 800 {
                        if largeText && services.count > 40 && min(size.width, size.height) < 1000 { continue }
                        let name = "\(hallName) \(Int(size.width))x\(Int(size.height)) \(language)\(largeText ? " large" : "")"
                        let screens = screensWithinOneTouch(size: size, language: language, largeText: largeText,
                                                            status: DemoHall.status(services: services))
                        for service in services {
                            XCTAssertTrue(reachable(service, on: screens), "\(name): \(service.id) needs more than two touches")
                        }
                    }
                }
            }
        }
    }

    func testLargeTextShowsFewerButBiggerServices() {
        let size = Size(width: 1080, height: 1920)
        let normal = Scenario.home.harness(size: size, language: .zh).display
        let large = Scenario.home.harness(size: size, language: .zh, largeText: true).display
        func services(_ display: DisplayList) -> [HitRegion] {
            display.hitRegions.filter { if case .takeNumber = $0.action { return true } else { return false } }
        }
        XCTAssertLessThan(services(large).count, services(normal).count)
        XCTAssertGreaterThan(services(large).first?.frame.width ?? 0, services(normal).first?.frame.width ?? 0)
        func nameSize(_ display: DisplayList) -> Double {
            display.texts.first { $0.string == "户籍办理" }?.pointSize ?? 0
        }
        XCTAssertGreaterThan(nameSize(large), nameSize(normal) * 1.2)
    }

    func testPortraitHomeShowsAllElevenServicesAtOnce() {
        let display = Scenario.home.harness(size: Size(width: 1080, height: 1920), language: .zh).display
        for service in DemoHall.services {
            XCTAssertNotNil(display.hitRegions.first { $0.action == .takeNumber(serviceId: service.id) }, service.id)
        }
        XCTAssertTrue(display.containsText("等候 5 人 · 约 15 分钟"))
        XCTAssertTrue(display.containsText("今日号源已满"))
        XCTAssertTrue(display.containsText("13:30 开始取号"))
        XCTAssertTrue(display.containsText("暂停取号"))
        XCTAssertTrue(display.containsText("进度查询"))
        XCTAssertTrue(display.containsText("评价"))
        XCTAssertTrue(display.containsText("09:30"))
    }

    /// A citizen who reads only the other language, at a kiosk showing its default language in normal text (as every
    /// citizen first finds it), still gets a number within two touches without switching: every service button and
    /// department tab carries both languages, and the touches below go by the words in the reader's language only.
    func testAReaderOfTheOtherLanguageFindsEveryServiceWithinTwoTouches() {
        for size in Scenario.sizes + Scenario.extraSizes {
            for shown in Language.allCases {
                let reader = shown.other
                let name = "\(Int(size.width))x\(Int(size.height)) shown in \(shown), read in \(reader)"
                let home = Scenario.home.harness(size: size, language: shown)
                for service in DemoHall.services {
                    let serviceWords = service.name.text(in: reader)
                    func labelled(_ kiosk: KioskHarness) -> HitRegion? {
                        kiosk.display.hitRegions.first {
                            $0.action == .takeNumber(serviceId: service.id) && $0.label.contains(serviceWords)
                        }
                    }
                    if labelled(home) != nil { continue }
                    guard let department = service.group?.text(in: reader) else {
                        XCTFail("\(name): \(service.id) is not on home and has no department"); continue
                    }
                    let tabs = home.display.hitRegions.filter {
                        if case .selectGroup = $0.action { return $0.enabled && $0.label.contains(department) }
                        return false
                    }
                    let found = tabs.contains { tab in
                        var next = home
                        next.tap(at: tab.frame.center)
                        return labelled(next) != nil
                    }
                    XCTAssertTrue(found, "\(name): \(service.id) cannot be found by its \(reader) words within two touches")
                }
            }
        }
    }

    private func reachable(_ service: ServiceStatus, on screens: [KioskHarness]) -> Bool {
        guard var kiosk = screens.first(where: { $0.region(.takeNumber(serviceId: service.id)) != nil })
        else { return false }
        return tapService(service, in: &kiosk)
    }

    /// Home as first shown, and home after each enabled tab or page button.
    private func screensWithinOneTouch(size: Size, language: Language, largeText: Bool,
                                       status: HallStatus? = nil) -> [KioskHarness] {
        var home = Scenario.home.harness(size: size, language: language, largeText: largeText)
        if let status { home.send(.hallStatusArrived(status, at: DemoHall.morning)) }
        let navigation = home.display.hitRegions.filter { region in
            guard region.enabled else { return false }
            switch region.action {
            case .selectGroup, .nextPage, .previousPage: return true
            default: return false
            }
        }
        return [home] + navigation.map { region in
            var next = home
            next.tap(at: region.frame.center)
            return next
        }
    }

    /// Taps the service if it is on screen; an open service must then start issuing.
    private func tapService(_ service: ServiceStatus, in kiosk: inout KioskHarness) -> Bool {
        guard let region = kiosk.region(.takeNumber(serviceId: service.id)) else { return false }
        let effects = kiosk.tap(at: region.frame.center)
        if service.state == .open {
            return effects.contains { if case .hall(.issueTicket(service.id, _, _)) = $0 { return true } else { return false } }
        }
        if service.state == .paused {
            // A service paused by staff answers a touch (why, until when) and sends nothing.
            guard case .issuing(let intent) = kiosk.state.screen else { return false }
            return region.enabled && effects.isEmpty && intent.failure?.kind == .paused
        }
        return !region.enabled && effects.isEmpty
    }
}
