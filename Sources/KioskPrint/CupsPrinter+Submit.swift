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
        guard let info = cupsCopyDestInfo(http, dest) else {
            return .failure(IPPRequests.lastError("Get-Printer-Attributes of \(options.destination)"))
        }
        defer { cupsFreeDestInfo(info) }

        // The format.
        func supports(_ mime: String) -> Bool { cupsCheckDestSupported(http, dest, info, "document-format", mime) != 0 }
        let format: DocumentFormat
        switch options.format {
        case .auto:
            if supports(DocumentFormat.pwg.mimeType) { format = .pwg }
            else if supports(DocumentFormat.png.mimeType) { format = .png }
            else {
                return .failure(PrintError(.rejected, "\(options.destination) takes neither image/pwg-raster nor image/png; "
                    + "for a receipt printer without a driver use a raw queue and printer.format = \"escpos\""))
            }
        case .pwg: format = .pwg
        case .png: format = .png
        case .escpos: format = .escpos
        }
        if format != .escpos, !supports(format.mimeType) {
            return .failure(PrintError(.rejected, "\(options.destination) does not take \(format.mimeType); set printer.format = \"auto\""))
        }
        if format == .escpos, !supports(format.mimeType), !supports("application/octet-stream") {
            return .failure(PrintError(.rejected, "\(options.destination) does not take raw data; ESC/POS needs a raw queue "
                + "(lpadmin -p NAME -E -v socket://PRINTER:9100 -m raw)"))
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
        let created = cupsCreateDestJob(http, dest, info, &jobId, title, count, jobOptions)
        guard created.rawValue < 0x0100, jobId > 0 else {
            return .failure(IPPRequests.lastError("Create-Job on \(options.destination)"))
        }
        guard cupsStartDestDocument(http, dest, info, jobId, title, format.mimeType, 0, nil, 1) == HTTP_STATUS_CONTINUE else {
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
}
