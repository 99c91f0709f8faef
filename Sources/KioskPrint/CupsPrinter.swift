import CCups
import Dispatch
import Foundation
import HallAPI
import KioskCore
import Logging

/// The CUPS adapter: submits ticket documents to a destination with libcups, follows each job to its end,
/// and asks the printer how it is. Every libcups call runs on this printer's own dispatch queues, never on
/// the caller's thread (the kiosk's UI thread stays free).
public final class CupsPrinter: Sendable {
    /// `printer.format`: what to send.
    public enum FormatChoice: String, Hashable, Sendable, CaseIterable {
        /// PWG raster when the destination takes it, else PNG.
        case auto
        case pwg
        case png
        /// Raw ESC/POS bytes, for a raw queue to a receipt printer.
        case escpos
    }

    /// How jobs are sent and followed.
    public struct Options: Hashable, Sendable {
        public var destination: PrintDestination
        public var format: FormatChoice
        /// The kiosk's own deadline for a job to complete; the job is cancelled after it. Default 20 s.
        public var jobTimeoutSeconds: Double
        /// Connect and answer timeout of each request. Default 5 s.
        public var requestTimeoutSeconds: Double
        /// How long a fault seen during a job (paper out, offline…) may last before the job is given up. Default 3 s.
        public var faultGraceSeconds: Double
        /// Pause between Get-Job-Attributes requests. Default 0.1 s.
        public var followIntervalSeconds: Double
        /// Feed and cut for ESC/POS.
        public var escpos: ESCPOSEncoder.Options
        /// The cupsd for queue destinations (`host:port` or a socket path); default `CUPS_SERVER` at creation,
        /// else the system default. Set on each libcups thread before use (libcups keeps it per thread).
        public var cupsServer: String?

        public init(destination: PrintDestination, format: FormatChoice = .auto, jobTimeoutSeconds: Double = 20,
                    requestTimeoutSeconds: Double = 5, faultGraceSeconds: Double = 3, followIntervalSeconds: Double = 0.1,
                    escpos: ESCPOSEncoder.Options = ESCPOSEncoder.Options(),
                    cupsServer: String? = ProcessInfo.processInfo.environment["CUPS_SERVER"]) {
            self.destination = destination
            self.format = format
            self.jobTimeoutSeconds = jobTimeoutSeconds
            self.requestTimeoutSeconds = requestTimeoutSeconds
            self.faultGraceSeconds = faultGraceSeconds
            self.followIntervalSeconds = followIntervalSeconds
            self.escpos = escpos
            self.cupsServer = cupsServer
        }

        /// `job-cancel-after` sent with every job: the kiosk's deadline plus a margin, so CUPS (or the printer)
        /// drops a job the kiosk could not cancel itself.
        public var jobCancelAfterSeconds: Int { Int(jobTimeoutSeconds.rounded(.up)) + 10 }
    }

    /// A job CUPS accepted.
    public struct SubmittedJob: Hashable, Sendable {
        public var id: Int
        public var format: DocumentFormat
        /// Where the job lives (the queue's or the printer's URI).
        public var printerURI: String
        public var bytes: Int
        /// When `cupsFinishDestDocument` returned.
        public var acceptedAt: ContinuousClock.Instant
    }

    public let options: Options
    private let logger: Logger
    private let jobs = DispatchQueue(label: "hallkiosk.cups.jobs")
    private let probes = DispatchQueue(label: "hallkiosk.cups.probes")

    public init(options: Options, logger: Logger = Logger(label: "hallkiosk.print")) {
        self.options = options
        self.logger = logger
    }

    // MARK: - health

    /// Asks the destination (and, for a cupsd queue with an `ipp://` device, the printer behind it) how it is.
    public func health() async -> PrinterHealth {
        await blocking(on: probes) { self.healthNow() }
    }

    func healthNow() -> PrinterHealth {
        let timeout = options.requestTimeoutSeconds
        switch options.destination {
        case .uri(let uri):
            return PrinterHealth.from(queue: nil, device: Self.status(uri: uri, timeout: timeout))
        case .queue(let name):
            useCupsServer()
            let endpoint = IPPEndpoint(queue: name)
            let queue = Self.status(endpoint, timeout: timeout).mapError { error -> PrintError in
                error.kind == .unreachable ? error
                    : PrintError(.rejected, "\(self.serverDescription) has no usable queue '\(name)': \(error.description) "
                        + "(list queues with `lpstat -p`)")
            }
            var device: Result<PrinterStatus, PrintError>?
            if case .success(let q) = queue, let uri = q.deviceURI, uri.hasPrefix("ipp://") || uri.hasPrefix("ipps://") {
                device = Self.status(uri: uri, timeout: min(timeout, 3))
            }
            return PrinterHealth.from(queue: queue, device: device)
        }
    }

    static func status(uri: String, timeout: Double) -> Result<PrinterStatus, PrintError> {
        guard let endpoint = IPPEndpoint(uri: uri) else {
            return .failure(PrintError(.configuration, "'\(uri)' is not a printer URI libcups understands"))
        }
        return status(endpoint, timeout: timeout)
    }

    static func status(_ endpoint: IPPEndpoint, timeout: Double) -> Result<PrinterStatus, PrintError> {
        switch endpoint.connect(timeout: timeout) {
        case .failure(let error): return .failure(error)
        case .success(let http):
            defer { httpClose(http) }
            return IPPRequests.printerStatus(http, printerURI: endpoint.uri, resource: endpoint.resource)
        }
    }

    /// "cupsd localhost:631", for messages.
    var serverDescription: String { options.cupsServer.map { "cupsd \($0)" } ?? "the local cupsd" }

    // MARK: - jobs

