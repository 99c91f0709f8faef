import Foundation
import HallAPI
@testable import HallServer
import HallTestSupport
import Logging
import XCTest

/// Appointments must not starve walk-ins (issue 21): a simulated busy day at one service with three windows, run
/// through the real stores (an SQLite file; a database on the private PostgreSQL), with and without the
/// `appointmentsInARow` rule. The clock and the randomness are the only fakes: a seeded generator draws the arrivals and
/// the service times, and each store call gets the simulated moment.
///
/// The bound. While walk-in X waits, at a service whose only priority lane in use is appointments, any N + 1 calls in a
/// row made after X was issued hold at least one walk-in call (after N appointment calls the longest-waiting walk-in,
/// issued no later than X, is owed the next one). Walk-ins are called in issue order, so X, with q walk-ins waiting
/// ahead of it, is called by the (q + 1)(N + 1)-th call after its issue. While anybody waits, each of the W windows calls
/// again at most S_max after its last call, so that call comes within ⌈(q + 1)(N + 1) / W⌉ · S_max.
final class AppointmentFairnessSimulationTests: XCTestCase {
    private var folders: [URL] = []
    private var opened: [PostgresHallStore] = []
    private var databases: [String] = []

    override func tearDown() async throws {
        for folder in folders { try? FileManager.default.removeItem(at: folder) }
        for store in opened { store.close() }
        if !databases.isEmpty, let server = try? PrivatePostgres.shared() {
            for name in databases { server.dropDatabase(name) }
        }
        folders = []
        opened = []
        databases = []
    }

    private func sqliteStore() throws -> any HallStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fairness-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        folders.append(dir)
        return try SQLiteHallStore(path: dir.appendingPathComponent("hall.sqlite").path, reserveBytes: 0)
    }

    private func postgresStore() async throws -> any HallStore {
        let url = try PrivatePostgres.shared().freshDatabase()
        databases.append(String(url.split(separator: "/").last!))
        var logger = Logger(label: "fairness-simulation")
        logger.logLevel = .critical
        let store = try await PostgresHallStore.open(try PostgresLocation(url: url), hallId: "sim-hall", options: PostgresOptions(),
                                                     logger: logger)
        opened.append(store)
        return store
    }

    func testOnSQLiteNoWalkInWaitsPastTheBoundAndAppointmentsKeepTheirSlot() async throws {
        try await checkTheDay(backend: "SQLite", store: sqliteStore)
    }

    func testOnPostgreSQLNoWalkInWaitsPastTheBoundAndAppointmentsKeepTheirSlot() async throws {
        try await checkTheDay(backend: "PostgreSQL", store: postgresStore)
    }

    private func checkTheDay(backend: String, store: () async throws -> any HallStore) async throws {
        let day = SimulatedDay(seed: 20261206)
        let fair = try await day.run(on: store(), appointmentsInARow: 2)
        let unfair = try await day.run(on: store(), appointmentsInARow: 0)
        print("fairness on \(backend): \(day.arrivals.filter(\.appointment).count) appointments, "
              + "\(day.arrivals.filter { !$0.appointment }.count) walk-ins, \(SimulatedDay.windows) windows")
        print("  with the rule (N = 2): \(fair.summary)")
        print("  without it:            \(unfair.summary)")

        XCTAssertEqual(fair.calls.count, day.arrivals.count, "\(backend): everybody is served by the day's end")
        XCTAssertEqual(unfair.calls.count, day.arrivals.count, "\(backend): everybody is served by the day's end (no rule)")
        for call in fair.calls where !call.arrival.appointment {
            let bound = SimulatedDay.walkInBound(walkInsAhead: call.walkInsAhead, appointmentsInARow: 2)
            XCTAssertLessThanOrEqual(call.wait, bound, "\(backend): a walk-in with \(call.walkInsAhead) walk-ins ahead waited "
                                     + "\(Int(call.wait)) s, more than the rule's bound \(Int(bound)) s")
        }
        // The bound is not a formality: without the rule, the same day breaks it.
        let broken = unfair.calls.filter {
            !$0.arrival.appointment && $0.wait > SimulatedDay.walkInBound(walkInsAhead: $0.walkInsAhead, appointmentsInARow: 2)
        }
        XCTAssertFalse(broken.isEmpty, "\(backend): without the rule some walk-in should wait past the bound")
        XCTAssertLessThan(SimulatedDay.p95(fair.walkInWaits), SimulatedDay.p95(unfair.walkInWaits),
                          "\(backend): the rule shortens the p95 walk-in wait")
        // Appointment holders are still served in their slot: called before it ends.
        for call in fair.calls where call.arrival.appointment {
            let slotEnd = call.arrival.slotStart! + SimulatedDay.slotSeconds
            XCTAssertLessThanOrEqual(call.calledAt, slotEnd, "\(backend): an appointment of the slot at "
                                     + "\(SimulatedDay.clock(call.arrival.slotStart!)) was called at \(SimulatedDay.clock(call.calledAt)), after its slot")
        }
        XCTAssertLessThanOrEqual(SimulatedDay.p95(fair.appointmentWaits), 15 * 60,
                                 "\(backend): 95 % of appointment holders wait at most 15 minutes past their slot's start or their arrival")
    }
}

