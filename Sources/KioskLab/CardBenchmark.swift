import FaultInjection
import Foundation
import HallAPI
import KioskApp
import KioskCore
import KioskHTTP
import KioskSDL
#if canImport(Glibc)
import Glibc
#endif

/// Measures the check-in by ID card as a citizen meets it (issue 21): a card placed on `kiosk/idcard-sim` (real
/// 115200-baud timing on a pty), read by the kiosk's own reader adapter, looked up at the hall server, the appointment
/// checked in with one touch, the ticket on screen — through the real run loop and SDL renderer.
public enum CardBenchmark {
    public struct Result: Sendable {
        /// The read reply's last byte decoded → the first frame that answers it (the looking-up screen), ms.
        public var lastByteToFirstFrame: [Double] = []
        /// The read reply's last byte decoded → the appointment on screen (includes the lookup at the hall server), ms.
        public var lastByteToOffer: [Double] = []
        /// "place" written to the simulator → the appointment on screen (reader polling, find, select, read on the
        /// wire, lookup, frame), ms.
        public var placedToOffer: [Double] = []
        /// 签到取号 touched → the ticket on screen (check-in at the hall server, frame), ms.
        public var touchToTicket: [Double] = []
        /// Machine time of the whole check-in: placed → offer plus touch → ticket (without the citizen's reaction), ms.
        public var placedToTicket: [Double] { zip(placedToOffer, touchToTicket).map { $0 + $1 } }
    }

    public struct Failure: Error, CustomStringConvertible { public var description: String }

    /// Runs `cycles` check-ins of `card` (a file name in the simulator's cards folder) through `control` (the
    /// simulator's control FIFO).
    /// `beforeCycle` runs before each placement (e.g. pushes the card's appointment to a real hall server).
    public static func run(runner: KioskRunner, window: KioskWindow, control: String, card: String, cycles: Int,
                           beforeCycle: ((Int) throws -> Void)? = nil) throws -> Result {
        var result = Result()
        runner.start()
        defer { runner.stop() }
        func until(_ what: String, timeout: Double = 10, _ condition: () -> Bool) throws {
            let deadline = Date().addingTimeInterval(timeout)
            while !condition() {
                guard Date() < deadline else { throw Failure(description: "timed out waiting for \(what) (screen \(runner.screenName.rawValue))") }
                _ = runner.step(maxWaitMilliseconds: 2)
            }
        }
        func offerShown() -> Bool {
            runner.display.hitRegions.contains { if case .checkInAppointment = $0.action { return $0.enabled } else { return false } }
        }
        func send(_ line: String) throws {
            let fd = open(control, O_WRONLY | O_NONBLOCK)
            guard fd >= 0 else { throw Failure(description: "cannot open the simulator's control FIFO \(control)") }
            defer { close(fd) }
            _ = (line + "\n").withCString { write(fd, $0, strlen($0)) }
        }
        try until("the home screen with the card invitation", timeout: 30) {
            runner.screenName == .home && runner.display.hitRegions.contains { $0.action == .openBookingCode }
        }
        for cycle in 1...cycles {
            try beforeCycle?(cycle)
            try send("remove")
            // The reader is edge-triggered: it must see the card gone (a find that fails, polled every 100 ms) before
            // the next placement counts, as when a citizen lifts the card.
            let lifted = Date().addingTimeInterval(0.35)
            while Date() < lifted { _ = runner.step(maxWaitMilliseconds: 5) }
            let before = runner.lastCardReadAt
            let placed = ContinuousClock.now
            try send("place \(card)")
            try until("the card read at cycle \(cycle)", timeout: 10) { runner.lastCardReadAt != before }
            guard let read = runner.lastCardReadAt else { throw Failure(description: "no card time") }
            try until("the first frame at cycle \(cycle)") { runner.screenName == .checkin }
            result.lastByteToFirstFrame.append(milliseconds(ContinuousClock.now - read))
            try until("the appointment at cycle \(cycle)") { offerShown() }
            let offer = ContinuousClock.now
            result.lastByteToOffer.append(milliseconds(offer - read))
            result.placedToOffer.append(milliseconds(offer - placed))
            guard let point = runner.display.tapPoint(forLabelContaining: "签到取号") ?? runner.display.tapPoint(forLabelContaining: "Check in") else {
                throw Failure(description: "no check-in button at cycle \(cycle)")
            }
            window.inject(.touchDown(point))
            window.inject(.touchUp(point))
            let touched = ContinuousClock.now
            try until("the ticket at cycle \(cycle)") { runner.screenName == .ticket }
            result.touchToTicket.append(milliseconds(ContinuousClock.now - touched))
            try until("the ticket printed at cycle \(cycle)", timeout: 60) { !runner.ticketPrintPending }
            guard let done = runner.display.tapPoint(forLabelContaining: "完成") ?? runner.display.tapPoint(forLabelContaining: "Done") else {
                throw Failure(description: "no done button on the ticket screen")
            }
            window.inject(.touchDown(done))
            window.inject(.touchUp(done))
            try until("home at cycle \(cycle)") { runner.screenName == .home }
        }
        try send("remove")
        return result
    }

