import Foundation
import HallAPI
import KioskApp
import KioskHTTP
import KioskOutbox
import Logging

/// Measures the rating outbox: rating submit → stored durably (the wait before "thank you"), and how
/// fast a backlog drains to a real hall server after an outage (see kiosk/bench/outbox-bench).
public enum OutboxBenchmark {
    /// What to run against. Defaults are the demo hall's (kiosk/demo/hall.toml).
    public struct Options: Sendable {
        public var serverURL: String
        public var folder: String
        public var storeCount = 2000
        public var drainCount = 500
        public var concurrency = 4
        public var ratingDeviceId = LabDemoHall.ratingDeviceId
        public var ratingToken = LabDemoHall.ratingToken
        public var kioskId = LabDemoHall.kioskId
        public var kioskToken = LabDemoHall.kioskToken
        public var windowId = LabDemoHall.windowId
        public var staffEmployeeNo = LabDemoHall.staffEmployeeNo
        public var staffPin = LabDemoHall.staffPin
        public var serviceId = LabDemoHall.serviceId

        public init(serverURL: String, folder: String) {
            self.serverURL = serverURL
            self.folder = folder
        }
    }

    public struct Result: Sendable {
        /// `store(_:)` latency per rating, ms.
        public var storeMilliseconds: [Double]
        /// Ratings drained and the seconds it took.
        public var drained: Int
        public var drainSeconds: Double
        public var drainPerSecond: Double { drainSeconds > 0 ? Double(drained) / drainSeconds : 0 }
    }

    public struct Failure: Error, CustomStringConvertible { public var description: String }

    public static func run(_ o: Options, logger: Logger = Logger(label: "hallkiosk.bench")) async throws -> Result {
        // 1. Submit → stored, one transaction and fsync each.
        let storePath = o.folder + "/store-\(UUID().uuidString).sqlite"
        let storeBox = try RatingOutbox(path: storePath, logger: quiet(logger))
        var storeMs: [Double] = []
        storeMs.reserveCapacity(o.storeCount)
        for i in 0..<o.storeCount {
            let level = RatingLevel.allCases[i % 5]
            let r = RatingSubmission(ratingId: UUID().uuidString, ticketId: "bench-\(i)", windowId: o.windowId, channel: .windowDevice,
                                     deviceId: o.ratingDeviceId, level: level, reasons: level.isBad ? [.efficiency] : [], ratedAt: Date())
            let start = ContinuousClock.now
            try storeBox.store(r)
            storeMs.append(milliseconds(ContinuousClock.now - start))
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) }

        // 2. A backlog stored while the server was away drains when it is back.
        let tickets = try await completedTickets(o)
        let drainPath = o.folder + "/drain-\(UUID().uuidString).sqlite"
        let outbox = try RatingOutbox(path: drainPath, logger: quiet(logger))
        for t in tickets {
            try outbox.store(RatingSubmission(ratingId: UUID().uuidString, ticketId: t, windowId: o.windowId, channel: .windowDevice,
                                              deviceId: o.ratingDeviceId, level: .satisfied, ratedAt: Date()))
        }
        let client = try HallClient(configuration: HallClientConfiguration(baseURL: o.serverURL, deviceId: o.ratingDeviceId,
                                                                          deviceToken: o.ratingToken))
        let sender = OutboxSender(outbox: outbox, poster: client, concurrency: o.concurrency, logger: quiet(logger))
        let start = ContinuousClock.now
        let task = Task { await sender.run() }
        for await status in sender.statusUpdates() where status.pending == 0 { break }
        let elapsed = ContinuousClock.now - start
        task.cancel()
        await task.value
        await client.shutdown()
        let counts = try outbox.counts()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: drainPath + suffix) }
        guard counts.delivered == tickets.count else {
            throw Failure(description: "drained \(counts.delivered) of \(tickets.count) (rejected \(counts.rejected), conflicts \(counts.conflicts))")
        }
        return Result(storeMilliseconds: storeMs, drained: tickets.count, drainSeconds: seconds(elapsed))
    }

    /// `p`-th percentile (nearest rank) of `values`.
    public static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    // MARK: Setup (not measured)

    /// Issues `drainCount` tickets at the kiosk and has the staff member call and complete each.
    static func completedTickets(_ o: Options) async throws -> [String] {
        // The hall client (AsyncHTTPClient), so the kiosk binary never links FoundationNetworking / libcurl.
        let client = try HallClient(configuration: HallClientConfiguration(baseURL: o.serverURL, deviceId: o.ratingDeviceId,
                                                                          deviceToken: o.ratingToken, requestTimeoutSeconds: 10))
        do {
            let ids = try await completedTickets(o, client: client)
            await client.shutdown()
            return ids
        } catch {
            await client.shutdown()
            throw error
        }
    }

    static func completedTickets(_ o: Options, client: HallClient) async throws -> [String] {
        func request(_ o: Options, _ method: String, _ path: String, token: String?, body: String?,
                     headers: [(String, String)] = []) async throws -> Data {
            try await Self.request(client, method, path, token: token, body: body, headers: headers)
        }
        let login = try await request(o, "POST", "/api/v1/windows/\(o.windowId)/login", token: nil,
                                      body: #"{"employeeNo":"\#(o.staffEmployeeNo)","pin":"\#(o.staffPin)","takeover":true}"#)
        guard let staff = (try JSONSerialization.jsonObject(with: login) as? [String: Any])?["staffToken"] as? String else {
            throw Failure(description: "staff login failed: \(String(decoding: login, as: UTF8.self))")
        }
        var ids: [String] = []
        for _ in 0..<o.drainCount {
            let issued = try await request(o, "POST", "/api/v1/tickets", token: o.kioskToken,
                                           body: #"{"serviceId":"\#(o.serviceId)","kioskId":"\#(o.kioskId)"}"#,
                                           headers: [("Idempotency-Key", UUID().uuidString)])
            guard let id = (try JSONSerialization.jsonObject(with: issued) as? [String: Any])?["id"] as? String else {
                throw Failure(description: "no ticket: \(String(decoding: issued, as: UTF8.self))")
            }
            _ = try await request(o, "POST", "/api/v1/windows/\(o.windowId)/call-next", token: staff, body: nil)
            _ = try await request(o, "POST", "/api/v1/windows/\(o.windowId)/complete", token: staff, body: nil)
            ids.append(id)
        }
        return ids
    }

    static func request(_ client: HallClient, _ method: String, _ path: String, token: String?, body: String?,
                        headers: [(String, String)] = []) async throws -> Data {
        let (status, data) = try await client.rawRequest(method, path, bearer: token, json: body, headers: headers)
        guard (200..<300).contains(status) else {
            throw Failure(description: "\(method) \(path) → \(status): \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        return data
    }

    static func quiet(_ logger: Logger) -> Logger {
        var l = logger
        l.logLevel = .warning
        return l
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    static func seconds(_ d: Duration) -> Double { milliseconds(d) / 1000 }
}
