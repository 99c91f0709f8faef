import Foundation
import HallAPI
import XCTest
@testable import KioskCore

/// The calling display's rules: what is shown, highlighted and said, and when — on a fake clock.
final class BoardReducerTests: XCTestCase {
    typealias F = BoardFixtures

    func testBeforeTheFirstSnapshotTheScreenSaysItIsConnecting() {
        let board = BoardHarness()
        XCTAssertTrue(board.texts.contains("正在连接叫号服务器…"), "\(board.texts)")
        XCTAssertEqual(board.state.link, .connecting(since: board.uptime))
    }

    func testTheFirstSnapshotIsShownAndNothingInItIsSaid() {
        var board = BoardHarness()
        let calls = [F.call(9, "A003", window: 1, at: F.start.addingTimeInterval(-5)),
                     F.call(8, "A002", window: 2, at: F.start.addingTimeInterval(-50))]
        board.send(.snapshot(F.board(calls: calls, lastEventId: 9)))
        XCTAssertEqual(board.announced, [], "a display that (re)starts must not say a call a second time")
        XCTAssertEqual(board.state.link, .live)
        XCTAssertEqual(board.state.featured?.eventId, 9)
        XCTAssertFalse(board.state.calls.contains { board.state.isHighlighted($0) })
        XCTAssertTrue(board.texts.contains("A003") && board.texts.contains("A002"), "\(board.texts)")
        XCTAssertFalse(board.texts.contains("新"), "nothing is new after a start")
    }

    func testANewCallIsSaidOnceFeaturedAndHighlightedForEightSeconds() {
        var board = BoardHarness()
        board.send(.snapshot(F.board(lastEventId: 10)))
        let call = F.call(11, "A004", window: 2, at: F.start)
        board.send(.hallEvent(F.called(call, waiting: 3)))
        XCTAssertEqual(board.announced, [call])
        XCTAssertEqual(board.state.featured?.eventId, 11)
        XCTAssertTrue(board.texts.contains("A004") && board.texts.contains("新"), "\(board.texts)")
        XCTAssertTrue(board.texts.contains("3 人"), "the event's waiting count is shown: \(board.texts)")
        // The same event again (a replay) and an older one change nothing and say nothing.
        board.send(.hallEvent(F.called(call)))
        board.send(.hallEvent(F.called(F.call(7, "A001", window: 1, at: F.start))))
        XCTAssertEqual(board.announced, [call])
        XCTAssertEqual(board.state.calls.map(\.call.number), ["A004"])
        board.advance(7.9)
        XCTAssertTrue(board.state.isHighlighted(board.state.calls[0]))
        board.advance(0.2)
        XCTAssertFalse(board.state.isHighlighted(board.state.calls[0]))
        XCTAssertFalse(board.texts.contains("新"))
        XCTAssertTrue(board.texts.contains("A004"), "the call stays featured, no longer highlighted")
    }

    func testTheBlinkIsAtMostThreeTimesASecondAndStopsWithinFiveSeconds() {
        var board = BoardHarness()
        board.send(.snapshot(F.board(lastEventId: 10)))
        board.send(.hallEvent(F.called(F.call(11, "A004", window: 2, at: F.start))))
        var toggles: [Double] = []
        var last = board.display
        for step in 1...200 {
            board.advance(0.05)
            if board.display != last { toggles.append(Double(step) * 0.05) }
            last = board.display
        }
        let blinkToggles = toggles.filter { $0 < 7.9 }
        XCTAssertFalse(blinkToggles.isEmpty, "a new call blinks")
        XCTAssertLessThanOrEqual(blinkToggles.last ?? 0, 5, "the blink stops within 5 s: \(toggles)")
        for second in 0..<5 {
            let inSecond = blinkToggles.filter { $0 > Double(second) && $0 <= Double(second + 1) }.count
            XCTAssertLessThanOrEqual(inSecond, 6, "at most 3 blinks (6 changes) in second \(second): \(toggles)")
        }
    }

    func testARecallMovesTheTicketToTheTopSaysRecallAndIsSaidAgain() {
        var board = BoardHarness()
        board.send(.snapshot(F.board(lastEventId: 10)))
        let first = F.call(11, "A001", window: 1, at: F.start)
        let second = F.call(12, "A002", window: 2, at: F.start.addingTimeInterval(1))
        board.send(.hallEvent(F.called(first)))
        board.send(.hallEvent(F.called(second)))
        let recall = F.call(13, "A001", window: 1, at: F.start.addingTimeInterval(2), recall: 1)
        board.send(.hallEvent(F.called(recall)))
        XCTAssertEqual(board.state.calls.map(\.call.number), ["A002", "A001"].reversed(), "one row per ticket, the recall on top")
        XCTAssertEqual(board.announced.map(\.eventId), [11, 12, 13])
        XCTAssertTrue(board.texts.contains("重呼"), "a recall says 重呼, not only a colour: \(board.texts)")
    }

