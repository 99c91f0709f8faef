import Foundation
import HallAPI
import HallTestSupport
import KioskCore

/// What the pixel checks need besides the demo hall (`DemoHall` in HallTestSupport): the string catalogues.
enum SampleHall {
    static let strings: Strings = {
        do { return try Strings.bundled() } catch { fatalError("string catalogues: \(error)") }
    }()
}

/// The screens the pixel checks draw.
enum SampleScreen: String, CaseIterable {
    case home, ticket, lookup, closed, offline

    /// The display list of this screen for a window, laid out with the window's real text measurer.
    func displayList(size: Size, language: Language, measurer: any TextMeasurer) -> DisplayList {
        let context = KioskContext(deviceId: "kiosk-01", defaultLanguage: language,
                                   display: DisplayEnvironment(size: size, strings: SampleHall.strings, measurer: measurer))
        var state = KioskState(now: DemoHall.morning, language: language, intentKeySeed: "boot")
        _ = reduce(&state, .tick(now: DemoHall.morning), context: context)
        _ = reduce(&state, .hallStatusArrived(DemoHall.status(), at: DemoHall.morning), context: context)
        switch self {
        case .home:
            break
        case .ticket:
            state.screen = .issuing(IssuingIntent(serviceId: "hukou", intentKey: "boot-1", startedAt: state.uptime))
            _ = reduce(&state, .ticketIssued(intentKey: "boot-1", ticket: DemoHall.ticket()), context: context)
        case .lookup:
            state.screen = .lookup(LookupScreen(purpose: .progress, entry: "A02", phase: .editing))
        case .closed:
            _ = reduce(&state, .hallStatusArrived(DemoHall.status(open: false, hours: DemoHall.officeHours),
                                                  at: state.now), context: context)
        case .offline:
            _ = reduce(&state, .hallUnreachable(error: "connection refused", at: state.now), context: context)
            _ = reduce(&state, .tick(now: state.now.addingTimeInterval(31)), context: context)
        }
        return view(state, in: context.display)
    }
}
