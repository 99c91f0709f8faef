import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// Alerts worked out from heartbeats and the disk reach a webhook once each, with their resolution, and show on
/// /admin/alerts; deliveries are retried and the queue is bounded.
final class AlertWebhookTests: LiveHallTestCase {
    var receiver: WebhookReceiver?

    override func tearDown() async throws {
        try await super.tearDown()
        await receiver?.stop()
    }

    /// A hall whose alerts go to a fresh receiver. `retry`: the `[alerts]` retry lines (default: a quick 0.05 s ladder;
    /// "" for the hall's default 5 s, 30 s, 2 min, 10 min …).
    func start(failFirst: Int = 0, silentMinutes: Int = 3, retry: String = "retrySeconds = 0.05",
                       extra: String = "") async throws -> (LiveHall, WebhookReceiver) {
        let hook = try await WebhookReceiver.start(failFirst: failFirst)
        receiver = hook
        let toml = TestHallConfig.toml() + """

            [alerts]
            webhook = "\(hook.url)"
            checkSeconds = 0.05
            silentMinutes = \(silentMinutes)
            \(retry)
            \(extra)
            """
        let hall = try await LiveHall.start(toml: toml)
        live = hall
        return (hall, hook)
    }

    func beat(_ hall: LiveHall, _ condition: PrinterCondition?, outbox: Int = 0, device: String = "kiosk-1",
                      token: String = TestHallConfig.kioskToken) async throws {
        let heartbeat = DeviceHeartbeat(version: "0.1.0", uptimeSeconds: 60, printer: condition.map { PrinterHealth(condition: $0) },
                                        outboxDepth: outbox, outboxRejected: 0, lastError: nil, screen: "home")
        let r = try await hall.send(.POST, "/api/v1/devices/\(device)/heartbeat", token: token, json: heartbeat)
        XCTAssertEqual(r.status, 200, r.text)
    }

    /// Lets the monitor run `rounds` more checks (it checks every 0.05 s).
    func checks(_ rounds: Int = 6) async throws { try await Task.sleep(for: .milliseconds(50 * rounds)) }

