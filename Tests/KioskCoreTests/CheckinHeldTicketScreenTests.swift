import Foundation
import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

/// A check-in that took over the number the card holder already held at the service (issue 21): a waiting number
/// moved into the appointment lane says so — same number, now with priority — and a called one is 补打; in both
/// languages, at both text sizes.
final class CheckinHeldTicketScreenTests: XCTestCase {
    let card = CardHolder(idNumber: "11010519491231002X", maskedName: "张*")

    func appointment(status: AppointmentStatus = .checkedIn) -> AppointmentSummary {
        let start = DemoHall.morning.addingTimeInterval(1800)
        return AppointmentSummary(id: "apt-7", source: "hall", service: DemoHall.ticket().service, slotStart: start,
                                  slotEnd: start.addingTimeInterval(1800), status: status, checkinOpensAt: start.addingTimeInterval(-3600),
                                  checkinClosesAt: start.addingTimeInterval(900), maskedId: "1101**********002X", maskedName: "张*")
    }

    /// The kiosk after a card check-in of apt-7 answered with `result`.
    func checkedIn(_ result: CheckinResult, language: Language) -> (KioskHarness, [KioskEffect]) {
        var kiosk = KioskHarness(size: Size(width: 1080, height: 1920), language: language) { $0.display.checkinOffered = true }
        kiosk.send(.cardPlaced(card))
        kiosk.send(.cardLookupArrived(CardLookup(maskedId: "1101**********002X", appointments: [appointment(status: .booked)], pendingTickets: [],
                                                 services: []), requestKey: "boot-1"))
        _ = kiosk.tap(language == .zh ? "签到取号" : "Check in")
        let effects = kiosk.send(.checkedIn(result, intentKey: "boot-2"))
        return (kiosk, effects)
    }

    func shows(_ display: DisplayList, _ text: String) -> Bool {
        display.texts.map(\.string).joined().filter { !$0.isWhitespace }.contains(text.filter { !$0.isWhitespace })
    }

    func testANumberMovedIntoTheAppointmentLaneIsPrintedWithWhatHappened() {
        var ticket = DemoHall.ticket()
        ticket.priority = .appointment
        let result = CheckinResult(ticket: ticket, appointment: appointment(), lane: .appointment, reprint: false,
                                   movedToAppointmentLane: true)
        for (language, said, notSaid) in [(Language.zh, "您的号码已转入预约通道", "补打"), (.en, "Your number now has appointment priority", "Reprint")] {
            let (shown, effects) = checkedIn(result, language: language)
            var kiosk = shown
            guard case .printer(.printTicket(let printed))? = effects.first else { return XCTFail("nothing printed: \(effects)") }
            XCTAssertEqual(printed.number, ticket.number, "the same number on paper")
            XCTAssertEqual(printed.priority, .appointment, "now with its lane")
            XCTAssertEqual(printed.token, ticket.token, "and the same phone page")
            guard case .ticket(let screen) = kiosk.state.screen else { return XCTFail("no ticket screen in \(language)") }
            XCTAssertEqual(screen.notice, .movedToAppointmentLane)
            XCTAssertEqual(screen.ticket.number, ticket.number)
            for large in [false, true] {
                kiosk.state.largeText = large
                XCTAssertTrue(shows(kiosk.display, said), "\(language) large=\(large): \(kiosk.display.texts.map(\.string))")
                XCTAssertFalse(shows(kiosk.display, notSaid), "\(language): not a reprint")
                XCTAssertTrue(shows(kiosk.display, ticket.number))
            }
        }
    }

    func testACalledNumberGivenBackAtCheckInIsAReprint() {
        let ticket = DemoHall.ticket()
        let result = CheckinResult(ticket: ticket, appointment: appointment(), lane: .appointment, reprint: true)
        for (language, said) in [(Language.zh, "补打"), (.en, "Reprint")] {
            let (kiosk, _) = checkedIn(result, language: language)
            guard case .ticket(let screen) = kiosk.state.screen else { return XCTFail("no ticket screen in \(language)") }
            XCTAssertEqual(screen.notice, .reprint)
            XCTAssertTrue(shows(kiosk.display, said), "\(language): \(kiosk.display.texts.map(\.string))")
        }
    }
}
