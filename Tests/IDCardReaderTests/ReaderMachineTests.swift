import XCTest
@testable import IDCardReader

/// The reader loop without a port: scripted inputs, a fake clock.
final class ReaderMachineTests: XCTestCase {
    var machine = ReaderMachine()
    var clock: Duration = .zero
    var events: [ReaderEvent] = []

    let cardData = TextBlock.resident().readReplyData()
    let found = SAMReply(status: .cardFound, data: [0, 0, 0, 0])
    let noCard = SAMReply(status: .noCard)
    let ok = SAMReply(status: .success)
    let selected = SAMReply(status: .success, data: [UInt8](repeating: 0, count: 8))

    @discardableResult
    func feed(_ input: ReaderMachine.Input, expect next: ReaderMachine.Step, file: StaticString = #filePath, line: UInt = #line) -> [ReaderEvent] {
        clock += .milliseconds(10)
        let transition = machine.handle(input, now: clock)
        XCTAssertEqual(transition.next, next, file: file, line: line)
        events += transition.events
        if case let .wait(d) = transition.next { clock += d }
        return transition.events
    }

    var cards: Int { events.filter { if case .cardRead = $0 { true } else { false } }.count }
    var problems: [CardProblem] { events.compactMap { if case let .cardUnreadable(p) = $0 { p } else { nil } } }
    let poll = ReaderMachine.Step.wait(.milliseconds(100))
    let find = ReaderMachine.Step.send(.findCard, timeout: .milliseconds(500))
    let select = ReaderMachine.Step.send(.selectCard, timeout: .milliseconds(500))
    let read = ReaderMachine.Step.send(.readBaseInfo, timeout: .milliseconds(1500))

    func connect() {
        XCTAssertEqual(machine.start(), .connect)
        feed(.connected, expect: .send(.samStatus, timeout: .milliseconds(500)))
        feed(.reply(ok), expect: find)
        XCTAssertEqual(machine.health, ReaderHealth(connected: true, samStatus: .success))
    }

    func placeAndRead() {
        feed(.reply(found), expect: select)
        feed(.reply(selected), expect: read)
        feed(.reply(SAMReply(status: .success, data: cardData)), expect: poll)
    }

    func testOnePlacementGivesOneEventOnAnEdgeTriggeredReader() {
        connect()
        feed(.reply(noCard), expect: poll)
        feed(.waitEnded, expect: find)
        placeAndRead()
        XCTAssertEqual(cards, 1)
        // The card stays; an edge-triggered reader says "no card" from now on.
        for _ in 0..<50 {
            clock = machine.lastSAMCheck  // keep the SAM check out of this loop
            feed(.waitEnded, expect: find)
            feed(.reply(noCard), expect: poll)
        }
        XCTAssertEqual(cards, 1)
        // Lifted and placed again: a second event.
        feed(.waitEnded, expect: find)
        placeAndRead()
        XCTAssertEqual(cards, 2)
    }

    func testTheSAMIsCheckedEveryThreeSeconds() {
        connect()
        feed(.reply(noCard), expect: poll)
        clock = machine.lastSAMCheck + .seconds(3)
        feed(.waitEnded, expect: .send(.samStatus, timeout: .milliseconds(500)))
        feed(.reply(ok), expect: find)
    }

    func testACardLeftOnALevelTriggeredReaderGivesNoSecondEvent() {
        connect()
        placeAndRead()
        for _ in 0..<20 {
            feed(.waitEnded, expect: find)
            feed(.reply(found), expect: poll)
            clock = machine.lastSAMCheck  // keep the SAM check out of this test
        }
        XCTAssertEqual(cards, 1)
        feed(.waitEnded, expect: find)
        feed(.reply(noCard), expect: poll)
        feed(.waitEnded, expect: find)
        placeAndRead()
        XCTAssertEqual(cards, 2)
    }

