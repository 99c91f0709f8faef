import Foundation
import HallAPI
import HallTestSupport
import KioskEventStream
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The privacy canary of the kiosk's check-in (issue 21 items 3 and 7): the real `hallkiosk` (offscreen) reads a canary
/// card from `kiosk/idcard-sim` on a pty, looks it up, checks the appointment in and prints the ticket on
/// `kiosk/printer-sim`. The canary number reaches the hall server's request bodies — and nothing else: no log line, no
/// event, no outbox file, no print job, no QR payload (the ticket's URL). The hall server here answers the contract of
/// `HallAPI/Checkin.swift` from a loopback stub (the real endpoints are built on another branch).
final class CheckinCanaryTests: XCTestCase {
    static let canary = "430102198804125170"
    static let canaryName = "柯乃瑞"
    var folder: URL!
    var simulator: Process?
    var control: String?

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-checkin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if control != nil { send("quit") }
        if let simulator, simulator.isRunning {
            _ = waitUntil(3, poll: 0.02) { !simulator.isRunning }
            if simulator.isRunning { simulator.terminate() }
        }
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// `kiosk/idcard-sim` with one card, the canary; returns its pty link.
    private func startSimulator() throws -> String {
        let cards = folder.appendingPathComponent("cards")
        try FileManager.default.createDirectory(at: cards, withIntermediateDirectories: true)
        try """
        {"kind": "resident", "name": "\(Self.canaryName)", "gender": "2", "ethnic": "01", "birth": "19880412",
         "address": "湖南省长沙市示例区金丝雀路7号", "idNumber": "\(Self.canary)", "authority": "长沙市公安局示例分局",
         "validFrom": "20180412", "validTo": "20380412"}
        """.write(to: cards.appendingPathComponent("canary.json"), atomically: true, encoding: .utf8)
        let link = folder.appendingPathComponent("ttyIDCARD").path
        let control = folder.appendingPathComponent("idcard.ctl").path
        self.control = control
        let log = folder.appendingPathComponent("idcard-sim.log").path
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", BuiltProducts.repository.appendingPathComponent("kiosk/idcard-sim").path, "--link", link,
                             "--cards", cards.path, "--control", control]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        simulator = process
        _ = waitUntil(10, poll: 0.02) { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("ready ") }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard text.contains("ready \(link)") else { throw TestSetupFailure("kiosk/idcard-sim did not start: \(text)") }
        return link
    }

    private func send(_ line: String) {
        guard let control else { return }
        let fd = open(control, O_WRONLY | O_NONBLOCK)
        guard fd >= 0 else { return }
        _ = (line + "\n").withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }

    static func json<T: Encodable>(_ value: T) -> String {
        String(decoding: (try? HallJSON.encoder().encode(value)) ?? Data(), as: UTF8.self)
    }

    /// The hall server's contract, answered for the canary card: today's appointment at 户籍办理, checked in to A023.
    static func contractHall(lookupBase: String) -> ContractHTTPServer.Answer {
        { request in
            let now = Date()
            var status = DemoHall.status()
            status.now = now
            var ticket = DemoHall.ticket()
            ticket.priority = .appointment
            ticket.lookupUrl = lookupBase + "/t/" + ticket.token
            let appointment = AppointmentSummary(
                id: "apt-canary", source: "hall", service: ticket.service, slotStart: now.addingTimeInterval(600),
                slotEnd: now.addingTimeInterval(2400), status: .booked, checkinOpensAt: now.addingTimeInterval(-3000),
                checkinClosesAt: now.addingTimeInterval(1500), maskedId: PersonalDataMask.idNumber(canary),
                maskedName: PersonalDataMask.name(canaryName))
            switch (request.method, request.path) {
            case ("GET", "/api/v1/hall"): return (200, json(status))
            case ("POST", let path) where path.hasSuffix("/heartbeat"): return (200, json(HeartbeatAck(serverTime: now, hallDay: status.hallDay)))
            case ("POST", "/api/v1/checkins/lookup"):
                return (200, json(CardLookup(maskedId: appointment.maskedId, appointments: [appointment], pendingTickets: [],
                                             services: status.services.map { PersonServiceState(serviceId: $0.id) })))
            case ("POST", "/api/v1/checkins"):
                var checked = appointment
                checked.status = .checkedIn
                checked.ticketId = ticket.id
                return (201, json(CheckinResult(ticket: ticket, appointment: checked, lane: .appointment, reprint: false)))
            default:
                return (404, json(APIErrorBody(code: "notFound", message: "not in the check-in contract stub")))
            }
        }
    }

    func testACanaryCardChecksInAndLeavesItsNumberNowhereButTheRequestBodies() throws {
        let link = try startSimulator()
        let printer = try PrinterSim(self)
        let server = try ContractHTTPServer(answer: Self.contractHall(lookupBase: "http://hall.example"))
        defer { server.stop() }
        let outbox = folder.appendingPathComponent("outbox.sqlite").path
        let config = try KioskProcess.writeConfig(in: folder, serverURL: server.baseURL, size: (1080, 1920), offlineGraceSeconds: 30, extra: """
            [idcard]
            device = "\(link)"
            [printer]
            destination = "\(printer.printerURI)"
            [rating]
            outboxPath = "\(outbox)"
            """)
        let kiosk = try KioskProcess.launch(config: config, script: """
            wait-text 刷身份证取号 30000
            wait-text 预约时段 60000
            expect-text 柯**，您好
            expect-text 4301**********5170
            expect-no-text \(Self.canaryName)
            expect-no-text \(Self.canary)
            tap-text 签到取号
            wait-text 您的号码 10000
            expect-text A023
            expect-text 预约取号 · 优先叫号
            wait-event printed 30000
            wait 1600
            tap-text 完成
            wait-text 刷身份证取号 5000
            quit
            """, in: folder, environment: ["LOG_LEVEL": "debug"])
        XCTAssertTrue(waitUntil(30, poll: 0.05) { kiosk.events.records().contains { $0.event == "screen" && $0.fields["screen"] == "home" } },
                      "the kiosk never showed home")
        send("place canary")
        let (code, output) = kiosk.finish(timeoutSeconds: 90)
        XCTAssertEqual(code, 0, output)

        // The number went where it must: the lookup and check-in request bodies, and only those.
        let bodies = server.requests.filter { String(decoding: $0.body, as: UTF8.self).contains(Self.canary) }.map(\.path)
        XCTAssertEqual(bodies, ["/api/v1/checkins/lookup", "/api/v1/checkins"], "the card travelled to the hall server only for its two requests")
        XCTAssertEqual(kiosk.events.matching("printed", ["outcome": "printed"]).count, 1, output)
        XCTAssertEqual(kiosk.events.matching("ticketIssued", ["number": "A023"]).count, 1, output)

        // And nowhere else: log, events, outbox files, print jobs (and what the printer printed), the QR payload.
        var places: [(String, Data)] = [("kiosk log", Data(output.utf8)),
                                        ("events", FileManager.default.contents(atPath: kiosk.events.path) ?? Data())]
        for suffix in ["", "-wal", "-shm", "-journal"] {
            if let bytes = FileManager.default.contents(atPath: outbox + suffix) { places.append(("outbox" + suffix, bytes)) }
        }
        XCTAssertTrue(places.contains { $0.0 == "outbox" }, "the outbox file exists and is inspected")
        let jobs = printer.jobFiles() + printer.sinkFiles()
        XCTAssertFalse(jobs.isEmpty, "a print job was captured")
        for job in jobs { places.append(("print job \(job.lastPathComponent)", (try? Data(contentsOf: job)) ?? Data())) }
        for (secret, what) in [(Self.canary, "number"), (Self.canaryName, "name"), ("湖南省长沙市示例区金丝雀路7号", "address")] {
            for (place, bytes) in places {
                XCTAssertNil(bytes.range(of: Data(secret.utf8)), "the canary card's \(what) is in the \(place)")
            }
        }
    }
}
