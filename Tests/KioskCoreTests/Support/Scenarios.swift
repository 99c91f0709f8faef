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

    /// The screens that get golden files at every size and language.
    static let golden: [Scenario] = [.home, .ticket, .lookup, .lookupResult, .ratingCode, .closed, .offline]

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
        }
        kiosk.effects = []
        return kiosk
    }
}
