import Crypto
import Foundation
import HallAPI

/// A device's last report as the admin page shows it.
public struct DeviceReport: Sendable {
    public var device: Hall.Device
    public var lastSeen: Date?
    public var heartbeat: DeviceHeartbeat?
    /// Things staff must act on, worst first, in Chinese and English (empty = fine).
    public var alerts: [String]
}

extension HallDesk {
    /// The device owning a bearer token, or nil.
    public func device(bearer token: String) -> Hall.Device? {
        let digest = Self.tokenDigest(token)
        return hall.devices.first { constantTimeEqual($0.tokenDigest, digest) }
    }

    /// True when `token` is the hall's admin token.
    public func isAdmin(bearer token: String) -> Bool {
        isAdmin(digest: Self.tokenDigest(token))
    }

    private func isAdmin(digest: [UInt8]) -> Bool {
        guard let admin = hall.adminTokenDigest else { return false }
        return constantTimeEqual(admin, digest)
    }

    /// SHA-256 of a bearer token, as `hall.toml`'s tokens are kept.
    private static func tokenDigest(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Data(token.utf8))) }

    /// Whether `token` may read `/metrics`: the metrics token or the admin token; any caller when no metrics
    /// token is configured.
    public func mayReadMetrics(bearer token: String?) -> Bool {
        guard let wanted = hall.metricsTokenDigest else { return true }
        guard let token else { return false }
        let digest = Self.tokenDigest(token)
        return constantTimeEqual(wanted, digest) || isAdmin(digest: digest)
    }

    /// Stores a device's heartbeat.
    public func recordHeartbeat(_ beat: DeviceHeartbeat, device: Hall.Device, from address: String = "local") async throws -> HeartbeatAck {
        let now = self.now
        try await store.recordHeartbeat(deviceId: device.id, at: now, heartbeat: beat)
        metrics.heartbeat(deviceId: device.id, outboxDepth: beat.outboxDepth)
        deviceWatch.heartbeat(deviceId: device.id, from: address, outboxDepth: beat.outboxDepth, at: now)
        return HeartbeatAck(serverTime: now, hallDay: clock.moment(now).day)
    }

    /// A heartbeat for the configured device `deviceId` came from `address` with a token that is not its own.
    /// Logged once per device and address until a heartbeat is accepted again.
    func noteRefusedDeviceToken(deviceId: String, from address: String) {
        guard hall.devices.contains(where: { $0.id == deviceId }) else { return }
        if deviceWatch.tokenRefused(deviceId: deviceId, from: address, at: now) {
            logger.warning("device token refused", metadata: ["device.id": "\(deviceId)", "client": "\(address)"])
        }
    }

    /// Every configured device with its last heartbeat and what needs attention.
    public func deviceReports(staleAfter: TimeInterval = 90) async throws -> [DeviceReport] {
        let now = self.now
        let rows = try await store.lastHeartbeats()
        let clock = self.clock
        return hall.devices.map { device in
            var alerts: [String] = []
            // Anyone can send a heartbeat with a made-up token: it is an alert only when it comes from where the
            // device's heartbeats come from (the address seen since this start, or the addresses its last stored
            // heartbeat reported), naming the address.
            let stored = rows[device.id]?.heartbeat
            var known = Set(stored?.addresses ?? [])
            if let seen = deviceWatch.lastAddress(deviceId: device.id) { known.insert(seen) }
            if let refused = deviceWatch.lastRefusal(deviceId: device.id, from: known), now.timeIntervalSince(refused.at) < 600 {
                let minute = clock.moment(refused.at).minute
                let time = String(format: "%02d:%02d", minute / 60, minute % 60)
                alerts.append("设备令牌被拒绝（\(time)，来自 \(refused.address)）/ device token refused at \(time) from "
                    + "\(refused.address): the kiosk's device-token does not match this device's token in hall.toml")
            }
            guard let last = rows[device.id], let beat = last.heartbeat else {
                // Never reported: wrong-token heartbeats may be the new kiosk — name where they came from.
                let from = deviceWatch.refusingAddresses(deviceId: device.id)
                let list = from.prefix(3).joined(separator: ", ")
                let line = from.isEmpty ? "从未上报 / never reported"
                    : "从未上报（收到令牌错误的心跳，来自 \(list)）/ never reported: heartbeats with a wrong token came from \(list)"
                return DeviceReport(device: device, lastSeen: nil, heartbeat: nil, alerts: alerts + [line])
            }
            let seen = last.receivedAt
            let age = now.timeIntervalSince(seen)
            if age > staleAfter { alerts.append("\(Int(age / 60)) 分钟无心跳 / no heartbeat for \(Int(age / 60)) min") }
            if beat.screen == DeviceHeartbeat.noDisplayScreen {
                let reason = beat.lastError.map { $0.hasPrefix("display: ") ? String($0.dropFirst(9)) : $0 }
                alerts.append("屏幕无法显示 / display not working" + (reason.map { ": \($0.prefix(200))" } ?? ""))
            }
            if let p = beat.printer {
                switch p.condition {
                case .paperOut: alerts.append("打印机缺纸 / printer out of paper")
                case .paperLow: alerts.append("打印纸将用完 / printer paper low")
                case .coverOpen: alerts.append("打印机盖未关 / printer cover open")
                case .offline: alerts.append("打印机离线 / printer offline")
                case .stopped: alerts.append("打印机已停止 / printer stopped")
                case .ok, .notConfigured, .unknown: break
                }
            }
            if let reader = beat.idCardReader, let alert = Self.idCardReaderAlert(reader) { alerts.append(alert) }
            let waitingMinutes = deviceWatch.outboxWaitingSince(deviceId: device.id).map { Int(now.timeIntervalSince($0) / 60) } ?? 0
            if beat.outboxDepth > 0, waitingMinutes >= 10 {
                // Heartbeats arrive, so the server is reachable: ratings that stay unsent are being refused.
                alerts.append("\(beat.outboxDepth) 条评价已 \(waitingMinutes) 分钟未送达 / \(beat.outboxDepth) ratings not delivered for \(waitingMinutes) min")
            } else if beat.outboxDepth >= 10 {
                alerts.append("\(beat.outboxDepth) 条评价待发送 / \(beat.outboxDepth) ratings waiting to be sent")
            }
            if let clockAlert = DeviceClockCheck.alert(deviceTime: beat.deviceTime, receivedAt: seen) { alerts.append(clockAlert) }
            if let problem = beat.ratingsUnavailable {
                alerts.append("无法保存评价，已停止评价 / ratings cannot be stored, none offered: \(problem.prefix(200))")
            }
            if beat.outboxRejected > 0 { alerts.append("\(beat.outboxRejected) 条评价被拒 / \(beat.outboxRejected) ratings rejected") }
            return DeviceReport(device: device, lastSeen: seen, heartbeat: beat, alerts: alerts)
        }
    }

    /// The device-list line for a configured ID card reader that cannot read cards, with what to do; nil when ready.
    static func idCardReaderAlert(_ reader: IDCardReaderHealth) -> String? {
        guard !reader.ready else { return nil }
        let detail = reader.lastError.map { " (\($0.prefix(200)))" } ?? ""
        if !reader.connected {
            return "身份证阅读器无响应，请检查USB线 / ID card reader not answering on \(reader.device): check the USB cable" + detail
        }
        let sam = reader.samStatus.map { " reports SAM \($0)" } ?? " has not reported its SAM status yet"
        return "身份证阅读器安全模块异常，请重新插拔读卡器 / ID card reader on \(reader.device)\(sam): unplug and replug the reader; if it stays, call its vendor" + detail
    }
}
