import CCups
import Foundation

/// The printer attributes the kiosk reads (Get-Printer-Attributes).
public struct PrinterStatus: Hashable, Sendable {
    /// `printer-state`: 3 idle, 4 processing, 5 stopped.
    public var state: Int
    /// `printer-state-reasons` with `-report/-warning/-error` stripped and `none` left out.
    public var reasons: [String]
    public var accepting: Bool
    public var message: String?
    /// `device-uri` of a cupsd queue (where cupsd sends the jobs).
    public var deviceURI: String?
    public var formats: [String]

    /// Strips the IPP severity suffix: `media-empty-error` → `media-empty`.
    public static func stripSeverity(_ reason: String) -> String {
        for suffix in ["-report", "-warning", "-error"] where reason.hasSuffix(suffix) {
            return String(reason.dropLast(suffix.count))
        }
        return reason
    }
}

/// A job's state (Get-Job-Attributes).
public struct JobStatus: Hashable, Sendable {
    /// `job-state`: 3 pending, 4 held, 5 processing, 6 stopped, 7 canceled, 8 aborted, 9 completed.
    public var state: Int
    public var reasons: [String]
    public var message: String?
    public var isTerminal: Bool { state >= 7 }
}

/// Blocking IPP operations on an open connection. Call only off the UI thread. Each response is freed
/// here (`ippDelete`); requests are consumed by `cupsDoRequest`.
enum IPPRequests {
    static let printerAttributes = ["printer-state", "printer-state-reasons", "printer-is-accepting-jobs",
                                    "printer-state-message", "device-uri", "document-format-supported"]

    /// Get-Printer-Attributes of `printerURI`; `nil` with the libcups error when it fails.
    static func printerStatus(_ http: OpaquePointer, printerURI: String, resource: String) -> Result<PrinterStatus, PrintError> {
        let request = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, printerURI)
        addKeywords(request, "requested-attributes", printerAttributes)
        guard let response = cupsDoRequest(http, request, resource) else { return .failure(lastError("Get-Printer-Attributes")) }
        defer { ippDelete(response) }
        guard ippGetStatusCode(response).rawValue < 0x0100 else { return .failure(lastError("Get-Printer-Attributes")) }
        let reasons = strings(response, "printer-state-reasons").map(PrinterStatus.stripSeverity).filter { $0 != "none" }
        let message = strings(response, "printer-state-message").first.flatMap { $0.isEmpty ? nil : $0 }
        return .success(PrinterStatus(
            state: integer(response, "printer-state") ?? 3, reasons: reasons,
            accepting: boolean(response, "printer-is-accepting-jobs") ?? true, message: message,
            deviceURI: strings(response, "device-uri").first, formats: strings(response, "document-format-supported")))
    }

    /// Get-Job-Attributes of job `jobId` on `printerURI`.
    static func jobStatus(_ http: OpaquePointer, printerURI: String, resource: String, jobId: Int32) -> Result<JobStatus, PrintError> {
        let request = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, printerURI)
        ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", jobId)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, cupsUser())
        addKeywords(request, "requested-attributes", ["job-state", "job-state-reasons", "job-state-message", "job-printer-state-message"])
        guard let response = cupsDoRequest(http, request, resource) else { return .failure(lastError("Get-Job-Attributes")) }
        defer { ippDelete(response) }
        guard ippGetStatusCode(response).rawValue < 0x0100 else { return .failure(lastError("Get-Job-Attributes")) }
        let message = (strings(response, "job-state-message") + strings(response, "job-printer-state-message")).first { !$0.isEmpty }
        return .success(JobStatus(state: integer(response, "job-state") ?? 3,
                                  reasons: strings(response, "job-state-reasons").filter { $0 != "none" }, message: message))
    }

    /// Cancel-Job; failures are only logged by the caller (the job may have ended meanwhile).
    static func cancelJob(_ http: OpaquePointer, printerURI: String, resource: String, jobId: Int32) -> PrintError? {
        let request = ippNewRequest(IPP_OP_CANCEL_JOB)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, printerURI)
        ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", jobId)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, cupsUser())
        guard let response = cupsDoRequest(http, request, resource) else { return lastError("Cancel-Job") }
        defer { ippDelete(response) }
        return ippGetStatusCode(response).rawValue < 0x0100 ? nil : lastError("Cancel-Job")
    }

    /// The last libcups error of this thread, as a sentence.
    static func lastError(_ operation: String) -> PrintError {
        let status = cupsLastError()
        let text = cupsLastErrorString().map { String(cString: $0) } ?? "unknown error"
        let kind: PrintError.Kind = status == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE || status == IPP_STATUS_ERROR_INTERNAL
            || text.localizedCaseInsensitiveContains("connection") || text.localizedCaseInsensitiveContains("timed out")
            ? .unreachable : .rejected
        return PrintError(kind, "\(operation): \(text) (IPP status 0x\(String(status.rawValue, radix: 16)))")
    }

    private static func addKeywords(_ request: OpaquePointer?, _ name: String, _ values: [String]) {
        var pointers = values.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        pointers.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { constPointers in
                _ = ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, name, Int32(values.count), nil, constPointers.baseAddress)
            }
        }
    }

    private static func strings(_ response: OpaquePointer, _ name: String) -> [String] {
        guard let attribute = ippFindAttribute(response, name, IPP_TAG_ZERO) else { return [] }
        return (0..<ippGetCount(attribute)).compactMap { ippGetString(attribute, $0, nil).map { String(cString: $0) } }
    }

    private static func integer(_ response: OpaquePointer, _ name: String) -> Int? {
        guard let attribute = ippFindAttribute(response, name, IPP_TAG_ZERO) else { return nil }
        return Int(ippGetInteger(attribute, 0))
    }

    private static func boolean(_ response: OpaquePointer, _ name: String) -> Bool? {
        guard let attribute = ippFindAttribute(response, name, IPP_TAG_BOOLEAN) else { return nil }
        return ippGetBoolean(attribute, 0) != 0
    }
}
