import Foundation
import HallAPI
import KioskCore

/// The demo hall as a kiosk sees it, for `hallkiosk screenshot --sample` (no server needed).
public enum SampleHall {
    static let allDay = [OpeningSession(start: "00:00", end: "24:00")]

    static func service(_ id: String, _ zh: String, _ en: String, _ group: (String, String), _ prefix: String,
                        waiting: Int, minutes: Int, state: ServiceState = .open, reason: ServiceStateReason? = nil,
                        opensAt: String? = nil, quota: Int? = nil) -> ServiceStatus {
        ServiceStatus(id: id, name: LocalizedText(zh: zh, en: en), group: LocalizedText(zh: group.0, en: group.1), prefix: prefix,
                      state: state, reason: reason, opensAt: opensAt, todayHours: allDay, waitingCount: waiting,
                      estimatedWaitMinutes: minutes, issuedToday: waiting + 12, dailyQuota: quota)
    }

    /// Eleven services in six departments, one quota used up and one paused, as in `kiosk/demo/hall.toml`.
    public static func status(now: Date) -> HallStatus {
        let police = ("公安", "Public Security")
        let hr = ("人力社保", "Human Resources and Social Security")
        let market = ("市场监管", "Market Regulation")
        let services = [
            service("hukou", "户籍办理", "Household registration", police, "A", waiting: 5, minutes: 40),
            service("idcard", "身份证办理", "ID card", police, "B", waiting: 2, minutes: 10),
            service("exit-entry", "出入境证件", "Passports and travel permits", police, "C", waiting: 0, minutes: 0,
                    state: .quotaReached, reason: .quotaReached, quota: 120),
            service("social-insurance", "社保业务", "Social insurance", hr, "D", waiting: 8, minutes: 28),
            service("medical-insurance", "医保业务", "Medical insurance", hr, "E", waiting: 3, minutes: 18),
            service("employment", "就业登记", "Employment registration", hr, "F", waiting: 1, minutes: 10),
            service("business-startup", "企业开办", "Starting a business", market, "G", waiting: 4, minutes: 80),
            service("sole-trader", "个体工商户登记", "Sole trader registration", market, "H", waiting: 0, minutes: 0,
                    state: .paused, reason: .pausedByStaff),
            service("real-estate", "不动产登记", "Real estate registration", ("自然资源", "Natural Resources"), "J", waiting: 6, minutes: 75),
            service("housing-fund", "住房公积金", "Housing provident fund", ("住房公积金", "Housing Provident Fund"), "K", waiting: 2, minutes: 18),
            service("enquiries", "综合咨询", "General enquiries", ("综合服务", "General Services"), "Z", waiting: 0, minutes: 0),
        ]
        let windows = (1...6).map { i in
            WindowStatus(id: String(format: "w%02d", i), name: LocalizedText(zh: "\(i)号窗口", en: "Window \(i)"), serviceIds: [],
                         isOpen: true, staff: nil, currentTicketNumber: nil)
        }
        return HallStatus(hallId: "demo-hall", name: LocalizedText(zh: "示范县政务服务中心", en: "Demo County Government Service Centre"),
                          timezone: "Asia/Shanghai", hallDay: "2026-11-23", now: now, todayHours: allDay, isOpenNow: true,
                          services: services, windows: windows)
    }

    /// A freshly issued ticket of the household registration service.
    public static func ticket(now: Date, lookupBase: String = "http://127.0.0.1:8080") -> IssuedTicket {
        IssuedTicket(id: "5f0c1e9a-2d7b-4c51-9a3e-7b1d2f6c8e41", number: "A023",
                     service: ServiceRef(id: "hukou", name: LocalizedText(zh: "户籍办理", en: "Household registration"), prefix: "A"),
                     issuedAt: now, hallDay: "2026-11-23", priority: nil, waitingAhead: 5, estimatedWaitMinutes: 40,
                     token: "q3VxT0b9Qe2LmZk7Yp1RcW4n", lookupUrl: "\(lookupBase)/t/q3VxT0b9Qe2LmZk7Yp1RcW4n", ratingCode: "0427")
    }

    /// Window 1 with 张敏 (工号 1001) serving A024, as a rating device shows it.
    public static func windowPanel() -> WindowPanel {
        WindowPanel(window: WindowRef(id: "w01", name: LocalizedText(zh: "1号窗口", en: "Window 1")),
                    staff: StaffSummary(id: "s01", name: "张敏", employeeNo: "1001", photoUrl: nil),
                    currentTicketNumber: "A024", satisfaction: StaffSatisfactionFigure(goodRate: 0.986, ratings: 214))
    }

    /// The ticket just completed at window 1, to be rated.
    public static func ratingSubject(now: Date) -> RatingSubject {
        let panel = windowPanel()
        let t = ticket(now: now)
        return RatingSubject(ticketId: t.id, ticketNumber: t.number, service: t.service, window: panel.window,
                             staff: panel.staff, completedAt: now)
    }

    /// The same ticket, called to window 3.
    public static func progress(now: Date) -> TicketProgress {
        let t = ticket(now: now)
        return TicketProgress(id: t.id, number: t.number, service: t.service, status: .called, hallDay: t.hallDay, issuedAt: now,
                              priority: nil, waitingAhead: nil, estimatedWaitMinutes: nil,
                              window: WindowRef(id: "w03", name: LocalizedText(zh: "3号窗口", en: "Window 3")),
                              staff: nil, calledAt: now, completedAt: nil, rating: TicketRatingState(canRate: false, rated: false))
    }
}
