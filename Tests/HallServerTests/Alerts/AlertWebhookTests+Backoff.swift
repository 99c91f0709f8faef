import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// A failing webhook holds nothing behind it: each notice has its own retry ladder on the hall's clock, a `resolved`
/// waits for its `raised`, a notice is given up after its age, and /admin/alerts says what is going on in words.
extension AlertWebhookTests {
    /// Moves the hall's clock by `seconds` and waits (real time, event-driven) until `predicate` holds.
    private func advance(_ hall: LiveHall, by seconds: Double, until predicate: @escaping () -> Bool) async throws -> Bool {
        hall.clock.advance(by: seconds)
        return try await receiverWait(predicate)
    }

    private func receiverWait(_ predicate: @escaping () -> Bool) async throws -> Bool {
        try await XCTUnwrap(receiver).wait(seconds: 10, until: predicate)
    }

    func testANoticeTheReceiverRefusesHoldsBackNeitherOtherAlertsNorItsOwnResolvedOrder() async throws {
        let (hall, hook) = try await start(retry: "")   // the hall's ladder: 5 s, 30 s, 2 min, 10 min …
        let one = "printer.paperOut|kiosk-1", two = "printer.paperOut|kiosk-2"
        hook.refuse { $0.device == "kiosk-1" }
        try await beat(hall, .paperOut)
        let refused = try await receiverWait { hook.tries(one) == ["raised"] }
        XCTAssertTrue(refused, "\(hook.attemptLog)")

        // Another alert goes out at once although kiosk-1's notice waits for its retry.
        try await beat(hall, .paperOut, device: "kiosk-2", token: TestHallConfig.kiosk2Token)
        let other = try await receiverWait { hook.events(two) == ["raised"] }
        XCTAssertTrue(other, "not blocked by the refused notice: \(hook.attemptLog)")

        // kiosk-1's paper is back: its `resolved` waits behind its `raised`.
        try await beat(hall, .ok)
        try await checks()
        XCTAssertEqual(hook.tries(one), ["raised"], "no second try before 5 s, and no resolved before its alert")
        let page = try await hall.send(.GET, "/admin/alerts", token: TestHallConfig.adminToken).text
        // The receiver works (kiosk-2's notice went) but refuses this one: said per notice, with the fix.
        for words in ["推送正常 working", "1 条通知被接收方拒绝，重试中", "printer.paperOut|kiosk-1", "HTTP 400", "接收方不接受消息格式",
                      "check [alerts] format", "待发送", "5 秒、30 秒、2 分钟、10 分钟"] {
            XCTAssertTrue(page.contains(words), "the page says '\(words)'")
        }

        // The ladder: 5 s, then 30 s.
        hall.clock.advance(by: 4)
        try await checks()
        XCTAssertEqual(hook.tries(one), ["raised"], "4 s is not yet 5")
        let second = try await advance(hall, by: 1.5) { hook.tries(one) == ["raised", "raised"] }
        XCTAssertTrue(second, "\(hook.tries(one))")
        hall.clock.advance(by: 28)
        try await checks()
        XCTAssertEqual(hook.tries(one), ["raised", "raised"], "the second wait is 30 s")

        // The receiver takes it now: raised, then its resolved, in that order.
        hook.refuse(nil)
        let both = try await advance(hall, by: 3) { hook.events(one) == ["raised", "resolved"] }
        XCTAssertTrue(both, "\(hook.attemptLog)")
        XCTAssertEqual(hook.tries(one), ["raised", "raised", "raised", "resolved"], "the resolved was never tried before its alert went")
        let after = try await hall.send(.GET, "/admin/alerts", token: TestHallConfig.adminToken).text
        XCTAssertTrue(after.contains("推送正常 working") && after.contains("最近送达"), after)
        XCTAssertTrue(after.contains("上次失败（已恢复）") && after.contains("HTTP 400"), "the last failure stays visible, marked recovered")
    }

