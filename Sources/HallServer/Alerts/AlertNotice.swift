import Foundation
import HallAPI

/// What the webhook gets for one alert raised or resolved (format `json`). No personal data.
///
/// ```json
/// {"event":"raised","hall":{"id":"demo-hall","name":{"zh":"…","en":"…"}},"key":"printer.paperOut|kiosk-1",
///  "kind":"printer.paperOut","severity":"critical","device":"kiosk-1","window":null,
///  "message":{"zh":"kiosk-1：打印机缺纸","en":"kiosk-1: printer out of paper"},"at":"2026-12-06T09:12:00+08:00",
///  "since":"2026-12-06T09:12:00+08:00"}
/// ```
public struct AlertNotice: Codable, Sendable, Equatable {
    public enum Event: String, Codable, Sendable { case raised, resolved }
    public struct HallRef: Codable, Sendable, Equatable {
        public var id: String
        public var name: LocalizedText
    }

    public var event: Event
    public var hall: HallRef
    public var key: String
    public var kind: String
    public var severity: String
    public var device: String?
    public var window: String?
    public var message: LocalizedText
    /// When this event was noticed.
    public var at: Date
    /// When the alert was raised (for `resolved`: how long it lasted).
    public var since: Date

    /// One line for a chat robot (企业微信 / 钉钉): `【大厅告警】…` / `【已恢复】…`.
    public var chatText: String {
        let head = event == .raised ? "【大厅告警 Hall alert】" : "【已恢复 Resolved】"
        return head + hall.name.zh + "：" + message.zh + "\n" + message.en + "\n" + key
    }

    /// The HTTP body for `format`.
    func body(_ format: WebhookFormat) throws -> Data {
        switch format {
        case .json:
            return try HallJSON.encoder().encode(self)
        case .wecom, .dingtalk:
            // Both robots take the same text message.
            return try JSONSerialization.data(withJSONObject: ["msgtype": "text", "text": ["content": chatText]], options: [.sortedKeys])
        }
    }
}