    func testAPriorityTicketIsMarkedInWords() {
        var board = BoardHarness()
        board.send(.snapshot(F.board(lastEventId: 10)))
        board.send(.hallEvent(F.called(F.call(11, "A009", window: 1, at: F.start, priority: .elderly))))
        XCTAssertTrue(board.texts.contains("老年人优先"), "\(board.texts)")
    }

    func testAWindowScreenShowsAndSaysOnlyItsOwnCalls() {
        var board = BoardHarness(role: .window(id: "w02"), size: Size(width: 1280, height: 400))
        board.send(.snapshot(F.board(lastEventId: 10)))
        XCTAssertTrue(board.texts.contains("等候叫号"), "open, nothing called: \(board.texts)")
        board.send(.hallEvent(F.called(F.call(11, "A001", window: 1, at: F.start))))
        XCTAssertEqual(board.announced, [])
        XCTAssertFalse(board.texts.contains("A001"))
        board.send(.hallEvent(F.called(F.call(12, "A002", window: 2, at: F.start))))
        XCTAssertEqual(board.announced.map(\.number), ["A002"])
        XCTAssertTrue(board.texts.contains("A002") && board.texts.contains("呼叫中"), "\(board.texts)")
        XCTAssertTrue(board.texts.contains { $0.contains("职员2") }, "the clerk on duty: \(board.texts)")
        // The clerk logs out: 暂停服务.
        board.send(.hallEvent(HallEvent(id: 13, type: .windowClosed, at: F.start, window: F.window(2, .closed),
                                        call: nil, queues: [])))
        XCTAssertTrue(board.texts.contains("暂停服务"), "\(board.texts)")
        XCTAssertFalse(board.texts.contains("A002"))
    }

    func testALostLinkShowsTheBannerAtOnceAndTheNextSnapshotClearsIt() {
        var board = BoardHarness()
        board.send(.snapshot(F.board(lastEventId: 10)))
        board.send(.linkLost(reason: "connection refused"))
        XCTAssertTrue(board.texts.contains("与叫号服务器的连接已断开，正在自动重连"), "\(board.texts)")
        XCTAssertTrue(board.texts.contains("户籍办理"), "the last board stays visible under the banner")
        board.advance(5)
        board.send(.snapshot(F.board(lastEventId: 10, serverTime: board.wall)))
        XCTAssertEqual(board.state.link, .live)
        XCTAssertFalse(board.texts.contains("与叫号服务器的连接已断开，正在自动重连"))
    }

    func testAfterAReconnectMissedCallsAreListedAndOnlyRecentOnesAreSaid() {
        var board = BoardHarness()
        board.send(.snapshot(F.board(lastEventId: 10)))
        board.send(.linkLost(reason: "timed out"))
        board.advance(90)
        let old = F.call(11, "A001", window: 1, at: board.wall.addingTimeInterval(-75))
        let recent = F.call(12, "A002", window: 2, at: board.wall.addingTimeInterval(-20))
        let newest = F.call(13, "A003", window: 1, at: board.wall.addingTimeInterval(-5))
        board.send(.snapshot(F.board(calls: [newest, recent, old], lastEventId: 13, serverTime: board.wall)))
        XCTAssertEqual(board.announced.map(\.number), ["A002", "A003"], "in call order; the 75 s old call is not said")
        XCTAssertEqual(board.state.calls.map(\.call.number), ["A003", "A002", "A001"])
        XCTAssertTrue(["A001", "A002", "A003"].allSatisfy(board.texts.contains), "\(board.texts)")
        XCTAssertEqual(board.state.lastEventId, 13)
    }

    func testACallReplayedLongAfterItWasMadeIsListedButNotSaid() {
        var board = BoardHarness()
        board.send(.snapshot(F.board(lastEventId: 10)))
        board.send(.hallEvent(F.called(F.call(11, "A001", window: 1, at: F.start.addingTimeInterval(-120)))))
        XCTAssertEqual(board.announced, [])
        XCTAssertEqual(board.state.calls.map(\.call.number), ["A001"])
        XCTAssertFalse(board.state.isHighlighted(board.state.calls[0]))
    }

    func testTheServerClockDecidesHowOldACallIs() {
        // The display's clock is 10 minutes slow: a call made just now by the server's clock is still live.
        var board = BoardHarness()
        board.send(.snapshot(F.board(lastEventId: 10, serverTime: F.start.addingTimeInterval(600))))
        board.send(.hallEvent(F.called(F.call(11, "A001", window: 1, at: F.start.addingTimeInterval(598)))))
        XCTAssertEqual(board.announced.map(\.number), ["A001"])
    }

    func testWithoutAVoiceEachNewCallHoldsTheFeaturedAreaEightSeconds() {
        var board = BoardHarness()
        board.send(.snapshot(F.board(lastEventId: 10)))
        board.send(.hallEvent(F.called(F.call(11, "A001", window: 1, at: F.start))))
        board.advance(1)
        board.send(.hallEvent(F.called(F.call(12, "A002", window: 2, at: F.start.addingTimeInterval(1)))))
        XCTAssertEqual(board.state.featured?.eventId, 11, "the first call keeps the featured area")
        XCTAssertTrue(board.state.isHighlighted(board.state.call(12)!), "the second is highlighted in the list meanwhile")
        board.advance(6.9)
        XCTAssertEqual(board.state.featured?.eventId, 11)
        board.advance(0.2)
        XCTAssertEqual(board.state.featured?.eventId, 12)
        XCTAssertTrue(board.state.isHighlighted(board.state.call(12)!), "highlighted 8 s from when it is featured")
    }