    func testAReceiverThatIsDownGetsEverythingWhenItRecovers() async throws {
        let (hall, hook) = try await start(silentMinutes: 1440, retry: "")
        hook.down = true
        try await beat(hall, .paperOut)
        try await beat(hall, .paperLow, device: "kiosk-2", token: TestHallConfig.kiosk2Token)
        let tried = try await receiverWait { hook.attemptLog.count == 2 }
        XCTAssertTrue(tried, "\(hook.attemptLog)")
        // 5 s, 30 s and 2 min pass while it is down: each notice is tried on its own ladder.
        for (step, tries) in [(5.5, 4), (30.5, 6), (120.5, 8)] {
            let more = try await advance(hall, by: step) { hook.attemptLog.count == tries }
            XCTAssertTrue(more, "after \(step) s: \(hook.attemptLog.count) tries")
        }
        let failing = try await hall.send(.GET, "/admin/alerts", token: TestHallConfig.adminToken).text
        XCTAssertTrue(failing.contains("推送失败 failing") && failing.contains("一直失败") && failing.contains("接收方出错"), failing)
        XCTAssertEqual(hook.notices, [])

        // Up again: the next try (10 min later) delivers one, and the other follows at once.
        hook.down = false
        hall.clock.advance(by: 500)
        try await checks()
        XCTAssertEqual(hook.notices, [], "the next try is 10 min after the last")
        let delivered = try await advance(hall, by: 101) { hook.notices.count == 2 }
        XCTAssertTrue(delivered, "\(hook.attemptLog)")
        XCTAssertEqual(Set(hook.notices.map(\.key)), ["printer.paperOut|kiosk-1", "printer.paperLow|kiosk-2"])
    }

    func testAReceiverThatNeverRecoversHasItsNoticesGivenUpAfterTheirAgeAndThePageSaysSo() async throws {
        // Silence would raise more alerts while the clock runs for an hour: a long silence limit here.
        let (hall, hook) = try await start(silentMinutes: 1440, retry: "giveUpHours = 1")
        hook.down = true
        try await beat(hall, .paperOut)
        let first = try await receiverWait { hook.attemptLog.count == 1 }
        XCTAssertTrue(first)
        // Tries at +5 s, +35 s, +2 min 35 s, then every 10 min, until the hour is up.
        var seconds = 0.0
        var tries = 1
        for step in [5.5, 30.5, 120.5] + Array(repeating: 600.5, count: 5) {
            seconds += step
            tries += 1
            let more = try await advance(hall, by: step) { hook.attemptLog.count == tries }
            XCTAssertTrue(more, "at +\(seconds) s: \(hook.attemptLog.count) tries, expected \(tries)")
        }
        XCTAssertLessThan(seconds, 3600)
        let gaveUp = try await advance(hall, by: 3600 - seconds + 1) {
            (hall.desk.alertBoard.sender?.current.givenUp ?? 0) == 1
        }
        XCTAssertTrue(gaveUp)
        hall.clock.advance(by: 3600)
        try await checks()
        XCTAssertEqual(hook.attemptLog.count, tries, "a notice given up is not tried again")
        XCTAssertEqual(hall.desk.alertBoard.sender?.current.pending, 0)
        let page = try await hall.send(.GET, "/admin/alerts", token: TestHallConfig.adminToken).text
        for words in ["已放弃 <b>1</b> 条通知", "超过 1 小时", "printer.paperOut|kiosk-1", "1 notices given up", "推送失败 failing", "HTTP 500"] {
            XCTAssertTrue(page.contains(words), "the page says '\(words)'")
        }
        XCTAssertEqual(hook.notices, [], "never accepted")
    }
}

/// The outbox's rules as a table: the retry ladder, the order per alert, giving up, the bound.
final class WebhookOutboxTests: XCTestCase {
    private static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    private static func notice(_ key: String, _ event: AlertNotice.Event = .raised) -> AlertNotice {
        AlertNotice(event: event, hall: .init(id: "h", name: LocalizedText(zh: "厅", en: "Hall")), key: key, kind: "printer.paperOut",
                    severity: "critical", device: nil, window: nil, message: LocalizedText(zh: "x", en: "x"), at: t0, since: t0)
    }

