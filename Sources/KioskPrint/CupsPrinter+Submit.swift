import CCups
import Foundation

extension CupsPrinter {
    /// Blocking: destination → connection → destination info → format → Create-Job → Send-Document.
    /// Frees every libcups object it gets (dest, dinfo, options, connection).
    func submitNow(_ raster: Raster, title: String) -> Result<SubmittedJob, PrintError> {
        let timeoutMs = Int32(options.requestTimeoutSeconds * 1000)
        // The destination.
        var dest: UnsafeMutablePointer<cups_dest_t>
        switch options.destination {
        case .uri(let uri):
            guard let d = cupsGetDestWithURI(nil, uri) else {
                return .failure(PrintError(.configuration, "libcups cannot make a destination of '\(uri)': \(String(cString: cupsLastErrorString()))"))
            }
            // Without printer-uri-supported, libcups would ask a local cupsd for a temporary queue.
            d.pointee.num_options = cupsAddOption("printer-uri-supported", uri, d.pointee.num_options, &d.pointee.options)
            dest = d
        case .queue(let name):
            useCupsServer()
            guard let d = cupsGetNamedDest(nil, name, nil) else {
                let error = IPPRequests.lastError("find queue")
                if error.kind == .unreachable { return .failure(error) }
                return .failure(PrintError(.configuration, "\(serverDescription) has no queue '\(name)' "
                    + "(\(error.description)); list its queues with `lpstat -p` and fix printer.destination"))
            }
            dest = d
        }
        defer { cupsFreeDests(1, dest) }
        guard let printerURI = cupsGetOption("printer-uri-supported", dest.pointee.num_options, dest.pointee.options).map({ String(cString: $0) }) else {
            return .failure(PrintError(.configuration, "destination \(options.destination) has no printer-uri-supported"))
        }
        var resource = [CChar](repeating: 0, count: 1024)
        guard let http = cupsConnectDest(dest, UInt32(CUPS_DEST_FLAGS_NONE), timeoutMs, nil, &resource, 1024, nil, nil) else {
            return .failure(PrintError(.unreachable, "cannot connect to \(options.destination): \(String(cString: cupsLastErrorString()))"))
        }
        defer { httpClose(http) }
        httpSetTimeout(http, options.requestTimeoutSeconds, nil, nil)
        // The destination's formats. A destination answering without any is taken as a passing hiccup (asked
        // once more, then reported as unreachable), not as one that cannot print.
        var answer: OpaquePointer?
        var offered: [String] = []
        for attempt in 0..<2 where offered.isEmpty {
            if attempt > 0 {
                cupsFreeDestInfo(answer)
                usleep(300_000)
            }
            answer = cupsCopyDestInfo(http, dest)
            guard let answer else { return .failure(IPPRequests.lastError("Get-Printer-Attributes of \(options.destination)")) }
            offered = Self.documentFormats(http, dest, answer)
        }
        guard let info = answer else { return .failure(PrintError(.unreachable, "no answer from \(options.destination)")) }
        defer { cupsFreeDestInfo(info) }
        guard !offered.isEmpty else {
            return .failure(PrintError(.unreachable, "\(options.destination) answered Get-Printer-Attributes twice without "
                + "document-format-supported; it is not ready to take jobs"))
        }
        let format: DocumentFormat
        switch options.format.resolve(offered: offered, destination: "\(options.destination)") {
        case .success(let chosen): format = chosen
        case .failure(let error): return .failure(error)
        }

        // The document.
        let document: [UInt8]
        do {
            switch format {
            case .pwg: document = try PWGRasterEncoder.encode(raster, dpi: DocumentFormat.dpi(forWidth: raster.width))
            case .png: document = try PNGEncoder.encode(raster)
            case .escpos: document = ESCPOSEncoder.encode(raster, options: options.escpos)
            }
        } catch {
            return .failure(error)
        }

        // Create-Job with job-cancel-after, then Send-Document.
        var jobOptions: UnsafeMutablePointer<cups_option_t>?
        var count: Int32 = 0
        count = cupsAddIntegerOption("job-cancel-after", Int32(options.jobCancelAfterSeconds), count, &jobOptions)
        defer { cupsFreeOptions(count, jobOptions) }
        var jobId: Int32 = 0
        var created = cupsCreateDestJob(http, dest, info, &jobId, title, count, jobOptions)
        // A printer still finishing the job before (one that waited for paper) answers server-error-busy, which
        // IPP means as "ask again shortly": asked every half second until the request timeout, then a failure.
        let busyUntil = Date().addingTimeInterval(options.requestTimeoutSeconds)
        while created == IPP_STATUS_ERROR_BUSY, Date() < busyUntil {
            usleep(500_000)
            created = cupsCreateDestJob(http, dest, info, &jobId, title, count, jobOptions)
        }
        guard created.rawValue < 0x0100, jobId > 0 else {
            return .failure(IPPRequests.lastError("Create-Job on \(options.destination)"))
        }
        guard cupsStartDestDocument(http, dest, info, jobId, Self.documentName(title), format.mimeType, 0, nil, 1) == HTTP_STATUS_CONTINUE else {
            return .failure(IPPRequests.lastError("Send-Document of job \(jobId)"))
        }
        let written = document.withUnsafeBytes { bytes in
            cupsWriteRequestData(http, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        guard written == HTTP_STATUS_CONTINUE else {
            _ = cupsFinishDestDocument(http, dest, info)
            return .failure(IPPRequests.lastError("sending \(document.count) bytes of job \(jobId)"))
        }
        guard cupsFinishDestDocument(http, dest, info).rawValue < 0x0100 else {
            return .failure(IPPRequests.lastError("Send-Document of job \(jobId)"))
        }
        return .success(SubmittedJob(id: Int(jobId), format: format, printerURI: printerURI, bytes: document.count,
                                     acceptedAt: ContinuousClock.now))
    }

    /// The `document-name` sent with Send-Document: `title` with every character other than ASCII letters, digits,
    /// `.`, `_` and `-` replaced by `-` ("HallKiosk ticket A023" → "HallKiosk-ticket-A023").
    ///
    /// Debian 12's cupsd 2.4.2-3+deb12u10 (a security update) crashes with a segfault while starting the filters of a
    /// job whose document-name contains a space — every ticket would take the box's cupsd down with it. The
    /// job-name (what `lpstat` and the admin see) keeps the readable title.
    static func documentName(_ title: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let name = String(title.map { allowed.contains($0) ? $0 : "-" })
        return name.isEmpty ? "ticket" : name
    }

    /// The destination's `document-format-supported` values, in its order.
    static func documentFormats(_ http: OpaquePointer, _ dest: UnsafeMutablePointer<cups_dest_t>, _ info: OpaquePointer) -> [String] {
        guard let attribute = cupsFindDestSupported(http, dest, info, "document-format") else { return [] }
        return (0..<ippGetCount(attribute)).compactMap { ippGetString(attribute, $0, nil).map { String(cString: $0) } }
    }
}
