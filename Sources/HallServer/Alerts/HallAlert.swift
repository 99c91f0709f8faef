import Foundation
import HallAPI

/// Something in the hall someone must act on: what, on which device, in words for the admin page and the webhook.
/// Never personal data: device and window ids, counts and minutes only.
public struct HallAlert: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case paperOut = "printer.paperOut"
        case paperLow = "printer.paperLow"
        case printerProblem = "printer.problem"
        case deviceSilent = "device.silent"
        case outboxHeld = "ratings.outboxHeld"
        case diskLow = "disk.low"

        /// The kind in words, without figures (for a resolution noticed after a restart or by another instance).
        public var label: LocalizedText {
            switch self {
            case .paperOut: LocalizedText(zh: "打印机缺纸", en: "printer out of paper")
            case .paperLow: LocalizedText(zh: "打印纸将用完", en: "printer paper low")
            case .printerProblem: LocalizedText(zh: "打印机故障", en: "printer problem")
            case .deviceSilent: LocalizedText(zh: "设备无心跳", en: "device silent")
            case .outboxHeld: LocalizedText(zh: "评价未送达", en: "ratings held in the outbox")
            case .diskLow: LocalizedText(zh: "服务器磁盘空间不足", en: "server disk nearly full")
            }
        }
    }

    public enum Severity: String, Sendable, Codable {
        case critical, warning
    }

    public var kind: Kind
    /// The device it is about; nil for the server itself (disk).
    public var deviceId: String?
    public var windowId: String?
    public var severity: Severity
    public var message: LocalizedText

    /// One alert per kind and device: `printer.paperOut|kiosk-1`, `disk.low|server`.
    public var key: String { kind.rawValue + "|" + (deviceId ?? "server") }
}

/// Works out the hall's alerts from what devices last reported and the disk. Pure: the monitor and the page call it
/// with the state they read.
enum AlertCheck {
    /// What one device last reported, as the check needs it.
    struct DeviceState: Sendable {
        var device: Hall.Device
        var lastSeen: Date?
        var heartbeat: DeviceHeartbeat?
        /// Since when its outbox has held ratings (nil: empty at the last heartbeat, or unknown).
        var outboxSince: Date?
    }

    static func alerts(devices: [DeviceState], diskFreePercent: Double?, rules: AlertRules, now: Date) -> [HallAlert] {
        var out: [HallAlert] = []
        for d in devices {
            func add(_ kind: HallAlert.Kind, _ severity: HallAlert.Severity, _ zh: String, _ en: String) {
                out.append(HallAlert(kind: kind, deviceId: d.device.id, windowId: d.device.windowId, severity: severity,
                                     message: LocalizedText(zh: "\(d.device.id)：\(zh)", en: "\(d.device.id): \(en)")))
            }
            // A device that never reported is not silent: it may not be installed yet (the device page lists it).
            guard let seen = d.lastSeen else { continue }
            let silent = now.timeIntervalSince(seen)
            if silent >= rules.silentSeconds {
                let minutes = Int(silent / 60)
                add(.deviceSilent, .critical, "\(minutes) 分钟无心跳", "no heartbeat for \(minutes) min")
                // What it said last may be stale: report the silence only.
                continue
            }
            guard let beat = d.heartbeat else { continue }
            switch beat.printer?.condition {
            case .paperOut?: add(.paperOut, .critical, "打印机缺纸", "printer out of paper")
            case .paperLow?: add(.paperLow, .warning, "打印纸将用完", "printer paper low")
            case .coverOpen?: add(.printerProblem, .critical, "打印机盖未关", "printer cover open")
            case .offline?: add(.printerProblem, .critical, "打印机离线", "printer offline")
            case .stopped?: add(.printerProblem, .critical, "打印机已停止", "printer stopped")
            case .ok?, .notConfigured?, .unknown?, nil: break
            }
            if beat.outboxRejected > 0 {
                add(.outboxHeld, .warning, "\(beat.outboxRejected) 条评价被拒", "\(beat.outboxRejected) ratings rejected")
            } else if beat.outboxDepth > 0, let since = d.outboxSince, now.timeIntervalSince(since) >= rules.outboxSeconds {
                let minutes = Int(now.timeIntervalSince(since) / 60)
                add(.outboxHeld, .warning, "\(beat.outboxDepth) 条评价已 \(minutes) 分钟未送达",
                    "\(beat.outboxDepth) ratings not delivered for \(minutes) min")
            }
        }
        if let free = diskFreePercent, free < rules.diskFreePercent {
            let text = String(format: "%.1f", free)
            out.append(HallAlert(kind: .diskLow, deviceId: nil, windowId: nil, severity: .critical,
                                 message: LocalizedText(zh: "服务器磁盘空间不足（剩余 \(text)%）", en: "server disk nearly full (\(text)% free)")))
        }
        return out
    }
}
