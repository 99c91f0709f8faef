import Foundation
import XCTest
@testable import IDCardReader

/// The reader service against `kiosk/idcard-sim` over a real pseudo-terminal at 115200-baud pacing.
final class SimulatedReaderTests: XCTestCase {
    var sim: ReaderSimulator!
    var service: IDCardReaderService!
    var recorder: EventRecorder!

    func start(cards: String = ReaderSimulator.sampleCards) throws {
        sim = try ReaderSimulator(cards: cards)
        service = IDCardReaderService(device: .path(sim.link))
        recorder = EventRecorder(service)
        service.start()
        XCTAssertNotNil(recorder.wait(timeout: .seconds(5)) { $0.health?.isReady == true }, "connected, SAM 90")
    }

    override func tearDown() {
        service?.stop()
        recorder?.cancel()
        sim?.stop()
        super.tearDown()
    }

    /// Waits `duration` and returns the events that came meanwhile.
    func eventsDuring(_ duration: Duration) -> [ReaderEvent] {
        let before = recorder.count
        Thread.sleep(forTimeInterval: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        return Array(recorder.all.dropFirst(before))
    }

    /// Lifts the card and waits until the reader has seen the empty field (two finds answered).
    func liftCard(file: StaticString = #filePath, line: UInt = #line) {
        sim.send("remove", file: file, lineNumber: line)
        XCTAssertTrue(sim.waitForFinds(2, timeout: 5), "the reader polls the empty field", file: file, line: line)
    }

    @discardableResult
    func placeAndWaitForCard(_ name: String, timeout: Duration = .seconds(3), file: StaticString = #filePath, line: UInt = #line) -> (IDCard, Duration)? {
        let from = recorder.count
        let placed = ContinuousClock.now
        sim.send("place \(name)", file: file, lineNumber: line)
        guard let (event, at) = recorder.wait(from: from, timeout: timeout, { $0.isCard }), case let .cardRead(card) = event else {
            XCTFail("no card event for \(name) within \(timeout): \(recorder.all.dropFirst(from))", file: file, line: line)
            return nil
        }
        return (card, at - placed)
    }

    func testEverySampleCardKindReadsOverThePty() throws {
        try start()
        var latencies: [Duration] = []
        let expected: [(String, IDCard.Kind, String)] = [
            ("zhang-wei", .residentID, "1101**********1239"),
            ("li-na", .residentID, "4301**********4562"),
            ("chan-tai-man", .hongKongMacaoTaiwanPermit, "8100**********7899"),
            ("john-smith", .foreignPermanentResident2017, "USA1*******1207"),
            ("maria-garcia", .foreignPermanentResident2023, "9111**********3014"),
        ]
        for (name, kind, masked) in expected {
            guard let (card, latency) = placeAndWaitForCard(name) else { continue }
            XCTAssertEqual(card.kind, kind, name)
            XCTAssertEqual(card.idNumber.masked, masked, name)
            latencies.append(latency)
            liftCard()
        }
        let zhang = recorder.cards.first
        XCTAssertEqual(zhang?.name.clearText, "张伟")
        XCTAssertEqual(zhang?.address?.clearText, "北京市朝阳区示例路1号院2号楼3单元401室")
        XCTAssertEqual(recorder.cards.map(\.validUntil)[1], .longTerm)
        XCTAssertEqual(recorder.problems, [])
        // Placed → event: one poll interval at most, plus find, select and the 1,295-byte reply at 115200 baud (≥ 112 ms).
        let worst = latencies.max() ?? .zero
        XCTAssertGreaterThanOrEqual(latencies.min() ?? .zero, .milliseconds(112), "paced at 115200 baud")
        XCTAssertLessThan(worst, .seconds(1), "well under a second even on a busy machine")
        print("placed → card event: \(latencies.map { "\($0.components.attoseconds / 1_000_000_000_000_000) ms" })")
        // Nothing the service handed out shows a number in clear.
        let numbers = ["110105199003071239", "430102196206154562", "810000199202087899", "USA110088051207", "911172419910203014"]
        for event in recorder.all {
            var dumped = ""
            dump(event, to: &dumped)
            for number in numbers {
                XCTAssertFalse("\(event)".contains(number) || dumped.contains(number) || String(reflecting: event).contains(number))
            }
        }
    }

    func testOnePlacementGivesOneEventOnEdgeAndLevelReaders() throws {
        try start()
        for mode in ["edge", "level"] {
            sim.send("mode \(mode)")
            placeAndWaitForCard("zhang-wei")
            let later = eventsDuring(.seconds(1))
            XCTAssertEqual(later.filter(\.isCard).count, 0, "\(mode): the card left on the reader gives no second event")
            liftCard()
            placeAndWaitForCard("zhang-wei")
            liftCard()
        }
        XCTAssertEqual(recorder.cards.count, 4)
        XCTAssertEqual(recorder.problems, [])
    }

    /// Frame faults on the read reply: the lost reply is retried; broken frames on the other replies only cost a poll.
    func testFrameFaultsStillGiveExactlyOneCard() throws {
        try start()
        for (fault, target) in [("garbage", "read"), ("split", "read"), ("bad-checksum", "read"), ("wrong-length", "read"),
                                ("garbage", "find"), ("bad-checksum", "find"), ("split", "select"), ("wrong-length", "select"),
                                ("bad-checksum", "select")] {
            sim.send("fault \(fault) 1 \(target)")
            guard placeAndWaitForCard("li-na", timeout: .seconds(4)) != nil else { continue }
            let later = eventsDuring(.milliseconds(500))
            XCTAssertEqual(later.filter(\.isCard).count, 0, "\(fault) on \(target)")
            liftCard()
            XCTAssertTrue(sim.send("status").contains("faults=none"), "the \(fault) fault on \(target) was used")
        }
        XCTAssertEqual(recorder.cards.count, 9)
        XCTAssertEqual(recorder.problems, [], "no lost reply was blamed on the card")
    }

    func testNoCardThenSelectAndReadFailures() throws {
        try start()
        sim.send("fault no-card 5")
        guard let (_, delayed) = placeAndWaitForCard("zhang-wei") else { return }
        XCTAssertGreaterThanOrEqual(delayed, .milliseconds(500), "five polls said 'no card'")
        liftCard()

        for (fault, problem) in [("select-fail", CardProblem.selectFailed(.selectFailed)), ("read-fail", .readFailed(.readFailed))] {
            sim.send("fault \(fault)")
            let from = recorder.count
            placeAndWaitForCard("zhang-wei")
            let events = Array(recorder.all.dropFirst(from))
            XCTAssertEqual(events.filter { !$0.isCard && !$0.isProblem }.count, 0, "\(events)")
            XCTAssertEqual(events.filter(\.isProblem), [.cardUnreadable(problem)], "the failure first, then the card on the next poll")
            XCTAssertEqual(events.last.map(\.isCard), true)
            liftCard()
        }
    }

    func testACardRemovedMidReadAsksToPlaceItFlat() throws {
        try start()
        sim.send("fault removed-mid-read")
        sim.send("place zhang-wei")
        let reported = recorder.wait(timeout: .seconds(4)) { $0.isProblem }
        XCTAssertEqual(reported?.event, .cardUnreadable(.removedDuringRead))
        if case let .cardUnreadable(problem) = reported?.event {
            XCTAssertEqual(problem.messageZH, "请将身份证平放在读卡区")
            XCTAssertEqual(problem.messageEN, "Place the card flat on the reader")
        }
        XCTAssertEqual(recorder.cards.count, 0)
        XCTAssertEqual(eventsDuring(.milliseconds(500)).filter(\.isProblem).count, 0, "reported once")
        placeAndWaitForCard("zhang-wei")
    }

    func testAnInvalidCardIsRefusedWithItsReason() throws {
        let cards = NSTemporaryDirectory() + "idcard-cards-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: cards, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: cards) }
        let card = """
        {"kind": "resident", "name": "赵错", "gender": "1", "ethnic": "01", "birth": "19900307", "address": "示例地址",
         "idNumber": "110105199003071230", "authority": "示例分局", "validFrom": "20150307", "validTo": "20350307"}
        """
        try card.write(toFile: cards + "/bad-check.json", atomically: true, encoding: .utf8)
        try start(cards: cards)
        XCTAssertTrue(sim.allLines().contains("warning \(cards)/bad-check.json: idNumber fails the GB 11643 check character"))
        sim.send("place bad-check")
        let reported = recorder.wait(timeout: .seconds(3)) { $0.isProblem }
        XCTAssertEqual(reported?.event, .cardUnreadable(.invalidCard(.badIDNumber("the ID number's check character does not match (GB 11643 MOD 11-2)"))))
        XCTAssertEqual(eventsDuring(.milliseconds(500)).count, 0, "reported once; a card left there says nothing more")
        XCTAssertEqual(recorder.cards.count, 0)
    }

    func testASAMFailureShowsInHealthAndRecovers() throws {
        try start()
        sim.send("sam-fail")
        let failed = recorder.wait(timeout: .seconds(2)) { $0.health?.samStatus == .samSelfTestFailed }
        XCTAssertNotNil(failed)
        XCTAssertEqual(service.health.samStatus, .samSelfTestFailed)
        XCTAssertEqual(service.health.lastError, "SAM status 60 (the SAM failed its self-test and accepts no commands)")
        sim.send("place zhang-wei")
        XCTAssertEqual(eventsDuring(.milliseconds(500)).filter(\.isCard).count, 0, "no card while the SAM is down")
        let from = recorder.count
        sim.send("sam-ok")
        XCTAssertNotNil(recorder.wait(from: from, timeout: .seconds(2)) { $0.health?.isReady == true })
        XCTAssertNotNil(recorder.wait(from: from, timeout: .seconds(2)) { $0.isCard }, "the card lying there is read once the SAM is back")
    }

    func testUnpluggedReaderReconnectsWithinThreeSecondsOfReplug() throws {
        try start()
        for round in 1...3 {
            var from = recorder.count
            sim.send("unplug")
            let gone = recorder.wait(from: from, timeout: .seconds(2)) { $0.health?.connected == false }
            XCTAssertNotNil(gone, "round \(round): the unplug is noticed")
            XCTAssertFalse(service.health.connected)
            Thread.sleep(forTimeInterval: 1)
            from = recorder.count
            let replugged = ContinuousClock.now
            sim.send("replug")
            guard let (_, back) = recorder.wait(from: from, timeout: .seconds(3), { $0.health?.isReady == true }) else {
                XCTFail("round \(round): not reconnected within 3 s of the replug: \(service.health)")
                continue
            }
            let took = back - replugged
            XCTAssertLessThan(took, .seconds(3))
            print("round \(round): reconnected \(took) after the replug")
            placeAndWaitForCard("zhang-wei")
            liftCard()
        }
        XCTAssertEqual(recorder.cards.count, 3)
    }

    func testASilentReaderIsReopened() throws {
        try start()
        let from = recorder.count
        sim.send("fault silent 3")
        let down = recorder.wait(from: from, timeout: .seconds(4)) { $0.health?.connected == false }
        XCTAssertEqual(down?.event.health?.lastError, "the reader stopped answering (3 commands without a reply)")
        XCTAssertNotNil(recorder.wait(from: from, timeout: .seconds(3)) { $0.health?.isReady == true })
        placeAndWaitForCard("chan-tai-man")
    }

    /// What `hallkiosk doctor` uses: one SAM status exchange on a port nobody else holds.
    func testTheProbeReportsSAMStatusAndClearErrors() throws {
        sim = try ReaderSimulator()
        XCTAssertEqual(IDCardReaderService.probe(device: .path(sim.link)), ReaderHealth(connected: true, samStatus: .success))
        sim.send("sam-fail")
        let failed = IDCardReaderService.probe(device: .path(sim.link))
        XCTAssertEqual(failed.samStatus, .samSelfTestFailed)
        XCTAssertFalse(failed.isReady)
        sim.send("fault silent 1")
        XCTAssertEqual(IDCardReaderService.probe(device: .path(sim.link), timeout: .milliseconds(300)).lastError,
                       "\(sim.link) opened but the reader did not answer the SAM status command within 0.3 seconds")
        sim.send("unplug")
        XCTAssertEqual(IDCardReaderService.probe(device: .path(sim.link)).lastError, "cannot open \(sim.link): No such file or directory")
        XCTAssertEqual(IDCardReaderService.probe(device: .path("/dev/null")).lastError,
                       "not a serial port: /dev/null: Inappropriate ioctl for device")
    }
}
