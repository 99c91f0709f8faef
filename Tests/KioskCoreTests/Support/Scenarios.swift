import Foundation
import HallAPI
import HallTestSupport
@testable import KioskCore

/// The main screens, reached through the reducer the way a citizen reaches them.
enum Scenario: String, CaseIterable {
    case home
    case homeGroup
    case issuing
    case issueFailed
    case ticket
    case ticketPrintFailed
    case lookup
    case lookupResult
    /// 评价 by number: the rating code step, with a wrong code just refused.
    case ratingCode
    case closed
    case offline
    /// Home with the hall's kiosk notice (a long one, in both languages).
    case homeNotice
    /// Closed after the last session: numbers start again tomorrow.
    case closedTomorrow
    /// A window's rating device while its clerk is on a lunch break.
    case ratingBreak

    /// The screens that get golden files at every size and language.
    static let golden: [Scenario] = [.home, .ticket, .lookup, .lookupResult, .ratingCode, .closed, .offline]

    /// A hall manager's notice for the kiosks.
    static let notice = LocalizedText(zh: "本中心 12 月 8 日（周二）下午进行系统升级，13:30–15:00 暂停不动产登记业务，请合理安排时间。",
                                      en: "System upgrade on Tuesday 8 December: real estate registration is closed 13:30–15:00 that afternoon.")

    /// The demo hall after its last session: every service closed, the earliest opening tomorrow at 08:30.
    static func closedUntilTomorrow() -> HallStatus {
        let services = DemoHall.services.enumerated().map { index, service in
            var service = service
            service.state = .closed
            service.reason = .afterClosing
            service.opensAt = nil
            service.nextOpening = NextOpening(day: "2026-11-23", weekday: 2, inDays: 1, start: index == 0 ? "09:00" : "08:30")
            return service
        }
        return DemoHall.status(open: false, services: services, hours: DemoHall.officeHours)
    }

    static let sizes = [Size(width: 1080, height: 1920), Size(width: 1920, height: 1080), Size(width: 1280, height: 800)]
    /// Other shapes the layout must also handle.
    static let extraSizes = [Size(width: 768, height: 1024), Size(width: 1024, height: 600), Size(width: 800, height: 1280),
                             Size(width: 1366, height: 768)]

    func harness(size: Size, language: Language, largeText: Bool = false, highContrast: Bool = false) -> KioskHarness {
        var kiosk = KioskHarness(size: size, language: language) { $0.offlineGraceSeconds = 30 }
        kiosk.state.largeText = largeText
        kiosk.state.highContrast = highContrast
        switch self {
        case .home:
            break
        case .homeGroup:
            kiosk.state.screen = .home(HomePosition(group: 1, page: 0))
        case .issuing, .issueFailed, .ticket, .ticketPrintFailed:
            kiosk.state.screen = .issuing(IssuingIntent(serviceId: "hukou", intentKey: "boot-1", startedAt: kiosk.state.uptime))
            if self == .issueFailed {
                kiosk.send(.ticketFailed(intentKey: "boot-1", failure: IssueFailure(kind: .other, message: "")))
            }
            if self == .ticket || self == .ticketPrintFailed {
                kiosk.send(.ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket(number: "A023", ahead: 5,
                                                                                        minutes: 15)))
            }
            if self == .ticketPrintFailed {
                kiosk.send(.printFinished(ticketId: "t-A023", outcome: .failed(reason: "media-empty")))
            }
        case .lookup:
            kiosk.state.screen = .lookup(LookupScreen(purpose: .progress, entry: "A02", phase: .editing))
        case .lookupResult:
            kiosk.state.screen = .lookupResult(LookupResultScreen(purpose: .progress, progress: DemoHall.progress()))
        case .ratingCode:
            kiosk.state.screen = .lookup(LookupScreen(purpose: .rating, entry: "A023", phase: .failed(.wrongCode), step: .code,
                                                      code: "04"))
        case .closed:
            kiosk.send(.hallStatusArrived(DemoHall.status(open: false, hours: DemoHall.officeHours), at: kiosk.state.now))
        case .offline:
            kiosk.send(.hallUnreachable(error: "connection refused", at: kiosk.state.now))
            kiosk.advance(30)
        case .homeNotice:
            var hall = DemoHall.status()
            hall.notice = Self.notice
            kiosk.send(.hallStatusArrived(hall, at: kiosk.state.now))
        case .closedTomorrow:
            kiosk.send(.hallStatusArrived(Self.closedUntilTomorrow(), at: kiosk.state.now))
        case .ratingBreak:
            kiosk = KioskHarness(size: size, language: language) { $0.role = .ratingDevice; $0.windowId = "w01" }
            kiosk.state.largeText = largeText
            kiosk.state.highContrast = highContrast
            var panel = WindowPanel(window: WindowRef(id: "w01", name: LocalizedText(zh: "1号窗口", en: "Window 1")),
                                    staff: StaffSummary(id: "s01", name: "张敏", employeeNo: "1001", photoUrl: nil),
                                    currentTicketNumber: nil)
            panel.breakReason = "午休"
            kiosk.send(.windowStateArrived(panel, at: kiosk.state.now))
        }
        kiosk.effects = []
        return kiosk
    }
}