    /// Encodes `raster` in the chosen format and submits it as one job; returns when CUPS has accepted it.
    public func submit(_ raster: Raster, title: String) async -> Result<SubmittedJob, PrintError> {
        await blocking(on: jobs) { self.submitNow(raster, title: title) }
    }

    /// Follows `job` to its end or the kiosk's deadline (then cancels it). `onHealth` hears what the printer
    /// said while the job waited.
    public func follow(_ job: SubmittedJob, onHealth: @escaping @Sendable (PrinterHealth) -> Void = { _ in }) async -> PrintOutcome {
        let clock = ContinuousClock()
        let deadline = job.acceptedAt.advanced(by: .seconds(options.jobTimeoutSeconds))
        var faultSince: ContinuousClock.Instant?
        var nextProbe = clock.now.advanced(by: .milliseconds(500))
        var last = "pending"
        while true {
            let status = await blocking(on: jobs) { self.jobStatusNow(job) }
            switch status {
            case .success(let s) where s.isTerminal:
                let result = outcome(of: s, job: job)
                guard result == .printed, let unreachable = await printerBehindQueueUnreachable() else { return result }
                onHealth(PrinterHealth(condition: .offline, reasons: ["offline"], message: unreachable))
                return .failed(reason: "cupsd says job \(job.id) completed, but the printer behind the queue cannot be reached "
                               + "(\(unreachable)): the ticket may not have come out")
            case .success(let s):
                last = "job-state \(s.state)\(s.reasons.isEmpty ? "" : " (\(s.reasons.joined(separator: ", ")))")"
            case .failure(let error):
                last = error.description
            }
            let now = clock.now
            if case .failure = status { nextProbe = now }
            if now >= nextProbe {
                let health = await health()
                onHealth(health)
                if health.preventsPrinting {
                    faultSince = faultSince ?? now
                    if now - faultSince! >= .seconds(options.faultGraceSeconds) {
                        await cancel(job)
                        return .failed(reason: "printer \(health.summary) while job \(job.id) waited (\(last)); job cancelled")
                    }
                } else {
                    faultSince = nil
                }
                nextProbe = now.advanced(by: .seconds(faultSince == nil ? 1 : 0.5))
            }
            if now >= deadline {
                await cancel(job)
                return .failed(reason: "job \(job.id) not completed within \(Int(options.jobTimeoutSeconds)) s (\(last)); job cancelled")
            }
            try? await Task.sleep(for: .seconds(options.followIntervalSeconds))
        }
    }

    /// For a cupsd queue with an `ipp://` device: why the printer behind it cannot be reached now, or nil.
    /// CUPS's ipp backend exits "with no errors" when the printer vanishes mid-job, and cupsd then calls the job
    /// completed; a completion is only believed while the printer still answers.
    private func printerBehindQueueUnreachable() async -> String? {
        guard case .queue(let name) = options.destination else { return nil }
        return await blocking(on: probes) { () -> String? in
            self.useCupsServer()
            guard case .success(let queue) = Self.status(IPPEndpoint(queue: name), timeout: self.options.requestTimeoutSeconds),
                  let uri = queue.deviceURI, uri.hasPrefix("ipp://") || uri.hasPrefix("ipps://") else { return nil }
            if case .failure(let error) = Self.status(uri: uri, timeout: min(self.options.requestTimeoutSeconds, 3)),
               error.kind == .unreachable {
                return error.description
            }
            return nil
        }
    }

    /// Cancels `job` (best effort: it may have ended meanwhile).
    public func cancel(_ job: SubmittedJob) async {
        let error = await blocking(on: jobs) { () -> PrintError? in
            guard let endpoint = IPPEndpoint(uri: job.printerURI) else { return nil }
            switch endpoint.connect(timeout: self.options.requestTimeoutSeconds) {
            case .failure(let error): return error
            case .success(let http):
                defer { httpClose(http) }
                return IPPRequests.cancelJob(http, printerURI: endpoint.uri, resource: endpoint.resource, jobId: Int32(job.id))
            }
        }
        if let error { logger.notice("could not cancel job \(job.id): \(error)") } else { logger.info("job \(job.id) cancelled") }
    }

    private func outcome(of status: JobStatus, job: SubmittedJob) -> PrintOutcome {
        let detail = ([status.message].compactMap { $0 } + status.reasons).joined(separator: "; ")
        switch status.state {
        case 9:
            // cupsd reports a job its backend gave up on as completed with errors.
            let bad = status.reasons.first { $0.hasPrefix("job-completed-with-errors") || $0.hasPrefix("aborted") || $0.hasPrefix("job-canceled") }
            if let bad { return .failed(reason: "job \(job.id) completed with errors: \(bad)\(detail.isEmpty ? "" : " — \(detail)")") }
            return .printed
        case 7: return .failed(reason: "job \(job.id) was cancelled\(detail.isEmpty ? "" : ": \(detail)")")
        default: return .failed(reason: "job \(job.id) was aborted by the printer\(detail.isEmpty ? "" : ": \(detail)")")
        }
    }

    private func jobStatusNow(_ job: SubmittedJob) -> Result<JobStatus, PrintError> {
        guard let endpoint = IPPEndpoint(uri: job.printerURI) else {
            return .failure(PrintError(.configuration, "job URI '\(job.printerURI)' cannot be parsed"))
        }
        switch endpoint.connect(timeout: options.requestTimeoutSeconds) {
        case .failure(let error): return .failure(error)
        case .success(let http):
            defer { httpClose(http) }
            return IPPRequests.jobStatus(http, printerURI: endpoint.uri, resource: endpoint.resource, jobId: Int32(job.id))
        }
    }

    /// libcups keeps the server per thread: name it on the thread about to ask.
    func useCupsServer() {
        cupsSetServer(options.cupsServer)
    }

    private func blocking<T: Sendable>(on queue: DispatchQueue, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}