    func testPaperOutIsPostedOnceAndItsResolutionOnce() async throws {
        let (hall, hook) = try await start()
        let key = "printer.paperOut|kiosk-1"
        try await beat(hall, .paperOut)
        let raised = try await hook.wait { hook.events(key) == ["raised"] }
        XCTAssertTrue(raised, "raised: \(hook.events(key))")
        for _ in 0..<3 {
            try await beat(hall, .paperOut)
            try await checks()
        }
        XCTAssertEqual(hook.events(key), ["raised"], "once, however many heartbeats and checks say it again")

        // The alerts page lists it while it holds.
        let page = try await hall.send(.GET, "/admin/alerts", token: TestHallConfig.adminToken)
        XCTAssertTrue(page.text.contains("kiosk-1：打印机缺纸"), page.text)
        XCTAssertTrue(page.text.contains(hook.url.replacingOccurrences(of: "/hook", with: "")), "the page names where alerts go")

        try await beat(hall, .ok)
        let resolved = try await hook.wait { hook.events(key) == ["raised", "resolved"] }
        XCTAssertTrue(resolved, "resolved: \(hook.events(key))")
        try await checks()
        XCTAssertEqual(hook.events(key), ["raised", "resolved"], "the resolution once")
        let notice = try XCTUnwrap(hook.notices.last)
        XCTAssertEqual(notice.message, LocalizedText(zh: "kiosk-1：打印机缺纸", en: "kiosk-1: printer out of paper"))
        XCTAssertEqual(notice.hall.id, "test-hall")
        XCTAssertEqual(notice.kind, "printer.paperOut")
        XCTAssertEqual(notice.severity, "critical")
        let after = try await hall.send(.GET, "/admin/alerts", token: TestHallConfig.adminToken)
        XCTAssertTrue(after.text.contains("没有告警"), "the page is clear again")

        // Paper low is its own alert; a rating device without a printer raises nothing.
        try await beat(hall, .paperLow)
        try await beat(hall, .notConfigured, device: "rating-w1", token: TestHallConfig.ratingW1Token)
        let low = try await hook.wait { hook.events("printer.paperLow|kiosk-1") == ["raised"] }
        XCTAssertTrue(low)
        try await checks()
        XCTAssertEqual(hook.notices.filter { $0.device == "rating-w1" }, [], "no printer is not a problem")
        // Only the fields of the notice: ids, words and times — no personal data.
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: try XCTUnwrap(hook.bodies.last)) as? [String: Any])
        XCTAssertEqual(Set(json.keys), ["event", "hall", "key", "kind", "severity", "device", "message", "at", "since"])
    }

    func testASilentDeviceIsRaisedAfterItsMinutesAndResolvedWhenItReportsAgain() async throws {
        let (hall, hook) = try await start()
        let key = "device.silent|kiosk-2"
        try await beat(hall, nil, device: "kiosk-2", token: TestHallConfig.kiosk2Token)
        hall.clock.advance(by: 2 * 60)
        try await checks()
        XCTAssertEqual(hook.events(key), [], "2 minutes is not yet silent")
        hall.clock.advance(by: 61)
        let raised = try await hook.wait { hook.events(key) == ["raised"] }
        XCTAssertTrue(raised, "\(hook.events(key))")
        XCTAssertEqual(hook.notices.first { $0.key == key }?.message.en, "kiosk-2: no heartbeat for 3 min")
        XCTAssertEqual(hook.notices.filter { $0.device == "kiosk-1" }, [], "a device that never reported is not silent")
        try await beat(hall, nil, device: "kiosk-2", token: TestHallConfig.kiosk2Token)
        let resolved = try await hook.wait { hook.events(key) == ["raised", "resolved"] }
        XCTAssertTrue(resolved, "\(hook.events(key))")
    }

    func testAHeldRatingsOutboxAndANearlyFullDiskAreAlerts() async throws {
        // Any real disk has less than 99 % free: the disk alert holds from the first check (the SQLite file's disk;
        // on PostgreSQL the database's disk is the database server's to watch, and there is no disk alert).
        let (hall, hook) = try await start(extra: "outboxMinutes = 10\ndiskFreePercent = 99")
        let sqlite = !LiveHall.usesPostgres
        if sqlite {
            let disk = try await hook.wait { hook.events("disk.low|server") == ["raised"] }
            XCTAssertTrue(disk, "\(hook.notices.map(\.key))")
        }
        try await beat(hall, .ok, outbox: 3)
        hall.clock.advance(by: 9 * 60)
        try await beat(hall, .ok, outbox: 3)
        try await checks()
        XCTAssertEqual(hook.events("ratings.outboxHeld|kiosk-1"), [])
        hall.clock.advance(by: 61)
        try await beat(hall, .ok, outbox: 3)
        let held = try await hook.wait { hook.events("ratings.outboxHeld|kiosk-1") == ["raised"] }
        XCTAssertTrue(held)
        XCTAssertEqual(hook.notices.first { $0.key == "ratings.outboxHeld|kiosk-1" }?.message.en, "kiosk-1: 3 ratings not delivered for 10 min")
        try await beat(hall, .ok, outbox: 0)
        let delivered = try await hook.wait { hook.events("ratings.outboxHeld|kiosk-1") == ["raised", "resolved"] }
        XCTAssertTrue(delivered)
        XCTAssertEqual(hook.events("disk.low|server"), sqlite ? ["raised"] : [], "still once")
    }

    func testAFailingReceiverGetsTheNoticeAgainUntilItTakesIt() async throws {
        let (hall, hook) = try await start(failFirst: 3)
        try await beat(hall, .paperOut)
        // Retries are due by the hall's clock: move it on while waiting.
        let delivered = try await hook.wait {
            hall.clock.advance(by: 0.2)
            return hook.events("printer.paperOut|kiosk-1") == ["raised"]
        }
        XCTAssertTrue(delivered)
        XCTAssertEqual(hook.attemptCount, 4, "three refusals, then accepted")
        try await checks()
        XCTAssertEqual(hook.events("printer.paperOut|kiosk-1"), ["raised"], "accepted once")
        let page = try await hall.send(.GET, "/admin/alerts", token: TestHallConfig.adminToken)
        XCTAssertTrue(page.text.contains("HTTP 500"), "the page shows the last failure")
    }

    func testTheQueueIsBoundedWhileTheReceiverCannotBeReached() async throws {
        // A port nobody listens on: every delivery fails and waits.
        var rules = AlertRules()
        rules.queueLimit = 3
        rules.retrySeconds = 30
        let sender = WebhookSender(url: "http://127.0.0.1:9/hook", rules: rules, logger: .init(label: "test"))
        let hall = Hall.Device(id: "kiosk-1", role: .ticketKiosk, windowId: nil, tokenDigest: [])
        for i in 0..<5 {
            sender.enqueue(AlertNotice(event: .raised, hall: .init(id: "h", name: LocalizedText(zh: "厅", en: "Hall")), key: "k\(i)",
                                       kind: "printer.paperOut", severity: "critical", device: hall.id, window: nil,
                                       message: LocalizedText(zh: "x", en: "x"), at: Date(), since: Date()))
        }
        XCTAssertEqual(sender.current.pending, 3)
        XCTAssertEqual(sender.current.dropped, 2, "the oldest two went")
        // The page says so.
        let page = AdminAlertsPage.webhookState(WebhookRow(target: "http://127.0.0.1:9/hook", format: "json", status: sender.current, rules: rules),
                                                now: Date(), timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        XCTAssertTrue(page.contains("已丢弃最早的 <b>2</b> 条") && page.contains("the oldest 2 notices were dropped"), page)
    }

    func testChatRobotsGetATextMessage() throws {
        let notice = AlertNotice(event: .resolved, hall: .init(id: "demo", name: LocalizedText(zh: "示范大厅", en: "Demo hall")),
                                 key: "printer.paperOut|kiosk-1", kind: "printer.paperOut", severity: "critical", device: "kiosk-1",
                                 window: nil, message: LocalizedText(zh: "kiosk-1：打印机缺纸", en: "kiosk-1: printer out of paper"),
                                 at: Date(), since: Date())
        for format in [WebhookFormat.wecom, .dingtalk] {
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: try notice.body(format)) as? [String: Any])
            XCTAssertEqual(json["msgtype"] as? String, "text")
            let content = try XCTUnwrap((json["text"] as? [String: Any])?["content"] as? String)
            XCTAssertTrue(content.hasPrefix("【已恢复 Resolved】示范大厅：kiosk-1：打印机缺纸"), content)
        }
        XCTAssertThrowsError(try AlertSettings.validated(AlertSettings(webhook: "ftp://x"))) { error in
            XCTAssertTrue("\(error)".contains("alerts.webhook"), "\(error)")
        }
        XCTAssertThrowsError(try AlertSettings.validated(AlertSettings(webhook: nil, format: "slack"))) { error in
            XCTAssertTrue("\(error)".contains("\"wecom\""), "\(error)")
        }
    }
}
