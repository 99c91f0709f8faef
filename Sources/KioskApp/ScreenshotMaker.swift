import Foundation
import HallAPI
import KioskCore
import KioskHTTP
import KioskSDL

/// Renders any kiosk screen to PNG without a display (`hallkiosk screenshot`).
public enum ScreenshotMaker {
    /// The screens `--screen` accepts.
    public static let screens = ["home", "issuing", "ticket", "ticket-no-paper", "lookup", "lookup-result", "rating-lookup",
                                 "rating-code", "rating-code-wrong", "closed", "offline",
                                 "rating-idle", "rating-window-closed", "rating", "rating-reasons", "rating-thanks",
                                 "rating-not-stored", "rating-kiosk", "rating-two-buttons", "admin-pin", "admin"]
        + citizenScreens + deviceScreens + checkinScreens + SampleBoard.screens

    /// Builds the state for `screen` from `hall` (sample or live) and renders it into `window`.
    public static func render(screen: String, hall: HallStatus, ticket: IssuedTicket, progress: TicketProgress,
                              settings: KioskSettings, language: Language, largeText: Bool, highContrast: Bool,
                              window: KioskWindow, strings: Strings, out: String, photo: String? = nil) throws {
        let now = hall.now
        if let photo { try registerSamplePhoto(photo, in: window) }
        if SampleBoard.screens.contains(screen) {
            let state = try SampleBoard.state(screen: screen, now: now, language: language, photo: photo != nil)
            let environment = DisplayEnvironment(size: window.layoutSize, strings: strings, measurer: window.measurer)
            window.draw(boardView(state, in: environment))
            try window.screenshot(to: out)
            return
        }
        // A still picture: the hall's time stands in for the monotonic clock.
        let uptime = Uptime(standingInFor: now)
        var state = KioskState(now: now, uptime: uptime, language: language, intentKeySeed: "screenshot")
        state.largeText = largeText
        state.highContrast = highContrast
        var context = KioskContext.make(settings, size: window.layoutSize, strings: strings, measurer: window.measurer)
        if screen == "rating-two-buttons" { context.display.ratingMode = .twoButtons }
        if checkinScreens.contains(screen) { context.display.checkinOffered = true }
        var engine = KioskEngine(state: state, context: context)
        _ = engine.handle(.hallStatusArrived(hall, at: now))
        state = engine.state
        switch screen {
        case "home":
            break
        case "issuing":
            state.screen = .issuing(IssuingIntent(serviceId: ticket.service.id, intentKey: "screenshot-1", startedAt: uptime))
        case "ticket":
            state.screen = .ticket(TicketScreen(ticket: ticket, printStatus: .printed, shownAt: uptime, returnAt: uptime + 20))
        case "ticket-no-paper":
            state.screen = .ticket(TicketScreen(ticket: ticket, printStatus: .failed(reason: "media-empty"), shownAt: uptime,
                                                returnAt: uptime + 60))
        case "lookup":
            state.screen = .lookup(LookupScreen(purpose: .progress, entry: "A02"))
        case "rating-lookup":
            state.screen = .lookup(LookupScreen(purpose: .rating, entry: "A023"))
        case "rating-code":
            state.screen = .lookup(LookupScreen(purpose: .rating, entry: "A023", step: .code, code: "04"))
        case "rating-code-wrong":
            state.screen = .lookup(LookupScreen(purpose: .rating, entry: "A023", phase: .failed(.wrongCode), step: .code))
        case "lookup-result":
            state.screen = .lookupResult(LookupResultScreen(purpose: .progress, progress: progress))
        case "closed":
            state.screen = .closed(todayHours: [OpeningSession(start: "08:30", end: "12:00"), OpeningSession(start: "13:30", end: "17:00")])
        case "offline":
            state.screen = .offline(since: uptime - 120)
        case "admin-pin":
            state.screen = .adminPin(AdminPinScreen(entry: "1234", phase: .wrong(remaining: 4)))
        case "admin":
            state.printer = PrinterHealth(condition: .paperLow, reasons: ["media-low"], message: "paper is running low")
            state.screen = .admin(AdminScreen(info: AdminInfo(
                deviceId: settings.deviceId, version: KioskAppInfo.version, addresses: ["192.168.10.21"],
                serverURL: settings.serverURL, serverLatencyMilliseconds: 3, outboxPending: 2, outboxHeld: 0,
                recentErrors: ["09:12 hall server: timed out after 5 s"], uptimeSeconds: 3 * 86400 + 4 * 3600),
                message: "测试号票已打印 / test ticket printed"))
        case "rating-idle", "rating-window-closed":
            state.window = SampleHall.windowPanel()
            if screen == "rating-window-closed" { state.window?.staff = nil }
            state.screen = .ratingIdle
        case "rating", "rating-reasons", "rating-thanks", "rating-not-stored", "rating-kiosk", "rating-two-buttons":
            state.window = SampleHall.windowPanel()
            let phase: RatingPhase = switch screen {
            case "rating-reasons": .reasons(level: .veryDissatisfied, selected: [.efficiency, .explanation])
            case "rating-thanks": .thanks
            case "rating-not-stored": .notStored
            default: .choosing
            }
            state.screen = .rating(RatingScreen(subject: SampleHall.ratingSubject(now: now),
                                                channel: screen == "rating-kiosk" ? .kiosk : .windowDevice,
                                                phase: phase, deadline: uptime + 60))
        default:
            if let citizen = citizenState(screen: screen, state: state, ticket: ticket, progress: progress, uptime: uptime) {
                state = citizen
                break
            }
            if let device = deviceState(screen: screen, state: state, uptime: uptime, photo: photo != nil) {
                state = device
                break
            }
            if let checkin = checkinState(screen: screen, state: state, ticket: ticket, uptime: uptime) {
                state = checkin
                break
            }
            throw KioskConfigError("--screen '\(screen)' is not one of \(screens.joined(separator: ", "))")
        }
        let final = KioskEngine(state: state, context: context)
        window.draw(final.display)
        try window.screenshot(to: out)
    }
}