    func testALostReadReplyIsRetriedOnceThenTheCardIsReported() {
        connect()
        feed(.reply(found), expect: select)
        feed(.reply(selected), expect: read)
        feed(.replyCorrupted, expect: select)
        feed(.reply(selected), expect: read)
        feed(.reply(SAMReply(status: .success, data: cardData)), expect: poll)
        XCTAssertEqual(cards, 1)
        XCTAssertEqual(problems, [])

        // Lifted mid-read: the read times out, the retried select fails.
        clock = machine.lastSAMCheck
        feed(.waitEnded, expect: find)
        feed(.reply(noCard), expect: poll)
        clock = machine.lastSAMCheck
        feed(.waitEnded, expect: find)
        feed(.reply(found), expect: select)
        feed(.reply(selected), expect: read)
        feed(.replyTimedOut, expect: select)
        feed(.reply(SAMReply(status: .selectFailed)), expect: poll)
        XCTAssertEqual(problems, [.removedDuringRead])
        XCTAssertEqual(problems.first?.messageZH, "请将身份证平放在读卡区")
        XCTAssertEqual(problems.first?.messageEN, "Place the card flat on the reader")
    }

    func testACardThatWillNotSelectIsReportedOncePerPlacement() {
        connect()
        for _ in 0..<5 {
            feed(.reply(found), expect: select)
            feed(.reply(SAMReply(status: .selectFailed)), expect: poll)
            clock = machine.lastSAMCheck
            feed(.waitEnded, expect: find)
        }
        XCTAssertEqual(problems, [.selectFailed(.selectFailed)])
        placeAndRead()
        XCTAssertEqual(cards, 1)
    }

    func testAnInvalidCardIsReportedNotRead() {
        connect()
        feed(.reply(found), expect: select)
        feed(.reply(selected), expect: read)
        let bad = TextBlock.resident(number: "110105194912310021").readReplyData()
        feed(.reply(SAMReply(status: .success, data: bad)), expect: poll)
        XCTAssertEqual(cards, 0)
        XCTAssertEqual(problems, [.invalidCard(.badIDNumber("the ID number's check character does not match (GB 11643 MOD 11-2)"))])
        XCTAssertFalse(problems[0].placeAgain)
    }

    func testAFailedSAMIsRecheckedEverySecondAndShowsInHealth() {
        XCTAssertEqual(machine.start(), .connect)
        feed(.connected, expect: .send(.samStatus, timeout: .milliseconds(500)))
        let changes = feed(.reply(SAMReply(status: .samSelfTestFailed)), expect: .wait(.seconds(1)))
        XCTAssertEqual(changes, [.healthChanged(ReaderHealth(connected: true, samStatus: .samSelfTestFailed,
                                                             lastError: "SAM status 60 (the SAM failed its self-test and accepts no commands)"))])
        feed(.waitEnded, expect: .send(.samStatus, timeout: .milliseconds(500)))
        feed(.reply(ok), expect: find)
        XCTAssertEqual(machine.health, ReaderHealth(connected: true, samStatus: .success))
    }

    func testUnpluggedReaderIsReopenedUntilItAnswers() {
        connect()
        feed(.ioFailed("the reader went away: /dev/ttyUSB0 hung up"), expect: .disconnect)
        XCTAssertEqual(machine.health, ReaderHealth(connected: false, lastError: "the reader went away: /dev/ttyUSB0 hung up"))
        feed(.disconnected, expect: .wait(.milliseconds(500)))
        for _ in 0..<3 {
            feed(.waitEnded, expect: .connect)
            feed(.connectFailed("cannot open /dev/ttyUSB0: No such file or directory"), expect: .wait(.milliseconds(500)))
        }
        feed(.waitEnded, expect: .connect)
        feed(.connected, expect: .send(.samStatus, timeout: .milliseconds(500)))
        feed(.reply(ok), expect: find)
        XCTAssertTrue(machine.health.isReady)
        XCTAssertNil(machine.health.lastError)
    }

    func testASilentReaderIsReopenedAfterThreeTimeouts() {
        connect()
        feed(.replyTimedOut, expect: poll)
        feed(.waitEnded, expect: find)
        feed(.replyTimedOut, expect: poll)
        feed(.waitEnded, expect: find)
        feed(.replyTimedOut, expect: .disconnect)
        XCTAssertEqual(machine.health.lastError, "the reader stopped answering (3 commands without a reply)")
        XCTAssertFalse(machine.health.connected)
    }
}
