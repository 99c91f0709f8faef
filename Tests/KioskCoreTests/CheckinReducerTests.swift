import Foundation
import HallAPI
import HallTestSupport
import XCTest
@testable import KioskCore

/// The check-in screens (issue 21 item 7): a placed card starts a lookup; the appointment is offered with one button,
/// else the services with the holder's own refusals, else the pending ticket with 补打; booking codes check in; every
/// refusal is worded; offline refuses at once; the card holder is forgotten when the flow ends.
final class CheckinReducerTests: XCTestCase {
    static let canary = "11010519491231002X"
    let card = CardHolder(idNumber: canary, maskedName: "张*")

    func kiosk(size: Size = Size(width: 1080, height: 1920), language: Language = .zh) -> KioskHarness {
        KioskHarness(size: size, language: language) { $0.display.checkinOffered = true }
    }

    func appointment(status: AppointmentStatus = .booked) -> AppointmentSummary {
        let start = DemoHall.morning.addingTimeInterval(1800)
        return AppointmentSummary(id: "apt-7", source: "hall", service: DemoHall.ticket().service, slotStart: start,
                                  slotEnd: start.addingTimeInterval(1800), status: status, checkinOpensAt: start.addingTimeInterval(-3600),
                                  checkinClosesAt: start.addingTimeInterval(900), maskedId: "1101**********002X", maskedName: "张*")
    }

    func lookup(appointments: [AppointmentSummary] = [], pending: [IssuedTicket] = [],
                refusals: [String: String] = [:]) -> CardLookup {
        CardLookup(maskedId: "1101**********002X", appointments: appointments, pendingTickets: pending,
                   services: DemoHall.status().services.map { PersonServiceState(serviceId: $0.id, refusal: refusals[$0.id]) })
    }

    /// No card anywhere in the state: not on screen, not in the scan buffer.
    func assertCardForgotten(_ state: KioskState, file: StaticString = #filePath, line: UInt = #line) {
        if case .checkin(let screen) = state.screen { XCTAssertNil(screen.card, "card still on screen", file: file, line: line) }
        XCTAssertFalse(state.scanBuffer.contains(Self.canary), file: file, line: line)
    }

    func testTheHomeScreenInvitesACardAndABookingCode() {
        let kiosk = kiosk()
        XCTAssertTrue(kiosk.display.containsText("刷身份证取号"))
        XCTAssertNotNil(kiosk.display.tapPoint(forLabelContaining: "预约码签到"))
        let plain = KioskHarness()
        XCTAssertFalse(plain.display.containsText("刷身份证取号"), "no reader configured: no invitation")
    }

    func testAPlacedCardLooksUpAndOffersTheAppointmentWithOneButton() throws {
        var kiosk = kiosk()
        XCTAssertEqual(kiosk.send(.cardPlaced(card)), [.hall(.lookupCard(card, requestKey: "boot-1"))])
        XCTAssertEqual(kiosk.state.screen.name, .checkin)
        XCTAssertTrue(kiosk.display.containsText("张*，您好"))
        XCTAssertFalse(kiosk.display.texts.contains { $0.string.contains(Self.canary) }, "only the masked number is drawn")
        kiosk.send(.cardLookupArrived(lookup(appointments: [appointment()]), requestKey: "boot-1"))
        XCTAssertTrue(kiosk.display.containsText("您今天的预约"))
        XCTAssertTrue(kiosk.display.containsText("户籍办理"))
        XCTAssertTrue(kiosk.display.containsText("预约时段 10:00–10:30"), "slot in the hall's time zone")
        XCTAssertNil(kiosk.display.tapPoint(forLabelContaining: "补打"))
        let button = try XCTUnwrap(kiosk.display.tapPoint(forLabelContaining: "签到取号"))
        let effects = kiosk.tap("签到取号")
        XCTAssertEqual(effects, [.hall(.submitCheckin(.appointment(id: "apt-7"), card: card, intentKey: "boot-2"))])
        XCTAssertTrue(kiosk.display.containsText("正在为您取号，请稍候…"))
        kiosk.send(.touchDown(x: button.x, y: button.y))
        XCTAssertEqual(kiosk.send(.touchUp(x: button.x, y: button.y)), [], "a second tap while checking in sends nothing")
        var ticket = DemoHall.ticket()
        ticket.priority = .appointment
        let shown = kiosk.send(.checkedIn(CheckinResult(ticket: ticket, appointment: appointment(status: .checkedIn), lane: .appointment,
                                                        reprint: false), intentKey: "boot-2"))
        XCTAssertEqual(shown, [.printer(.printTicket(ticket)), .sound(.ticketIssued), .hall(.fetchHallStatus)])
        XCTAssertTrue(kiosk.display.containsText("预约取号 · 优先叫号"), "the appointment lane is said on the ticket")
        XCTAssertTrue(kiosk.display.containsText("A023"))
        let payloads = kiosk.display.items.compactMap { item -> String? in
            if case .qr(let payload, _) = item { return payload }
            return nil
        }
        XCTAssertEqual(payloads, [ticket.lookupUrl], "the ticket's QR holds its phone page only")
        XCTAssertFalse(payloads.contains { $0.contains(Self.canary) })
        assertCardForgotten(kiosk.state)
    }

