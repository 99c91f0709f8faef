import Foundation
import HallAPI
import HallTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The unattended appliance's fault-injection suite (issue 6, "Tests"): the real `hallkiosk` (offscreen, scripted)
/// as a ticket kiosk and as a window rating device, against the real `hallserver`, with a `FaultProxy` in between
/// where a fault needs one. Each case breaks something — the server killed, frozen with SIGSTOP, answering 500 or
/// garbage; the kiosk SIGKILLed in the middle of a rating or SIGTERMed during a burst of ratings — and ends with:
///
/// - no lost rating: every rating a device logged as `rating stored` is on the server exactly once
///   (`GET /api/v1/ratings/{id}`, and the satisfaction report's total equals the number stored);
/// - no duplicate ticket: per service, the tickets the server issued today equal the tickets the kiosks showed
///   (plus the ones this test issued itself through the API), and no number was shown twice;
/// - every kiosk back on its home (or rating idle) screen by itself.
final class FaultInjectionTests: XCTestCase {
    var server: HallServerProcess!
    var proxy: FaultProxy?
    var folder: URL!
    /// Every kiosk started by the case (killed in tearDown if still running) and what it printed.
    var kiosks: [KioskProcess.Running] = []
    /// Tickets the test issued itself through the API (to serve them at a window), per service.
    var apiIssued: [String: Int] = [:]
    var staffToken = ""
    let admin = "demo-admin-token-change-me"
    let kioskToken = "demo-kiosk-01-token-change-me"
    /// The ticket kiosk takes numbers for 出入境证件 (C…); window w01 serves idcard (B…) tickets the test issues.
    let kioskService = "exit-entry"
    let kioskServiceLabel = "出入境证件"
    var started = Date()

    override func setUpWithError() throws {
        started = Date()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        server = try HallServerProcess()
    }