    /// Pushes today's appointment for the card (as the provincial platform would: `PUT /api/v1/appointments/bench/…`
    /// with the admin token), slot starting in 10 minutes, at `serviceId`. Blocks until the hall server answered.
    public static func pushAppointment(baseURL: String, adminToken: String, runId: String, cycle: Int, serviceId: String,
                                       idNumber: String, name: String) throws {
        let now = Date()
        let push = AppointmentPush(serviceId: serviceId, slotStart: now.addingTimeInterval(600), slotEnd: now.addingTimeInterval(2400),
                                   idNumber: idNumber, name: name)
        let body = String(decoding: try HallJSON.encoder().encode(push), as: UTF8.self)
        let client: HallClient
        do {
            client = try HallClient(configuration: HallClientConfiguration(baseURL: baseURL, deviceId: "card-bench", deviceToken: adminToken))
        } catch { throw Failure(description: "hall client: \(error)") }
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        let path = "/api/v1/appointments/bench/\(runId)-\(cycle)"
        Task.detached {
            do {
                let (status, data) = try await client.rawRequest("PUT", path, bearer: adminToken, json: body)
                outcome.set((200..<300).contains(status) ? nil
                            : "appointment push answered \(status): \(String(decoding: data.prefix(200), as: UTF8.self))")
            } catch {
                outcome.set("appointment push: \(error)")
            }
            await client.shutdown()
            done.signal()
        }
        guard done.wait(timeout: .now() + 10) == .success else { throw Failure(description: "appointment push: no answer in 10 s") }
        if let problem = outcome.value { throw Failure(description: problem) }
    }

    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var problem: String?
        func set(_ value: String?) { lock.withLock { problem = value } }
        var value: String? { lock.withLock { problem } }
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    /// A loopback stand-in for the hall server's check-in endpoints (the contract of `HallAPI/Checkin.swift`), for
    /// measuring the kiosk's part before the real endpoints exist: hall status, heartbeats, a lookup with one booked
    /// appointment, check-ins that issue `A001`, `A002` … Everything else: 404.
    public static func contractStub(hall: HallStatus) throws -> ContractHTTPServer {
        let counter = Counter()
        return try ContractHTTPServer { request in
            let now = Date()
            var status = hall
            status.now = now
            let service = hall.services.first { $0.state == .open } ?? hall.services[0]
            let ref = ServiceRef(id: service.id, name: service.name, prefix: service.prefix)
            let appointment = AppointmentSummary(
                id: "apt-bench", source: "hall", service: ref, slotStart: now.addingTimeInterval(600), slotEnd: now.addingTimeInterval(2400),
                status: .booked, checkinOpensAt: now.addingTimeInterval(-3000), checkinClosesAt: now.addingTimeInterval(1500),
                maskedId: "1101**********1239", maskedName: "张*")
            func json<T: Encodable>(_ value: T) -> String { String(decoding: (try? HallJSON.encoder().encode(value)) ?? Data(), as: UTF8.self) }
            switch (request.method, request.path) {
            case ("GET", "/api/v1/hall"): return (200, json(status))
            case ("POST", let path) where path.hasSuffix("/heartbeat"): return (200, json(HeartbeatAck(serverTime: now, hallDay: status.hallDay)))
            case ("POST", "/api/v1/checkins/lookup"):
                return (200, json(CardLookup(maskedId: appointment.maskedId, appointments: [appointment], pendingTickets: [],
                                             services: hall.services.map { PersonServiceState(serviceId: $0.id) })))
            case ("POST", "/api/v1/checkins"):
                let n = counter.next()
                let ticket = IssuedTicket(id: "bench-\(n)", number: service.prefix + String(format: "%03d", n % 1000), service: ref,
                                          issuedAt: now, hallDay: status.hallDay, priority: .appointment, waitingAhead: 0,
                                          estimatedWaitMinutes: 0, token: "benchtoken\(n)", lookupUrl: "http://127.0.0.1/t/benchtoken\(n)")
                return (201, json(CheckinResult(ticket: ticket, appointment: appointment, lane: .appointment, reprint: false)))
            default:
                return (404, json(APIErrorBody(code: "notFound", message: "not in the check-in contract stub")))
            }
        }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int { lock.withLock { value += 1; return value } }
    }
}