/// One hall day, 09:00–17:00, at one service with three windows: bookings of 8 per 30-minute slot, their holders
/// arriving from 20 minutes before to 10 minutes after the slot's start, and walk-ins at random (6 an hour until
/// 16:30); every service takes 4 to 10 minutes. About 86 % of the windows' capacity, most of it booked: the day on which
/// appointment bursts starve walk-ins.
struct SimulatedDay {
    static let windows = 3
    static let open: Double = 9 * 3600
    static let close: Double = 17 * 3600
    static let slotSeconds: Double = 30 * 60
    static let perSlot = 8
    static let longestService: Double = 10 * 60
    static let shortestService: Double = 4 * 60
    static let walkInsPerHour = 6.0
    /// Midnight of the simulated hall day.
    static let midnight = Date(timeIntervalSince1970: 1_796_601_600)
    static let hallDay = "2026-12-07"

    struct Arrival {
        let at: Double
        let appointment: Bool
        let slotStart: Double?
        let serviceSeconds: Double
    }

    struct Call {
        let arrival: Arrival
        let calledAt: Double
        /// Walk-ins waiting when this ticket was issued (for walk-ins: those ahead of it).
        let walkInsAhead: Int
        /// Waited from issue (for appointments: from the later of issue and the slot's start).
        var wait: Double {
            calledAt - max(arrival.at, arrival.appointment ? arrival.slotStart! : arrival.at)
        }
    }

    struct Outcome {
        let calls: [Call]
        var walkInWaits: [Double] { calls.filter { !$0.arrival.appointment }.map(\.wait) }
        var appointmentWaits: [Double] { calls.filter(\.arrival.appointment).map(\.wait) }
        var summary: String {
            func minutes(_ s: Double) -> String { String(format: "%.1f min", s / 60) }
            return "walk-ins waited p95 \(minutes(SimulatedDay.p95(walkInWaits))), longest \(minutes(walkInWaits.max() ?? 0)); "
                + "appointments p95 \(minutes(SimulatedDay.p95(appointmentWaits))), longest \(minutes(appointmentWaits.max() ?? 0))"
        }
    }

    let arrivals: [Arrival]

    init(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var all: [Arrival] = []
        var slot = Self.open
        while slot < Self.close {
            for _ in 0..<Self.perSlot {
                let at = max(Self.open, slot + Double(random.next() % 1801) - 1200)
                all.append(Arrival(at: at.rounded(), appointment: true, slotStart: slot, serviceSeconds: Self.serviceTime(&random)))
            }
            slot += Self.slotSeconds
        }
        var at = Self.open
        while true {
            let u = Double(random.next() % 1_000_000 + 1) / 1_000_001
            at += (-log(u) * 3600 / Self.walkInsPerHour).rounded(.up)
            guard at < Self.close - 1800 else { break }
            all.append(Arrival(at: at, appointment: false, slotStart: nil, serviceSeconds: Self.serviceTime(&random)))
        }
        arrivals = all.sorted { $0.at < $1.at }
    }