    override func tearDown() {
        for kiosk in kiosks where kiosk.process.isRunning { kiosk.kill() }
        proxy?.stop()
        if let server {
            // A server left stopped (SIGSTOP) would never see the SIGTERM of stop().
            if server.process.isRunning { kill(server.process.processIdentifier, SIGCONT) }
            server.stop()
        }
        print("fault case \(name): \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }

    // MARK: Cases

    /// The hall server is SIGKILLed while a rating prompt is open and the ticket kiosk sits on its home screen,
    /// then started again on the same database. The rating made during the outage waits in the outbox; the
    /// kiosk goes offline after its grace period and comes back by itself; numbers continue without a gap or a
    /// repeat; the rating device follows the window again (a second rating after the restart).
    func testServerKilledAndRestartedMidSession() throws {
        let (device, kiosk) = try startDeviceAndKiosk(deviceScript: ratesTwice, offlineGraceSeconds: 3, kioskScript: """
            wait-text \(kioskServiceLabel) 30000
            tap-text \(kioskServiceLabel)
            wait-text 您的号码 5000
            expect-text C001
            wait 1600
            tap-text 完成
            wait-text 暂时不能取号 30000
            wait-text \(kioskServiceLabel) 40000
            expect-no-text 暂时不能取号
            tap-text \(kioskServiceLabel)
            wait-text 您的号码 10000
            expect-text C002
            wait 1600
            tap-text 完成
            wait-text \(kioskServiceLabel) 5000
            quit
            """)
        try waitFor("C001 on the kiosk", kiosk, event: "ticketIssued", ["number": "C001"])
        try serveTicketUntilPrompt(device)
        // Power cut at the server: nothing flushed, nothing answered.
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        device.send("server-down")
        try waitFor("the rating stored while the server is down", device, event: "ratingQueued")
        try waitFor("the kiosk's offline screen", kiosk, event: "screen", ["screen": "offline"])
        try server.restart()
        try serveTicket()
        try expectEnd(kiosk: kiosk, device: device, tickets: 2, ratings: 2)
    }

    /// The hall server is frozen with SIGSTOP (it accepts connections but answers nothing) while a citizen takes
    /// a number and another rates a window. The kiosk times out, retries under the same key, tells the citizen;
    /// after SIGCONT 再试一次 gets the ticket the server issued for that key (not a second one), and the
    /// rating stored during the freeze reaches the server once.
    func testServerPausedWithSIGSTOPThenContinued() throws {
        let (device, kiosk) = try startDeviceAndKiosk(deviceScript: ratesTwice, offlineGraceSeconds: 30, kioskScript: """
            wait-text \(kioskServiceLabel) 30000
            wait-stdin server-stopped 30000
            tap-text \(kioskServiceLabel)
            wait-text 再试一次 30000
            expect-text 网络不通
            wait-stdin server-continued 30000
            tap-text 再试一次
            wait-text 您的号码 15000
            expect-text C001
            wait 1600
            tap-text 完成
            wait-text \(kioskServiceLabel) 10000
            tap-text \(kioskServiceLabel)
            wait-text 您的号码 10000
            expect-text C002
            wait 1600
            tap-text 完成
            wait-text \(kioskServiceLabel) 5000
            quit
            """)
        try waitFor("the kiosk's home screen", kiosk, event: "screen", ["screen": "home"])
        try serveTicketUntilPrompt(device)
        let pid = server.process.processIdentifier
        kill(pid, SIGSTOP)
        kiosk.send("server-stopped")
        device.send("server-down")
        // The first try and both automatic retries time out (2 s each).
        try waitFor("three timed-out tries", timeout: 30) { kiosk.events.matching("ticketFailed").count >= 3 }
        try waitFor("the rating stored while the server is frozen", device, event: "ratingQueued")
        XCTAssertEqual(kiosk.events.matching("ticketIssued").count, 0, "no ticket while the server is frozen")
        kill(pid, SIGCONT)
        kiosk.send("server-continued")
        try serveTicket()
        try expectEnd(kiosk: kiosk, device: device, tickets: 2, ratings: 2)
    }

    /// The hall server (through a proxy) answers 500 and then malformed JSON — to the hall status, to ticket
    /// issuing and to ratings — for a while. The kiosk retries what is safe to retry, tells the citizen, goes
    /// offline and comes back; ratings stay in the outbox until a real answer says the server has them.
    func testServerAnswering500AndMalformedJSON() throws {
        let error500 = FaultProxy.Behaviour.answer(status: 500, body: #"{"error":{"code":"internal","message":"database is locked"}}"#,
                                                   headers: ["Content-Type: application/json"])
        let tickets = Counter(), ratings = Counter(), hall = Counter()
        let hallFaults = Flag()
        let proxy = try startProxy { line in
            let path = line.path.components(separatedBy: "?")[0]
            if line.method == "POST" && path == "/api/v1/tickets" {
                // Three 500s (the try and two automatic retries); then the server issues C001 but the answer is
                // lost, and the retry under the same key gets a garbage 200: the ticket exists, so the kiosk must
                // keep retrying under that key (never give up, never ask for a second number) until C001 shows.
                switch tickets.next() {
                case 1...3: return error500
                case 4: return .loseAnswer
                case 5: return .garbage
                default: return .forward
                }
            }
            if line.method == "POST" && path == "/api/v1/ratings" {
                switch ratings.next() {
                case 1: return error500
                case 2: return .garbage
                default: return .forward
                }
            }
            if path == "/api/v1/hall" && hallFaults.isSet {
                // Eight refreshes: 500, garbage, 500, … then the server again.
                let n = hall.next()
                if n <= 8 { return n % 2 == 1 ? error500 : .garbage }
            }
            return .forward
        }
        let (device, kiosk) = try startDeviceAndKiosk(via: proxy, deviceScript: """
            wait-text 等待叫号 30000
            wait-text 请您对本次服务进行评价 30000
            tap-text 非常不满意
            wait-text 请选择不满意的原因 5000
            tap-text 服务态度
            tap-text 提交
            wait-text 感谢您的评价 10000
            wait-text 等待叫号 15000
            wait 90000
            """, offlineGraceSeconds: 3, kioskScript: """
            wait-text \(kioskServiceLabel) 30000
            tap-text \(kioskServiceLabel)
            wait-text 再试一次 15000
            expect-text 网络不通
            tap-text 再试一次
            wait-text 再试一次 15000
            tap-text 再试一次
            wait-text 再试一次 15000
            tap-text 再试一次
            wait-text 您的号码 10000
            expect-text C001
            wait 1600
            tap-text 完成
            wait-text 暂时不能取号 30000
            wait-text \(kioskServiceLabel) 30000
            expect-no-text 暂时不能取号
            quit
            """)
        try serveTicket()
        try waitFor("C001 on the kiosk", kiosk, event: "ticketIssued", ["number": "C001"])
        hallFaults.set()
        try expectEnd(kiosk: kiosk, device: device, tickets: 1, ratings: 1)
        XCTAssertEqual(tickets.value, 6, "3 × 500, 1 issued with its answer lost, 1 garbage, 1 answered with that ticket")
        XCTAssertGreaterThanOrEqual(hall.value, 8, "the hall status faults were all seen")
        XCTAssertGreaterThanOrEqual(ratings.value, 3, "a 500 and a garbage answer before the real one")
        let record = try rating(try XCTUnwrap(ratingIds().first))
        XCTAssertEqual(record.level, .veryDissatisfied)
        XCTAssertEqual(record.reasons, [.attitude])
    }

    /// The rating device is SIGKILLed (a power cut) three times: in the middle of a 差评 before 提交 (nothing
    /// was stored, nothing may appear), after a rating was stored and posted but the answer was lost (the server
    /// has it; the restarted device must not make it two), and while a stored rating's post hangs.
    func testRatingDeviceKilledMidRating() throws {
        let proxy = try startProxy()
        let config = try ratingConfig(proxy.baseURL)
        // 1. Killed on the reasons screen of a 差评: never submitted.
        let first = try launch(config, script: """
            wait-text 等待叫号 30000
            wait-text 请您对本次服务进行评价 30000
            tap-text 非常不满意
            wait-text 请选择不满意的原因 5000
            tap-text 服务态度
            wait 60000
            """)
        try waitFor("the device on its idle screen", first, event: "screen", ["screen": "ratingIdle"])
        try serveTicketUntilPrompt(first)
        Thread.sleep(forTimeInterval: 1.5)
        first.kill()
        XCTAssertEqual(ratingIds(in: first), [], first.output)

        // 2. and 3. The first post's answer is lost after the server stored it, later posts hang.
        let posts = Counter()
        proxy.setRule { line in
            guard line.method == "POST" && line.path.hasPrefix("/api/v1/ratings") else { return .forward }
            return posts.next() == 1 ? .loseAnswer : .hang
        }
        // No "wait-text 等待叫号" first: the test serves the next ticket as soon as the device is on its idle screen
        // (its screen event), and when the window's state could not be fetched in that moment (the proxy is still
        // cutting connections from step 1) the idle screen is left before the script ever sees its text.
        let second = try launch(config, script: """
            wait-text 请您对本次服务进行评价 30000
            tap-text 基本满意
            wait-text 感谢您的评价 10000
            wait-text 请您对本次服务进行评价 30000
            tap-text 非常满意
            wait-text 感谢您的评价 10000
            wait 60000
            """)
        try waitFor("the restarted device on its idle screen", second, event: "screen", ["screen": "ratingIdle"])
        try serveTicket()
        try waitFor("the first rating stored", second, event: "ratingQueued")
        try waitFor("the server storing it (answer lost)", timeout: 20) { (try? self.activeRatings()) == 1 }
        try serveTicket()
        try waitFor("the second rating stored", timeout: 20) { self.ratingIds(in: second).count == 2 }
        try waitFor("the second rating's post hanging", timeout: 20) { posts.value >= 2 }
        second.kill()
        XCTAssertEqual(try activeRatings(), 1)

        proxy.setRule { _ in .forward }
        try expectRestartedDeviceDelivers(config, ratings: 2)
    }

    /// SIGTERM arrives while the rating device is storing a burst of ratings (the outbox also writing delivery
    /// results): it stops cleanly (exit 0, within a couple of seconds), and after a restart every rating it
    /// stored is on the server exactly once.
    func testSIGTERMDuringABurstOfRatings() throws {
        // The first half of the burst is delivered at once; the rest waits in the outbox (503).
        let burst = 12, termAt = 9
        // Where in the prompt → tap → write window SIGTERM lands; varies from run to run (printed).
        let sigtermDelay = Double.random(in: 0.05...0.4)
        let posts = Counter()
        let proxy = try startProxy { line in
            guard line.method == "POST" && line.path.hasPrefix("/api/v1/ratings") else { return .forward }
            return posts.next() <= burst / 2 ? .forward
                : .answer(status: 503, body: #"{"error":{"code":"unavailable","message":"maintenance"}}"#)
        }
        let config = try ratingConfig(proxy.baseURL, thanksSeconds: 1)
        let script = "wait-text 等待叫号 30000\n" + String(repeating: """
            wait-text 请您对本次服务进行评价 30000
            tap-text 非常满意
            wait-text 感谢您的评价 10000

            """, count: burst) + "wait 60000\n"
        let device = try launch(config, script: script)
        try waitFor("the device on its idle screen", device, event: "screen", ["screen": "ratingIdle"])
        var stopped: Date?
        for i in 1...burst {
            try serveTicket()
            if i == termAt {
                // The prompt comes over the event stream within a few hundred ms, the script taps at once and the
                // outbox writes: stop it in that window (the screen stays "rating" from one rating to the next,
                // so there is no log line to wait for).
                Thread.sleep(forTimeInterval: sigtermDelay)
                kill(device.process.processIdentifier, SIGTERM)
                stopped = Date()
                break
            }
            try waitFor("rating \(i) stored", timeout: 20) { self.ratingIds(in: device).count >= i }
        }
        let (code, output) = device.finish(timeoutSeconds: 10)
        let took = Date().timeIntervalSince(try XCTUnwrap(stopped))
        // A clean stop; the exit code is the script's, cut short in the middle of the burst.
        XCTAssertEqual(code, 2, "a clean stop on SIGTERM, the unfinished script reported:\n\(output.suffix(2000))")
        XCTAssertTrue(output.contains("interrupted by SIGTERM before the script finished"), String(output.suffix(2000)))
        XCTAssertLessThan(took, 3, "stopped within a couple of seconds")
        XCTAssertTrue(output.contains("SIGTERM received: stopping cleanly"), String(output.suffix(2000)))
        let stored = ratingIds(in: device)
        XCTAssertGreaterThanOrEqual(stored.count, termAt - 1, "the ratings before the SIGTERM were stored")
        print("SIGTERM \(Int(sigtermDelay * 1000)) ms after completing service \(termAt): \(stored.count) ratings stored, stopped in \(Int(took * 1000)) ms")

        proxy.setRule { _ in .forward }
        try expectRestartedDeviceDelivers(config, ratings: stored.count)
    }

    /// SIGTERM while a citizen's rating is being written (issue 6: "finish the current write, exit cleanly"), made
    /// certain rather than timed: another process holds the outbox's write lock (`sqlite3`, `BEGIN IMMEDIATE`), so
    /// the device's write of the rating is waiting in the middle when SIGTERM arrives. The device must not exit
    /// while the write waits; once the lock is released the write completes (`rating stored`), the device exits 0,
    /// and started again it delivers that rating: on the server exactly once.
    func testSIGTERMWhileARatingIsBeingWrittenWaitsForTheWrite() throws {
        let outboxPath = folder.appendingPathComponent("outbox-held.sqlite").path
        let config = try KioskProcess.writeRatingConfig(in: folder, serverURL: server.baseURL,
                                                        extra: "outboxPath = \"\(outboxPath)\"")
        let device = try launch(config, script: "wait-text 等待叫号 30000\nwait-text 请您对本次服务进行评价 30000\ntap-text 非常满意\nwait 60000\n")
        try waitFor("the device on its idle screen", device, event: "screen", ["screen": "ratingIdle"])
        let lock = try SQLiteWriteLock(path: outboxPath)
        defer { lock.release() }
        try serveTicketUntilPrompt(device)
        // The script taps at once; the write then waits for the lock (the outbox's busy timeout is 10 s).
        Thread.sleep(forTimeInterval: 0.7)
        XCTAssertEqual(ratingIds(in: device), [], "nothing can be stored while the lock is held")
        kill(device.process.processIdentifier, SIGTERM)
        try waitFor("the device to wait for the write", device, "waiting for 1 rating write(s) to finish", timeout: 5)
        Thread.sleep(forTimeInterval: 1)
        XCTAssertTrue(device.process.isRunning, "the device exited in the middle of a rating write:\n\(device.output.suffix(2000))")
        lock.release()
        let (code, output) = device.finish(timeoutSeconds: 15)
        XCTAssertEqual(code, 0, "a clean stop after the write:\n\(output.suffix(2000))")
        XCTAssertTrue(output.contains("rating writes finished"), String(output.suffix(2000)))
        XCTAssertEqual(ratingIds(in: device).count, 1, "the rating being written when SIGTERM came was stored")
        try expectRestartedDeviceDelivers(config, ratings: 1)
    }

    /// The printer runs out of paper in the middle of a session and is refilled (kiosk/printer-sim, the
    /// simulated 80 mm printer over IPP): the kiosk learns it from the printer's state, gives the next citizen
    /// the ticket on screen (QR to photograph) instead of a print that cannot come, and prints again after the
    /// refill — tickets issued == shown, only the printable ones sent to the printer, home by itself.
    func testPrinterOutOfPaperAndBack() throws {
        let sim = try PrinterSim(self)
        let kiosk = try launch(try ticketConfig(server.baseURL, offlineGraceSeconds: 30, extra: """
            [printer]
            destination = "\(sim.printerURI)"
            pollSeconds = 2
            jobTimeoutSeconds = 10
            """), script: """
            wait-text \(kioskServiceLabel) 30000
            tap-text \(kioskServiceLabel)
            wait-text 您的号码 5000
            expect-text C001
            wait-text 号票已打印 20000
            expect-text 请取走您的号票
            wait 1600
            tap-text 完成
            wait-text \(kioskServiceLabel) 5000
            wait-event printer condition=paperOut 30000
            tap-text \(kioskServiceLabel)
            wait-text C002 5000
            wait-text 打印机缺纸 5000
            expect-text 请用手机拍下二维码
            expect-no-text 号票已打印
            wait 1600
            tap-text 完成
            wait-text \(kioskServiceLabel) 5000
            wait-event printer condition=ok 30000
            tap-text \(kioskServiceLabel)
            wait-text 您的号码 5000
            expect-text C003
            wait-text 号票已打印 20000
            expect-text 请取走您的号票
            wait 1600
            tap-text 完成
            wait-text \(kioskServiceLabel) 5000
            quit
            """)
        try waitFor("C001 printed", kiosk, event: "printed", ["outcome": "printed"])
        sim.run("paper-out")
        try waitFor("C002 on screen", kiosk, event: "ticketIssued", ["number": "C002"])
        sim.run("refill")
        try expectExit(kiosk)
        try assertInvariants(tickets: 3, ratings: 0)
        let jobs = sim.jobFiles().map(\.lastPathComponent)
        XCTAssertEqual(jobs.count, 2, "C001 and C003 printed, nothing sent while out of paper: \(jobs)")
        XCTAssertEqual(kiosk.events.matching("printed", ["outcome": "printed"]).count, 2, kiosk.output)
    }

    // MARK: Kiosks

    func ticketConfig(_ url: String, offlineGraceSeconds: Int, extra: String = "") throws -> String {
        try KioskProcess.writeConfig(in: folder, serverURL: url, offlineGraceSeconds: offlineGraceSeconds, statusRefreshSeconds: 1,
                                     extra: extra)
    }

    func ratingConfig(_ url: String, thanksSeconds: Int = 2) throws -> String {
        try KioskProcess.writeRatingConfig(in: folder, serverURL: url, thanksSeconds: thanksSeconds)
    }

    /// The rating device's script in the server-outage cases: rates two services (基本满意 once the test says the
    /// server is down — `server-down` on its control channel —, then 非常满意), is back on its idle screen, and waits there.
    let ratesTwice = """
        wait-text 等待叫号 30000
        wait-text 请您对本次服务进行评价 30000
        wait-stdin server-down 30000
        tap-text 基本满意
        wait-text 感谢您的评价 10000
        wait-text 请您对本次服务进行评价 60000
        tap-text 非常满意
        wait-text 感谢您的评价 10000
        wait-text 等待叫号 15000
        wait 90000
        """

    /// Puts a fault proxy between the devices and the server (stopped in tearDown), with `rule` (forward all if nil).
    func startProxy(_ rule: (@Sendable (FaultProxy.RequestLine) -> FaultProxy.Behaviour)? = nil) throws -> FaultProxy {
        let proxy = try FaultProxy(upstreamPort: server.port)
        if let rule { proxy.setRule(rule) }
        self.proxy = proxy
        return proxy
    }

    /// Starts the rating device at w01 and the ticket kiosk (through `proxy`, or straight to the server), each with
    /// its script; returns once the device is on its idle screen.
    func startDeviceAndKiosk(via proxy: FaultProxy? = nil, deviceScript: String, offlineGraceSeconds: Int,
                             kioskScript: String) throws -> (device: KioskProcess.Running, kiosk: KioskProcess.Running) {
        let url = proxy?.baseURL ?? server.baseURL
        let device = try launch(try ratingConfig(url), script: deviceScript)
        let kiosk = try launch(try ticketConfig(url, offlineGraceSeconds: offlineGraceSeconds), script: kioskScript)
        try waitFor("the device on its idle screen", device, event: "screen", ["screen": "ratingIdle"])
        return (device, kiosk)
    }

    func launch(_ config: String, script: String?) throws -> KioskProcess.Running {
        let kiosk = try KioskProcess.launch(config: config, script: script, in: folder)
        kiosks.append(kiosk)
        return kiosk
    }

    /// Waits for the scripted kiosk to finish its script (every `wait-text` held) and checks it came home.
    func expectExit(_ kiosk: KioskProcess.Running, file: StaticString = #filePath, line: UInt = #line) throws {
        let (code, output) = kiosk.finish(timeoutSeconds: 90)
        XCTAssertEqual(code, 0, "script failed:\n\(output.suffix(4000))", file: file, line: line)
        XCTAssertTrue(backHome(kiosk), "ended on '\(kiosk.lastScreen ?? "none")'", file: file, line: line)
        if code != 0 { throw Failure("the kiosk's script failed") }
    }

    /// The end of a case with a scripted ticket kiosk and a rating device: the kiosk's script held and it came home,
    /// the invariants hold (`tickets` shown, `ratings` stored), and the device is back on its idle screen (stopped).
    func expectEnd(kiosk: KioskProcess.Running, device: KioskProcess.Running, tickets: Int, ratings: Int,
                   file: StaticString = #filePath, line: UInt = #line) throws {
        try expectExit(kiosk, file: file, line: line)
        try assertInvariants(tickets: tickets, ratings: ratings, file: file, line: line)
        try expectIdle(device, file: file, line: line)
    }

    /// The rating device started again on `config` without a script: back on its idle screen, every one of the
    /// `ratings` stored by this case on the server once (no tickets); then stopped.
    func expectRestartedDeviceDelivers(_ config: String, ratings: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let device = try launch(config, script: nil)
        try waitFor("the restarted device on its idle screen", device, event: "screen", ["screen": "ratingIdle"], file: file, line: line)
        try assertInvariants(tickets: 0, ratings: ratings, file: file, line: line)
        XCTAssertTrue(backHome(device), "last screen: \(device.lastScreen ?? "none")", file: file, line: line)
        device.kill()
    }

    /// A rating device whose script is in its final wait (every `wait-text` before it held: a failed one ends
    /// the process) and that is back on its idle screen; stops it.
    func expectIdle(_ device: KioskProcess.Running, file: StaticString = #filePath, line: UInt = #line) throws {
        defer { device.kill() }
        guard device.process.isRunning else {
            XCTFail("the device's script failed:\n\(device.output.suffix(4000))", file: file, line: line)
            throw Failure("the device's script failed")
        }
        let deadline = Date().addingTimeInterval(15)
        while device.lastScreen != "ratingIdle" && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(device.lastScreen, "ratingIdle", file: file, line: line)
    }

    /// True when the kiosk's last screen (from its event stream) is home or the rating device's idle screen.
    func backHome(_ kiosk: KioskProcess.Running) -> Bool {
        ["home", "ratingIdle"].contains(kiosk.lastScreen ?? "")
    }

    /// Waits for a line of the kiosk's log (for what only the log says: the shutdown's wait for a rating write).
    func waitFor(_ what: String, _ kiosk: KioskProcess.Running, _ text: String, timeout: Double = 30,
                 file: StaticString = #filePath, line: UInt = #line) throws {
        guard kiosk.waitForOutput(text, timeoutSeconds: timeout) else {
            XCTFail("timed out waiting for \(what):\n\(kiosk.output.suffix(3000))", file: file, line: line)
            throw Failure("timed out waiting for \(what)")
        }
    }

    /// Waits for an event of the kiosk's event stream.
    func waitFor(_ what: String, _ kiosk: KioskProcess.Running, event: String, _ conditions: [String: String] = [:],
                 timeout: Double = 30, file: StaticString = #filePath, line: UInt = #line) throws {
        guard kiosk.waitForEvent(event, conditions, timeoutSeconds: timeout) else {
            XCTFail("timed out waiting for \(what):\n\(kiosk.events.tail())\n\(kiosk.output.suffix(3000))", file: file, line: line)
            throw Failure("timed out waiting for \(what)")
        }
    }

    func waitFor(_ what: String, timeout: Double, file: StaticString = #filePath, line: UInt = #line,
                 _ condition: () -> Bool) throws {
        guard waitUntil(timeout, poll: 0.02, condition) else {
            let outputs = kiosks.map { String($0.output.suffix(1500)) }.joined(separator: "\n----\n")
            XCTFail("timed out waiting for \(what)\n\(outputs)", file: file, line: line)
            throw Failure("timed out waiting for \(what)")
        }
    }

    // MARK: The server's side

    /// Issues an idcard ticket through the API and serves it to completion at window w01 (a rating prompt);
    /// the staff member logs in the first time (and again when the server forgot the session).
    func serveTicket() throws {
        if staffToken.isEmpty { staffToken = try server.staffToken(window: "w01", employeeNo: "1001") }
        let (data, status) = try HallServerProcess.request(
            "POST", "\(server.baseURL)/api/v1/tickets", token: kioskToken,
            body: #"{"serviceId":"idcard","kioskId":"kiosk-01"}"#, headers: [("Idempotency-Key", UUID().uuidString)])
        XCTAssertEqual(status, 201, String(decoding: data, as: UTF8.self))
        apiIssued["idcard", default: 0] += 1
        for action in ["call-next", "start", "complete"] {
            var (body, code) = try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/windows/w01/\(action)",
                                                             token: staffToken, body: "{}")
            if code == 401 {
                staffToken = try server.staffToken(window: "w01", employeeNo: "1001")
                (body, code) = try HallServerProcess.request("POST", "\(server.baseURL)/api/v1/windows/w01/\(action)",
                                                             token: staffToken, body: "{}")
            }
            XCTAssertEqual(code, 200, "\(action): \(String(decoding: body, as: UTF8.self))")
        }
    }

    /// Serves a ticket and waits for `device`'s rating prompt.
    func serveTicketUntilPrompt(_ device: KioskProcess.Running) throws {
        try serveTicket()
        try waitFor("the rating prompt", device, event: "screen", ["screen": "rating"])
    }

    func issuedToday() throws -> [String: Int] {
        let (data, status) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/hall", token: kioskToken)
        guard status == 200 else { throw Failure("hall status: HTTP \(status)") }
        let hall = try HallJSON.decoder().decode(HallStatus.self, from: data)
        return Dictionary(uniqueKeysWithValues: hall.services.map { ($0.id, $0.issuedToday) })
    }

    func activeRatings() throws -> Int {
        let (data, status) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/reports/satisfaction?by=window", token: admin)
        guard status == 200 else { throw Failure("report: HTTP \(status)") }
        return try HallJSON.decoder().decode(SatisfactionReport.self, from: data).total.activeRatings
    }

    func rating(_ id: String) throws -> RatingRecord {
        let (data, status) = try HallServerProcess.request("GET", "\(server.baseURL)/api/v1/ratings/\(id)", token: admin)
        guard status == 200 else { throw Failure("rating \(id): HTTP \(status) \(String(decoding: data, as: UTF8.self))") }
        return try HallJSON.decoder().decode(RatingRecord.self, from: data)
    }

    /// The ratings `kiosk` stored in its outbox (its `ratingQueued` events).
    func ratingIds(in kiosk: KioskProcess.Running) -> [String] {
        kiosk.events.matching("ratingQueued").compactMap { $0["ratingId"] }
    }

    /// Every rating stored by every kiosk of this case.
    func ratingIds() -> [String] { kiosks.flatMap { ratingIds(in: $0) } }

    /// (service, number) of every ticket a kiosk of this case showed (their `ticketIssued` events).
    func shownTickets() -> [(service: String, number: String)] {
        kiosks.flatMap { kiosk in
            kiosk.events.matching("ticketIssued").compactMap { record -> (String, String)? in
                guard let service = record["serviceId"], let number = record["number"] else { return nil }
                return (service, number)
            }
        }
    }

    /// The end of every case: no lost or doubled rating, no duplicate ticket.
    func assertInvariants(tickets: Int, ratings: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        // Tickets: shown == issued, per service, each number once.
        let shown = shownTickets()
        XCTAssertEqual(shown.count, tickets, "tickets the kiosks showed: \(shown.map(\.number))", file: file, line: line)
        XCTAssertEqual(Set(shown.map(\.number)).count, shown.count, "a number shown twice: \(shown.map(\.number))", file: file, line: line)
        let screens = kiosks.map { $0.events.matching("screen", ["screen": "ticket"]).count }.reduce(0, +)
        XCTAssertEqual(screens, shown.count, "one ticket screen per ticket", file: file, line: line)
        let issued = try issuedToday()
        for (service, count) in issued {
            let expected = shown.filter { $0.service == service }.count + apiIssued[service, default: 0]
            XCTAssertEqual(count, expected, "\(service): issued on the server vs shown by the kiosks (+ issued by the test)",
                           file: file, line: line)
        }
        // Ratings: every stored one on the server, exactly once. The kiosk may end its script while the device is
        // still finishing its last rating (and a sender may post one in the moment between the outbox commit and
        // its "rating stored" log line): wait for the lines first.
        try waitFor("the devices' \(ratings) ratingQueued events", timeout: 15, file: file, line: line) {
            self.ratingIds().count >= ratings
        }
        let ids = ratingIds()
        XCTAssertEqual(ids.count, ratings, "ratings the devices stored", file: file, line: line)
        XCTAssertEqual(Set(ids).count, ids.count, "a rating id stored twice", file: file, line: line)
        try waitFor("every stored rating on the server", timeout: 30, file: file, line: line) {
            (try? self.activeRatings()) ?? -1 >= ids.count
        }
        // Each rating once: the server's unique keys (rating id; ticket and assessment) keep a rating posted again —
        // after a lost answer, as these faults cause on purpose — from being stored twice; no extra rating appears.
        XCTAssertEqual(try activeRatings(), ids.count, "the server holds each stored rating once", file: file, line: line)
        for id in ids {
            let record = try rating(id)
            XCTAssertEqual(record.ratingId, id, file: file, line: line)
            XCTAssertEqual(record.windowId, "w01", file: file, line: line)
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}

/// A thread-safe count for proxy rules (which run on the proxy's threads).
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    /// Counts one more and returns the new count (1 for the first).
    func next() -> Int { lock.withLock { count += 1; return count } }
    var value: Int { lock.withLock { count } }
}

/// A thread-safe switch for proxy rules.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var on = false
    func set() { lock.withLock { on = true } }
    var isSet: Bool { lock.withLock { on } }
}

/// Holds a SQLite database's write lock from another process (the `sqlite3` shell in `BEGIN IMMEDIATE`) until
/// `release()`: a writer in the process under test then waits inside its write.
final class SQLiteWriteLock {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var released = false

    init(path: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\nSELECT 'locked';\n".utf8))
        var seen = Data()
        let deadline = Date().addingTimeInterval(10)
        while !String(decoding: seen, as: UTF8.self).contains("locked") {
            guard Date() < deadline else { throw FaultInjectionTests.Failure("sqlite3 did not take the write lock of \(path): \(String(decoding: seen, as: UTF8.self))") }
            seen.append(output.fileHandleForReading.availableData)
        }
    }

    func release() {
        guard !released else { return }
        released = true
        input.fileHandleForWriting.write(Data("COMMIT;\n.quit\n".utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
