import Foundation
import Prometheus

/// Prometheus metrics of the hall server, served at `/metrics`.
public final class HallMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let requests: Counter
    private let errors: Counter

    public init() {
        requests = registry.makeCounter(descriptor: Self.name("hall_http_requests", "total", "HTTP requests answered"))
        errors = registry.makeCounter(descriptor: Self.name("hall_http_errors", "total", "HTTP requests answered with a 5xx status"))
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: metric, unitName: unit, helpText: help)
    }

    /// Counts one answered request; `HallErrorMiddleware` (the outermost middleware) calls this for
    /// every answer, including the 413 and 429 answers inner middleware makes.
    func answered(failed: Bool) {
        requests.increment()
        if failed { errors.increment() }
    }

    /// Sets the disk-full gauge and the refused-write count (read at `/metrics`).
    func setDisk(full: Bool, refusedWrites: Int) {
        registry.makeGauge(descriptor: Self.name("hall_disk", "full", "1 while the database's disk is full and writes answer 503 diskFull"))
            .set(full ? 1.0 : 0.0)
        registry.makeGauge(descriptor: Self.name("hall_disk_full_refused", "writes", "Writes refused with 503 diskFull since start"))
            .set(Double(refusedWrites))
    }

    func ticketIssued(serviceId: String) {
        registry.makeCounter(descriptor: Self.name("hall_tickets_issued", "total", "Tickets issued"),
                             labels: [("service", serviceId)]).increment()
    }

    func serviceCompleted(serviceId: String) {
        registry.makeCounter(descriptor: Self.name("hall_services_completed", "total", "Services completed at windows"),
                             labels: [("service", serviceId)]).increment()
    }

    func ticketsExpired(serviceId: String, count: Int) {
        registry.makeCounter(descriptor: Self.name("hall_tickets_expired", "total", "Tickets still waiting when their hall day ended (未办理)"),
                             labels: [("service", serviceId)]).increment(by: Int64(count))
    }

    func ratingStored(channel: String, level: String) {
        registry.makeCounter(descriptor: Self.name("hall_ratings_stored", "total", "Ratings stored"),
                             labels: [("channel", channel), ("level", level)]).increment()
    }

    func heartbeat(deviceId: String, outboxDepth: Int) {
        registry.makeGauge(descriptor: Self.name("hall_device_outbox", "depth", "Ratings waiting in a device's outbox"),
                           labels: [("device", deviceId)]).set(Double(outboxDepth))
        registry.makeGauge(descriptor: Self.name("hall_device_last_heartbeat", "seconds", "Unix time of a device's last heartbeat"),
                           labels: [("device", deviceId)]).set(Date().timeIntervalSince1970)
    }

    /// Sets the gauge of tickets waiting now for a service.
    func setWaiting(serviceId: String, count: Int) {
        registry.makeGauge(descriptor: Self.name("hall_tickets", "waiting", "Tickets waiting now"),
                           labels: [("service", serviceId)]).set(Double(count))
    }

    /// The Prometheus text exposition.
    public func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
