import Foundation
import HallAPI
import KioskCore
import KioskSDL

/// The device screens of issue 20 for `hallkiosk screenshot`: the kiosk notice on the home screen, the closed screen
/// saying when numbers start again, and the rating device during a break or with the clerk's photo.
extension ScreenshotMaker {
    /// The screens this file adds to `--screen` (the window screen's are in `SampleBoard.screens`).
    public static let deviceScreens = ["home-notice", "closed-lunch", "closed-tomorrow", "closed-weekday", "closed-holiday",
                                       "rating-idle-break", "rating-idle-photo"]

    /// The URL of the sample clerk's photo (`--photo` is registered under it).
    static let samplePhotoUrl = "/staff-photos/s01"

    /// The hall's notice, as a hall manager would write it (both languages).
    static let sampleNotice = LocalizedText(zh: "本中心 12 月 8 日（周二）下午进行系统升级，13:30–15:00 暂停不动产登记业务，请合理安排时间。",
                                            en: "System upgrade on Tuesday 8 December: real estate registration is closed 13:30–15:00 that afternoon.")

    /// The state for one of `deviceScreens`, or nil when `screen` is none of them. `photo`: registered under the
    /// sample clerk's photo URL when given.
    static func deviceState(screen: String, state: KioskState, uptime: Uptime, photo: Bool) -> KioskState? {
        guard deviceScreens.contains(screen) else { return nil }
        var state = state
        switch screen {
        case "home-notice":
            state.hall?.notice = sampleNotice
        case "closed-lunch", "closed-tomorrow", "closed-weekday", "closed-holiday":
            guard var hall = state.hall else { return nil }
            let hours = [OpeningSession(start: "08:30", end: "12:00"), OpeningSession(start: "13:30", end: "17:00")]
            hall.isOpenNow = false
            hall.todayHours = screen == "closed-holiday" ? [] : hours
            for index in hall.services.indices {
                var service = hall.services[index]
                service.state = .closed
                // Services open at different times: the earliest one is what the hall says.
                let late = index % 3 == 1
                switch screen {
                case "closed-lunch":
                    service.reason = .betweenSessions
                    service.opensAt = late ? "14:00" : "13:30"
                case "closed-tomorrow":
                    service.reason = .afterClosing
                    service.nextOpening = NextOpening(day: "2026-11-24", weekday: 3, inDays: 1, start: late ? "09:00" : "08:30")
                case "closed-weekday":
                    // Friday evening: the weekend is closed, Monday opens.
                    service.reason = .afterClosing
                    service.nextOpening = NextOpening(day: "2026-11-30", weekday: 2, inDays: 3, start: late ? "09:00" : "08:30")
                default:
                    // National Day week: closed dates until the 8th (a make-up workday, Saturday, gets Monday's hours).
                    service.reason = .closedDate
                    service.nextOpening = NextOpening(day: "2026-10-08", weekday: 5, inDays: 7, start: late ? "09:00" : "08:30")
                }
                hall.services[index] = service
            }
            state.hall = hall
            state.screen = .closed(todayHours: hall.todayHours)
        case "rating-idle-break":
            var panel = SampleHall.windowPanel()
            panel.currentTicketNumber = nil
            panel.breakReason = "午休 · 13:30 回来"
            if photo { show(photo: &state, panel: &panel) }
            state.window = panel
            state.screen = .ratingIdle
        default:
            var panel = SampleHall.windowPanel()
            if photo { show(photo: &state, panel: &panel) }
            state.window = panel
            state.screen = .ratingIdle
        }
        return state
    }

    private static func show(photo state: inout KioskState, panel: inout WindowPanel) {
        panel.staff?.photoUrl = samplePhotoUrl
        panel.photoReady = true
        state.photosReady.insert(samplePhotoUrl)
    }

    /// Registers `--photo FILE` as the sample clerks' photo (`s01` at the rating device, `s03` at window 3), decoded as
    /// the devices decode a photo from the hall server; the reason when it cannot be used.
    static func registerSamplePhoto(_ path: String, in window: KioskWindow) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KioskConfigError("--photo '\(path)' cannot be read; give a PNG or JPEG file")
        }
        do {
            for url in [samplePhotoUrl, SampleBoard.samplePhotoUrl] {
                try window.images.register(WindowPanel.photoImageName(url), data: data)
            }
        } catch {
            throw KioskConfigError("--photo '\(path)': \(error)")
        }
    }
}
