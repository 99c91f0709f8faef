import Foundation
import HallAPI
import KioskCore

/// A demo hall (11 services in 7 departments, every disabled look) and the kiosk's main screens for it,
/// reached through the public reducer the way a citizen reaches them.
enum SampleHall {
    /// 2026-11-22 09:30:00 in Shanghai.
    static let morning = RFC3339.parse("2026-11-22T09:30:00+08:00") ?? Date(timeIntervalSince1970: 0)
    static let allDay = [OpeningSession(start: "00:00", end: "24:00")]
    static let officeHours = [OpeningSession(start: "08:30", end: "12:00"), OpeningSession(start: "13:30", end: "17:00")]
    static let lookupUrl = "http://127.0.0.1:8080/t/tok3nAbCdEfGhIjKlMnOpQ"

    static func service(_ id: String, _ zh: String, _ en: String, group: (String, String), prefix: String,
                        waiting: Int, minutes: Int, state: ServiceState = .open, reason: ServiceStateReason? = nil,
                        opensAt: String? = nil) -> ServiceStatus {
        ServiceStatus(id: id, name: LocalizedText(zh: zh, en: en), group: LocalizedText(zh: group.0, en: group.1),
                      prefix: prefix, state: state, reason: reason, opensAt: opensAt, todayHours: allDay,
                      waitingCount: waiting, estimatedWaitMinutes: minutes, issuedToday: waiting + 3, dailyQuota: nil)
    }

    static let police = ("公安", "Public Security")
    static let social = ("人力社保", "Human Resources and Social Security")
    static let market = ("市场监管", "Market Regulation")

    static let services: [ServiceStatus] = [
        service("hukou", "户籍办理", "Household registration", group: police, prefix: "A", waiting: 5, minutes: 15),
        service("idcard", "身份证办理", "ID card", group: police, prefix: "B", waiting: 0, minutes: 0),
        service("exit-entry", "出入境证件", "Passports and travel permits", group: police, prefix: "C", waiting: 12, minutes: 75),
        service("social-insurance", "社保业务", "Social insurance", group: social, prefix: "D", waiting: 8, minutes: 28),
        service("medical-insurance", "医保业务", "Medical insurance", group: social, prefix: "E", waiting: 3, minutes: 9),
        service("employment", "就业登记", "Employment registration", group: social, prefix: "F", waiting: 1, minutes: 10,
                state: .paused, reason: .pausedByStaff),
        service("business-startup", "企业开办", "Starting a business", group: market, prefix: "G", waiting: 0, minutes: 0,
                state: .closed, reason: .betweenSessions, opensAt: "13:30"),
        service("sole-trader", "个体工商户登记", "Sole trader registration", group: market, prefix: "H", waiting: 2, minutes: 30),
        service("real-estate", "不动产登记", "Real estate registration", group: ("自然资源", "Natural Resources"), prefix: "J",
                waiting: 40, minutes: 180, state: .quotaReached, reason: .quotaReached),
        service("housing-fund", "住房公积金", "Housing provident fund", group: ("住房公积金", "Housing Provident Fund"),
                prefix: "K", waiting: 4, minutes: 36),
        service("enquiries", "综合咨询", "General enquiries", group: ("综合服务", "General Services"), prefix: "Z",
                waiting: 6, minutes: 24),
    ]

    static func status(open: Bool = true, hours: [OpeningSession] = allDay) -> HallStatus {
        HallStatus(hallId: "demo-hall", name: LocalizedText(zh: "示范县政务服务中心", en: "Demo County Government Service Centre"),
                   timezone: "Asia/Shanghai", hallDay: "2026-11-22", now: morning, todayHours: hours, isOpenNow: open,
                   services: services, windows: [])
    }

    static func ticket() -> IssuedTicket {
        let hukou = services[0]
        return IssuedTicket(id: "t-A023", number: "A023", service: ServiceRef(id: hukou.id, name: hukou.name, prefix: "A"),
                            issuedAt: morning, hallDay: "2026-11-22", priority: nil, waitingAhead: 5,
                            estimatedWaitMinutes: 15, token: "tok3nAbCdEfGhIjKlMnOpQ", lookupUrl: lookupUrl)
    }

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
        var state = KioskState(now: SampleHall.morning, language: language, intentKeySeed: "boot")
        _ = reduce(&state, .tick(now: SampleHall.morning), context: context)
        _ = reduce(&state, .hallStatusArrived(SampleHall.status(), at: SampleHall.morning), context: context)
        switch self {
        case .home:
            break
        case .ticket:
            state.screen = .issuing(IssuingIntent(serviceId: "hukou", intentKey: "boot-1", startedAt: state.uptime))
            _ = reduce(&state, .ticketIssued(intentKey: "boot-1", ticket: SampleHall.ticket()), context: context)
        case .lookup:
            state.screen = .lookup(LookupScreen(purpose: .progress, entry: "A02", phase: .editing))
        case .closed:
            _ = reduce(&state, .hallStatusArrived(SampleHall.status(open: false, hours: SampleHall.officeHours),
                                                  at: state.now), context: context)
        case .offline:
            _ = reduce(&state, .hallUnreachable(error: "connection refused", at: state.now), context: context)
            _ = reduce(&state, .tick(now: state.now.addingTimeInterval(31)), context: context)
        }
        return view(state, in: context.display)
    }
}