    private static func serviceTime(_ random: inout SplitMix64) -> Double {
        shortestService + Double(random.next() % UInt64(longestService - shortestService + 1))
    }

    /// The longest a walk-in with `walkInsAhead` walk-ins waiting ahead of it can wait under the rule (see the test).
    static func walkInBound(walkInsAhead: Int, appointmentsInARow n: Int) -> Double {
        let calls = (walkInsAhead + 1) * (n + 1)
        return Double((calls + windows - 1) / windows) * longestService
    }

    static func p95(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.95).rounded(.up)) - 1)]
    }

    static func clock(_ seconds: Double) -> String {
        String(format: "%02d:%02d:%02d", Int(seconds) / 3600, Int(seconds) % 3600 / 60, Int(seconds) % 60)
    }

    /// Plays the day on `store`: at each moment, services that end are completed, arrivals take their tickets, then every
    /// idle window calls next. `appointmentsInARow` 0: no rule (appointments always first).
    func run(on store: any HallStore, appointmentsInARow: Int) async throws -> Outcome {
        var pending = arrivals[...]
        var byTicket: [String: (arrival: Arrival, walkInsAhead: Int)] = [:]
        var waitingWalkIns = Set<String>()
        var busyUntil: [Double?] = Array(repeating: nil, count: Self.windows)
        var calls: [Call] = []
        while true {
            let nextEnd = busyUntil.compactMap { $0 }.min()
            let nextArrival = pending.first?.at
            guard let now = [nextEnd, nextArrival].compactMap({ $0 }).min() else { break }
            for w in 0..<Self.windows where busyUntil[w] == now {
                _ = try await store.complete(StoreContract.move("w\(w + 1)", at: date(now), type: .serviceCompleted))
                busyUntil[w] = nil
            }
            while let a = pending.first, a.at == now {
                pending.removeFirst()
                let id = UUID().uuidString
                let issue = TicketIssue(id: id, token: "tok" + id.replacingOccurrences(of: "-", with: ""), kioskId: "kiosk-1",
                                        idempotencyKey: id, requestFingerprint: "hukou", hallDay: Self.hallDay, serviceId: "hukou",
                                        priority: a.appointment ? .appointment : nil, rank: a.appointment ? 0 : 1, issuedAt: date(now))
                _ = try await store.issueTicket(issue, rules: StoreContract.numbering())
                byTicket[id] = (a, waitingWalkIns.count)
                if !a.appointment { waitingWalkIns.insert(id) }
            }
            for w in 0..<Self.windows where busyUntil[w] == nil {
                // Windows calling at the same moment call a millisecond apart, in window order (the waits count from the moment).
                let at = now + Double(w) / 1000
                let move = StoreContract.move("w\(w + 1)", staff: "s\(w + 1)", at: date(at), type: .ticketCalled, needsCurrent: false)
                guard let called = try await store.callNext(move, hallDays: [Self.hallDay], serviceIds: ["hukou"],
                                                            appointmentsInARow: appointmentsInARow) else { break }
                guard let known = byTicket[called.ticket.id] else { throw TestFailure("an unknown ticket was called") }
                waitingWalkIns.remove(called.ticket.id)
                calls.append(Call(arrival: known.arrival, calledAt: now, walkInsAhead: known.walkInsAhead))
                busyUntil[w] = now + known.arrival.serviceSeconds
            }
        }
        return Outcome(calls: calls)
    }

    private func date(_ seconds: Double) -> Date { Self.midnight + seconds }
}

/// A small seeded generator (SplitMix64): the same day every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