    func testTheRetryLadderIsFiveSecondsThirtySecondsTwoMinutesThenTenMinutes() {
        let outbox = WebhookOutbox(rules: AlertRules())
        XCTAssertEqual((1...6).map { outbox.retryWait(afterAttempts: $0) }, [5, 30, 120, 600, 600, 600])
        var quick = AlertRules()
        quick.retrySeconds = 1
        quick.maxRetrySeconds = 60
        XCTAssertEqual((1...5).map { WebhookOutbox(rules: quick).retryWait(afterAttempts: $0) }, [1, 6, 24, 60, 60])
        XCTAssertEqual(AdminAlertsPage.retryLadder(AlertRules(), zh: false), "5 s, 30 s, 2 min, 10 min …")
    }

    func testAResolvedWaitsForItsRaisedButOtherAlertsDoNot() {
        var outbox = WebhookOutbox(rules: AlertRules())
        _ = outbox.enqueue(Self.notice("a"), now: Self.t0)
        _ = outbox.enqueue(Self.notice("a", .resolved), now: Self.t0)
        _ = outbox.enqueue(Self.notice("b"), now: Self.t0)
        let first = outbox.next(now: Self.t0)!
        XCTAssertEqual(first.notice.key, "a")
        outbox.failed(first.id, error: "HTTP 500", now: Self.t0)
        let second = outbox.next(now: Self.t0)!
        XCTAssertEqual(second.notice.key, "b", "a's resolved waits behind a's raised; b does not")
        outbox.failed(second.id, error: "HTTP 500", now: Self.t0)
        XCTAssertNil(outbox.next(now: Self.t0 + 4), "both wait 5 s")
        XCTAssertEqual(outbox.status.nextAttemptAt, Self.t0 + 5)
        XCTAssertEqual(outbox.status.failingSince, Self.t0)
        let retry = outbox.next(now: Self.t0 + 5)!
        XCTAssertEqual(retry.notice.event, .raised)
        outbox.delivered(retry.id, now: Self.t0 + 5)
        // Delivered: the receiver is back, everything waiting is due now, a's resolved first.
        XCTAssertEqual(outbox.next(now: Self.t0 + 5)?.notice.event, .resolved)
        XCTAssertNil(outbox.status.failingSince)
        XCTAssertEqual(outbox.status.lastSuccessAt, Self.t0 + 5)
    }

    func testNoticesAreGivenUpByAgeOrTriesAndTheOldestDroppedWhenFull() {
        var rules = AlertRules()
        rules.giveUpAttempts = 2
        rules.queueLimit = 2
        var outbox = WebhookOutbox(rules: rules)
        _ = outbox.enqueue(Self.notice("a"), now: Self.t0)
        _ = outbox.enqueue(Self.notice("b"), now: Self.t0 + 1)
        XCTAssertEqual(outbox.enqueue(Self.notice("c"), now: Self.t0 + 2)?.key, "a", "the oldest goes")
        XCTAssertEqual(outbox.status.dropped, 1)
        let b = outbox.next(now: Self.t0 + 2)!
        outbox.failed(b.id, error: "timed out", now: Self.t0 + 2)
        outbox.failed(b.id, error: "timed out", now: Self.t0 + 7)
        XCTAssertEqual(outbox.giveUpExpired(now: Self.t0 + 8).map(\.notice.key), ["b"], "two tries")
        XCTAssertEqual(outbox.giveUpExpired(now: Self.t0 + 2 + 24 * 3600).map(\.notice.key), ["c"], "24 hours old")
        XCTAssertEqual(outbox.status.givenUp, 2)
        XCTAssertEqual(outbox.status.lastGivenUpKey, "c")
        XCTAssertEqual(outbox.status.pending, 0)
    }

    func testEveryFailureHasAFixInBothLanguages() {
        for problem in ["HTTP 401", "HTTP 404", "HTTP 400", "HTTP 429", "HTTP 502", "HTTP 418", "connection refused", "timed out",
                        "host name not found", "network unreachable", "TLS failed: x", "something else"] {
            let fix = WebhookProblem.fix(problem)
            XCTAssertFalse(fix.zh.isEmpty || fix.en.isEmpty, problem)
        }
        XCTAssertEqual(WebhookProblem.fix("connection refused").en, "Nothing listens at that address: check the host and port, and that the receiver is running.")
    }
}