    func testWithoutAnAppointmentTheServicesShowTheHoldersOwnRefusals() {
        var kiosk = kiosk()
        kiosk.send(.cardPlaced(card))
        kiosk.send(.cardLookupArrived(lookup(refusals: ["hukou": APIErrorKind.personDailyLimitReached.rawValue]), requestKey: "boot-1"))
        XCTAssertTrue(kiosk.display.containsText("您今天在此业务的取号次数已满"))
        let hukou = kiosk.display.hitRegions.first { $0.action == .takeNumberWithCard(serviceId: "hukou") }
        XCTAssertEqual(hukou?.enabled, false, "a refused service cannot be pressed")
        let idcard = kiosk.display.hitRegions.first { $0.action == .takeNumberWithCard(serviceId: "idcard") }
        XCTAssertEqual(idcard?.enabled, true)
        let effects = kiosk.tap("身份证办理")
        XCTAssertEqual(effects, [.hall(.submitCheckin(.walkIn(serviceId: "idcard"), card: card, intentKey: "boot-2"))])
        var same = DemoHall.ticket()
        same.existing = true
        kiosk.send(.cardTicketIssued(same, intentKey: "boot-2"))
        guard case .ticket(let screen) = kiosk.state.screen else { return XCTFail("expected the ticket") }
        XCTAssertEqual(screen.notice, .reprint, "the same ticket again is a 补打")
        XCTAssertTrue(kiosk.display.containsText("补打：这是您已取的号码，请勿重复取号"))
    }

    func testAPendingTicketIsOfferedForReprint() {
        var kiosk = kiosk()
        kiosk.send(.cardPlaced(card))
        let pending = DemoHall.ticket()
        kiosk.send(.cardLookupArrived(lookup(pending: [pending]), requestKey: "boot-1"))
        XCTAssertTrue(kiosk.display.containsText("您已取号 A023 · 户籍办理"))
        XCTAssertEqual(kiosk.tap("补打号票"), [.printer(.printTicket(pending)), .sound(.ticketIssued), .hall(.fetchHallStatus)])
        guard case .ticket(let screen) = kiosk.state.screen else { return XCTFail("expected the ticket") }
        XCTAssertEqual(screen.notice, .reprint)
        assertCardForgotten(kiosk.state)
    }

    /// Whether `text` is drawn, possibly wrapped over several lines (white space ignored).
    func shows(_ display: DisplayList, _ text: String) -> Bool {
        let drawn = display.texts.map(\.string).joined().filter { !$0.isWhitespace }
        return drawn.contains(text.filter { !$0.isWhitespace })
    }

    func testEveryRefusalIsWordedInBothLanguages() {
        let opens = DemoHall.morning.addingTimeInterval(3600)  // 10:30 in Shanghai
        let cases: [(CheckinRefusal, String, String)] = [
            (.tooEarly(opensAt: opens), "请于 10:30 后签到", "Check-in opens at 10:30"),
            (.tooLate, "已过签到时间", "Too late"),
            (.banned(until: DemoHall.morning.addingTimeInterval(10 * 86400)), "12月2日", "2 December"),
            (.dailyLimit, "取号次数已满", "today's limit"),
            (.idCardRequired, "此业务须刷身份证取号", "needs your ID card"),
            (.placeCardAgain, "请将身份证平放在读卡区", "Place the card flat on the reader"),
            (.unknownBookingCode, "预约码无效", "Unknown booking code"),
            (.offline, "网络不通，现在不能刷证取号或签到", "No connection"),
        ]
        for (refusal, zh, en) in cases {
            for (language, expected, other) in [(Language.zh, zh, en), (.en, en, zh)] {
                var kiosk = kiosk(language: language)
                kiosk.state.screen = .checkin(CheckinScreen(card: nil, phase: .refused(refusal), requestStartedAt: kiosk.state.uptime))
                XCTAssertTrue(shows(kiosk.display, expected), "\(refusal) in \(language): \(expected)")
                XCTAssertTrue(shows(kiosk.display, other), "\(refusal): the other language under it")
                for large in [false, true] {
                    kiosk.state.largeText = large
                    XCTAssertTrue(shows(kiosk.display, expected), "\(refusal) large=\(large)")
                }
            }
        }
    }

    func testServerRefusalsMapToTheirReasonsAndDropTheCard() {
        var kiosk = kiosk()
        kiosk.send(.cardPlaced(card))
        kiosk.send(.cardLookupArrived(lookup(appointments: [appointment()]), requestKey: "boot-1"))
        kiosk.tap("签到取号")
        let opens = DemoHall.morning.addingTimeInterval(1800)
        let effects = kiosk.send(.checkinRefused(CheckinFailure(refusal: CheckinRefusal(apiErrorCode: "checkinTooEarly", at: opens),
                                                                message: "too early"), key: "boot-2"))
        XCTAssertEqual(effects, [.sound(.error), .hall(.fetchHallStatus)])
        XCTAssertTrue(kiosk.display.containsText("请于 10:00 后签到"))
        assertCardForgotten(kiosk.state)
        XCTAssertEqual(CheckinRefusal(apiErrorCode: "bookingBanned", at: opens), .banned(until: opens))
        XCTAssertEqual(CheckinRefusal(apiErrorCode: "invalidIDNumber"), .placeCardAgain)
        XCTAssertEqual(CheckinRefusal(apiErrorCode: "appointmentNotFound"), .unknownBookingCode)
        XCTAssertEqual(CheckinRefusal(apiErrorCode: nil), .offline)
    }

