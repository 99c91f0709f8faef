import Foundation
import HallAPI

/// The demo hall of `kiosk/demo/hall.toml` (11 services in 7 departments) as the values the kiosk gets from the
/// hall server: the one sample hall of the kiosk-side tests (core, SDL).
public enum DemoHall {
    /// 2026-11-22 09:30:00 in Shanghai (a Sunday).
    public static let morning = RFC3339.parse("2026-11-22T09:30:00+08:00") ?? Date(timeIntervalSince1970: 0)

    public static let allDay = [OpeningSession(start: "00:00", end: "24:00")]
    /// The phone page address of the sample ticket (its QR code).
    public static let lookupUrl = "http://127.0.0.1:8080/t/tok3nAbCdEfGhIjKlMnOpQ"
    public static let officeHours = [OpeningSession(start: "08:30", end: "12:00"), OpeningSession(start: "13:30", end: "17:00")]

    public static func service(_ id: String, _ zh: String, _ en: String, group: (String, String)?, prefix: String,
                        waiting: Int, minutes: Int, state: ServiceState = .open, reason: ServiceStateReason? = nil,
                        opensAt: String? = nil) -> ServiceStatus {
        ServiceStatus(id: id, name: LocalizedText(zh: zh, en: en),
                      group: group.map { LocalizedText(zh: $0.0, en: $0.1) }, prefix: prefix, state: state,
                      reason: reason, opensAt: opensAt, todayHours: allDay, waitingCount: waiting,
                      estimatedWaitMinutes: minutes, issuedToday: waiting + 3, dailyQuota: nil)
    }

    public static let police = ("公安", "Public Security")
    public static let social = ("人力社保", "Human Resources and Social Security")
    public static let market = ("市场监管", "Market Regulation")

    /// The eleven demo services; `employment` is paused, `real-estate` has reached its quota and
    /// `business-startup` opens at 13:30, so every disabled look appears.
    public static let services: [ServiceStatus] = [
        service("hukou", "户籍办理", "Household registration", group: police, prefix: "A", waiting: 5, minutes: 15),
        service("idcard", "身份证办理", "ID card", group: police, prefix: "B", waiting: 0, minutes: 0),
        service("exit-entry", "出入境证件", "Passports and travel permits", group: police, prefix: "C", waiting: 12,
                minutes: 75),
        service("social-insurance", "社保业务", "Social insurance", group: social, prefix: "D", waiting: 8,
                minutes: 28),
        service("medical-insurance", "医保业务", "Medical insurance", group: social, prefix: "E", waiting: 3,
                minutes: 9),
        service("employment", "就业登记", "Employment registration", group: social, prefix: "F", waiting: 1,
                minutes: 10, state: .paused, reason: .pausedByStaff),
        service("business-startup", "企业开办", "Starting a business", group: market, prefix: "G", waiting: 0,
                minutes: 0, state: .closed, reason: .betweenSessions, opensAt: "13:30"),
        service("sole-trader", "个体工商户登记", "Sole trader registration", group: market, prefix: "H", waiting: 2,
                minutes: 30),
        service("real-estate", "不动产登记", "Real estate registration", group: ("自然资源", "Natural Resources"),
                prefix: "J", waiting: 40, minutes: 180, state: .quotaReached, reason: .quotaReached),
        service("housing-fund", "住房公积金", "Housing provident fund", group: ("住房公积金", "Housing Provident Fund"),
                prefix: "K", waiting: 4, minutes: 36),
        service("enquiries", "综合咨询", "General enquiries", group: ("综合服务", "General Services"), prefix: "Z",
                waiting: 6, minutes: 24),
    ]

    public static func status(open: Bool = true, services: [ServiceStatus] = services,
                       hours: [OpeningSession] = allDay) -> HallStatus {
        HallStatus(hallId: "demo-hall", name: LocalizedText(zh: "示范县政务服务中心", en: "Demo County Government Service Centre"),
                   timezone: "Asia/Shanghai", hallDay: "2026-11-22", now: morning, todayHours: hours, isOpenNow: open,
                   services: services, windows: [])
    }

    public static func ticket(number: String = "A023", serviceId: String = "hukou", ahead: Int = 5,
                       minutes: Int = 15) -> IssuedTicket {
        let service = services.first { $0.id == serviceId } ?? services[0]
        return IssuedTicket(id: "t-\(number)", number: number,
                            service: ServiceRef(id: service.id, name: service.name, prefix: service.prefix),
                            issuedAt: morning, hallDay: "2026-11-22", priority: nil, waitingAhead: ahead,
                            estimatedWaitMinutes: minutes, token: "tok3nAbCdEfGhIjKlMnOpQ",
                            lookupUrl: lookupUrl)
    }

    public static func progress(number: String = "A023", status: TicketStatus = .waiting, ahead: Int? = 3,
                         minutes: Int? = 9, window: String? = nil, canRate: Bool = false,
                         rated: Bool = false) -> TicketProgress {
        let service = services[0]
        return TicketProgress(id: "t-\(number)", number: number,
                              service: ServiceRef(id: service.id, name: service.name, prefix: service.prefix),
                              status: status, hallDay: "2026-11-22", issuedAt: morning, priority: nil,
                              waitingAhead: ahead, estimatedWaitMinutes: minutes,
                              window: window.map { WindowRef(id: "w02", name: LocalizedText(zh: $0, en: "Window 2")) },
                              staff: nil, calledAt: nil, completedAt: nil,
                              rating: TicketRatingState(canRate: canRate, rated: rated))
    }
}
