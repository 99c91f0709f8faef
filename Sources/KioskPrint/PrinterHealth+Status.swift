import HallAPI

extension PrinterHealth {
    /// The kiosk's view of a printer from what the cupsd queue and the printer itself answered.
    ///
    /// - Parameters:
    ///   - queue: the cupsd queue's attributes (queue destinations only).
    ///   - device: the printer's own attributes (an `ipp://` destination, or the queue's `ipp://` device).
    ///     When present, paper and cover reasons come from it only: cupsd keeps a queue's reasons from the last
    ///     job and would hold the kiosk in e-ticket mode after a refill.
    public static func from(queue: Result<PrinterStatus, PrintError>?, device: Result<PrinterStatus, PrintError>?) -> PrinterHealth {
        if case .failure(let error)? = queue {
            return PrinterHealth(condition: .offline, reasons: ["offline"], message: error.description)
        }
        if case .failure(let error)? = device {
            return PrinterHealth(condition: .offline, reasons: ["offline"], message: error.description)
        }
        let q = try? queue?.get()
        let d = try? device?.get()
        let paperSource = d ?? q
        var reasons: [String] = []
        // Transient reasons every job passes through say nothing about the printer's health.
        let transient: Set = ["cups-waiting-for-job-completed", "connecting-to-device", "moving-to-paused"]
        for reason in (paperSource?.reasons ?? []) + (q?.reasons ?? []) where !reasons.contains(reason) && !transient.contains(reason) {
            // Queue reasons only for what the printer itself cannot say (paused, rejecting, cupsd's offline).
            if d != nil, q?.reasons.contains(reason) == true, paperSource?.reasons.contains(reason) != true,
               reason.hasPrefix("media") || reason.hasPrefix("cover") || reason.hasPrefix("door") {
                continue
            }
            reasons.append(reason)
        }
        let message = [d?.message, q?.message].compactMap { $0 }.first { !$0.isEmpty && $0 != "Idle." }
        func has(_ prefixes: String...) -> Bool { reasons.contains { r in prefixes.contains { r.hasPrefix($0) } } }
        let condition: PrinterCondition
        if has("media-empty", "media-needed") {
            condition = .paperOut
        } else if has("cover-open", "door-open") {
            condition = .coverOpen
        } else if has("offline", "shutdown") {
            condition = .offline
        } else if q?.state == 5 || d?.state == 5 || q?.accepting == false || d?.accepting == false {
            condition = .stopped
        } else if has("media-low") {
            condition = .paperLow
        } else {
            condition = .ok
        }
        return PrinterHealth(condition: condition, reasons: reasons, message: message)
    }

    /// True when a ticket cannot come out (paper out, cover open, offline, stopped).
    public var preventsPrinting: Bool {
        switch condition {
        case .paperOut, .coverOpen, .offline, .stopped: true
        case .ok, .paperLow, .notConfigured, .unknown: false
        }
    }

    /// A short text for logs: `paperOut (media-empty)`.
    public var summary: String {
        let r = reasons.isEmpty ? "" : " (\(reasons.joined(separator: ", ")))"
        return "\(condition.rawValue)\(r)\(message.map { ": \($0)" } ?? "")"
    }
}