    func testTenWindowsCallingWithinOneSecondAreAllListedAndSaidInOrder() {
        var board = BoardHarness()
        board.send(.snapshot(F.board(lastEventId: 10)))
        for index in 1...10 {
            board.send(.hallEvent(F.called(F.call(Int64(10 + index), String(format: "A%03d", index), window: index % 3 + 1,
                                                  at: F.start.addingTimeInterval(Double(index) * 0.1)))))
            board.advance(0.1)
        }
        XCTAssertEqual(board.announced.map(\.eventId), Array(11...20))
        XCTAssertEqual(board.state.calls.count, 10)
        XCTAssertTrue(board.state.calls.allSatisfy { board.state.isHighlighted($0) })
        XCTAssertLessThanOrEqual(board.state.featureQueue.count, 3)
        XCTAssertGreaterThanOrEqual(board.display.texts.filter { $0.string.hasPrefix("A0") }.count, 6,
                                    "at least six recent calls on screen")
    }

    func testWithAVoiceTheFeaturedCallIsTheOneBeingSaid() {
        var board = BoardHarness(voiceLeads: true)
        board.send(.snapshot(F.board(lastEventId: 10)))
        board.send(.hallEvent(F.called(F.call(11, "A001", window: 1, at: F.start))))
        board.send(.hallEvent(F.called(F.call(12, "A002", window: 2, at: F.start))))
        board.send(.speaking(eventId: 11))
        XCTAssertEqual(board.state.featured?.eventId, 11)
        board.advance(12)
        XCTAssertTrue(board.state.isHighlighted(board.state.call(11)!), "highlighted while it is being said")
        board.send(.speaking(eventId: 12))
        XCTAssertEqual(board.state.featured?.eventId, 12)
        XCTAssertEqual(board.state.featured?.since, board.uptime, "its highlight starts when its voice does")
    }

    func testQueueCountsAndTheNoticeFollowTheirUpdates() {
        var board = BoardHarness()
        board.send(.snapshot(F.board(lastEventId: 10)))
        board.send(.queues(HallQueuesUpdate(queues: [BoardQueue(service: F.idcard, waiting: 7)])))
        XCTAssertTrue(board.texts.contains("7 人"), "\(board.texts)")
        board.send(.notice(LocalizedText(zh: "今天下午三点起暂停办理公积金业务", en: "")))
        XCTAssertTrue(board.texts.contains("今天下午三点起暂停办理公积金业务"), "\(board.texts)")
    }

    func testTheIdleScreenSleepsUntilTheNextMinuteAndWakesForBlinksAndHighlights() {
        var board = BoardHarness()
        board.send(.snapshot(F.board(lastEventId: 10)))
        let idle = board.engine.secondsUntilDue(now: board.wall, uptime: board.uptime)
        let untilMinute = 60 - board.wall.timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
        XCTAssertEqual(idle, untilMinute, accuracy: 0.01)
        board.send(.hallEvent(F.called(F.call(11, "A001", window: 1, at: F.start))))
        XCTAssertLessThanOrEqual(board.engine.secondsUntilDue(now: board.wall, uptime: board.uptime),
                                 BoardTiming.blinkPhaseSeconds + 0.001)
        board.advance(6)
        XCTAssertEqual(board.engine.secondsUntilDue(now: board.wall, uptime: board.uptime), 2, accuracy: 0.001,
                       "wakes when the highlight ends")
        // A notice too long for its strip turns a page every 6 s, and the screen sleeps in between.
        board.advance(2.5)
        let long = (1...8).map { "第\($0)条：取号后请在休息区等候，留意大屏叫号。" }.joined()
        board.send(.notice(LocalizedText(zh: long, en: "")))
        XCTAssertTrue(board.engine.noticePages)
        let due = board.engine.secondsUntilDue(now: board.wall, uptime: board.uptime)
        XCTAssertEqual(due, BoardNotice.pageSeconds - board.uptime.seconds.truncatingRemainder(dividingBy: BoardNotice.pageSeconds),
                       accuracy: 0.01)
        let before = board.texts
        XCTAssertFalse(before.contains(long), "the whole notice does not fit")
        XCTAssertFalse(board.advance(due / 2).frameChanged, "nothing moves between pages")
        board.advance(due / 2 + 0.01)
        XCTAssertNotEqual(board.texts, before, "the next page")
        var seen = Set<String>()
        for _ in 0..<12 {
            seen.formUnion(board.texts.filter { $0.contains("取号后") })
            board.advance(BoardNotice.pageSeconds)
        }
        XCTAssertGreaterThan(seen.count, 1, "several pages")
        for part in 1...8 { XCTAssertTrue(seen.contains { $0.contains("第\(part)条") }, "page with part \(part) comes round: \(seen)") }
    }
}