    func testOfflineRefusesACardAtOnceAndSendsNothing() {
        var kiosk = kiosk()
        kiosk.send(.hallUnreachable(error: "connection refused", at: DemoHall.morning))
        kiosk.advance(kiosk.context.offlineGraceSeconds + 1)
        XCTAssertEqual(kiosk.state.screen.name, .offline)
        XCTAssertEqual(kiosk.send(.cardPlaced(card)), [.sound(.error)])
        XCTAssertTrue(kiosk.display.containsText("网络不通，现在不能刷证取号或签到"))
        assertCardForgotten(kiosk.state)
    }

    func testALookupWithoutAnswerIsRefusedAsOfflineAtTheTimeout() {
        var kiosk = kiosk()
        kiosk.send(.cardPlaced(card))
        kiosk.advance(kiosk.context.issueTimeoutSeconds + 1)
        guard case .checkin(let screen) = kiosk.state.screen else { return XCTFail("expected check-in") }
        XCTAssertEqual(screen.phase, .refused(.offline))
        assertCardForgotten(kiosk.state)
        XCTAssertEqual(kiosk.send(.cardLookupArrived(lookup(), requestKey: "boot-1")), [], "a late answer is dropped")
        XCTAssertEqual(screen.phase, .refused(.offline))
    }

    func testTheIdleTimeoutAndDoneForgetTheCardHolder() {
        var kiosk = kiosk()
        kiosk.send(.cardPlaced(card))
        kiosk.send(.cardLookupArrived(lookup(), requestKey: "boot-1"))
        kiosk.advance(kiosk.context.idleTimeoutSeconds + 1)
        XCTAssertEqual(kiosk.state.screen.name, .home)
        kiosk.send(.cardPlaced(card))
        kiosk.send(.cardLookupArrived(lookup(), requestKey: "boot-2"))
        kiosk.advance(2)
        kiosk.tap("完成")
        XCTAssertEqual(kiosk.state.screen.name, .home)
        assertCardForgotten(kiosk.state)
    }

    func testAnUnreadableCardSaysPlaceItFlat() {
        var kiosk = kiosk()
        XCTAssertEqual(kiosk.send(.cardUnreadable(placeAgain: true)), [.sound(.error)])
        XCTAssertTrue(kiosk.display.containsText("请将身份证平放在读卡区"))
        kiosk.send(.cardUnreadable(placeAgain: false))
        XCTAssertTrue(kiosk.display.containsText("无法识别此证件，请到窗口办理"))
    }

    func testAScannedBookingCodeChecksInStraightAway() {
        var kiosk = kiosk()
        let effects = kiosk.send(.text("K7M2Q9XDPT\r"))
        XCTAssertEqual(effects, [.hall(.submitCheckin(.bookingCode("K7M2Q9XDPT"), card: nil, intentKey: "boot-1"))])
        kiosk.send(.checkinRefused(CheckinFailure(refusal: .unknownBookingCode, message: "no such code"), key: "boot-1"))
        XCTAssertTrue(kiosk.display.containsText("预约码无效，或不是今天的预约"))
        kiosk.tap("重新输入")
        for key in ["K", "7", "M", "2", "Q", "9", "X", "D", "P", "T"] { kiosk.tap(key) }
        XCTAssertTrue(kiosk.display.containsText("K7M2Q9XDPT"))
        XCTAssertEqual(kiosk.tap("签到取号"), [.hall(.submitCheckin(.bookingCode("K7M2Q9XDPT"), card: nil, intentKey: "boot-2"))])
        // A ticket number (shorter) still looks the ticket up, as before.
        var other = self.kiosk()
        XCTAssertEqual(other.send(.text("A023\r")), [.hall(.lookupTicket(.number("A023")))])
        // Without check-in an 8-character scan stays a ticket lookup, as before.
        var plain = KioskHarness()
        XCTAssertEqual(plain.send(.text("K7M2Q9XD\r")), [.hall(.lookupTicket(.number("K7M2Q9XD")))])
    }

    func testTheCardHolderNeverShowsInDescriptions() {
        let texts = [String(describing: card), String(reflecting: card), "\(card)",
                     String(describing: KioskEffect.hall(.lookupCard(card, requestKey: "k"))),
                     String(describing: KioskEvent.cardPlaced(card))]
        var dumped = ""
        dump(card, to: &dumped)
        for text in texts + [dumped] {
            XCTAssertFalse(text.contains(Self.canary), text)
            XCTAssertFalse(text.contains("110105194912"), text)
        }
        XCTAssertTrue(String(describing: card).contains("1101**********002X"))
    }
}
