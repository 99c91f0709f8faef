import Foundation

/// `[alerts]`: when devices and the disk raise alerts, and where they are posted.
///
/// ```toml
/// [alerts]
/// webhook = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"   # absent: alerts only on /admin/alerts
/// format = "wecom"          # "json" (default), "wecom" (企业微信群机器人) or "dingtalk" (钉钉自定义机器人)
/// silentMinutes = 3         # a device that reported before and is silent this long
/// outboxMinutes = 10        # a ratings outbox holding ratings this long
/// diskFreePercent = 10      # free space on the database's disk below this
/// retrySeconds = 5          # a failed notice is tried again after 5 s, 30 s, 2 min, 10 min, 10 min …
/// retryMaxMinutes = 10      # the longest wait between two tries of one notice
/// giveUpHours = 24          # a notice not delivered this long is given up (counted on /admin/alerts)
/// giveUpAttempts = 0        # or after this many tries (0: no limit but the age)
/// queueLimit = 200          # notices kept waiting; beyond it the oldest is dropped (counted)
/// ```
public struct AlertSettings: Codable, Sendable {
    /// http(s) URL the alerts are POSTed to; absent: alerts show only on the admin page.
    public var webhook: String?
    /// Body format: `json` (default), `wecom` or `dingtalk` (their robots' text message).
    public var format: String?
    /// Minutes without a heartbeat before a device that has reported counts as silent. Default 3.
    public var silentMinutes: ConfigNumber?
    /// Minutes a device's outbox may hold ratings before that is an alert. Default 10.
    public var outboxMinutes: ConfigNumber?
    /// Free space on the database's disk (SQLite) below this percentage is an alert. Default 10.
    public var diskFreePercent: ConfigNumber?
    /// Seconds between checks. Default 15.
    public var checkSeconds: ConfigNumber?
    /// Deliveries kept while the webhook cannot be reached (the oldest are dropped beyond it). Default 200.
    public var queueLimit: Int?
    /// Seconds before the first retry of a failed notice; the next waits are 6, 24 and 120 times it, capped by
    /// `retryMaxMinutes`. Default 5 (5 s, 30 s, 2 min, 10 min …).
    public var retrySeconds: ConfigNumber?
    /// Longest wait between two tries of one notice, minutes. Default 10.
    public var retryMaxMinutes: ConfigNumber?
    /// A notice not delivered within this many hours is given up (counted and shown on `/admin/alerts`). Default 24.
    public var giveUpHours: ConfigNumber?
    /// A notice tried this many times is given up; 0 or absent: only its age counts.
    public var giveUpAttempts: Int?

    public init(webhook: String? = nil, format: String? = nil) {
        self.webhook = webhook
        self.format = format
    }

    /// The checked settings (defaults filled in); a bad value is refused naming the key.
    public static func validated(_ settings: AlertSettings?) throws(ConfigProblem) -> AlertRules {
        let s = settings ?? AlertSettings()
        var rules = AlertRules()
        if let text = s.webhook {
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw ConfigProblem("alerts.webhook: '\(text.prefix(80))' is not an http(s) URL such as \"https://alerts.example.gov.cn/hall\"")
            }
            rules.webhook = text
        }
        if let f = s.format {
            guard let format = WebhookFormat(rawValue: f) else {
                throw ConfigProblem("alerts.format: '\(f)' is not one of \"json\", \"wecom\" (企业微信), \"dingtalk\" (钉钉)")
            }
            rules.format = format
        }
        func positive(_ value: ConfigNumber?, _ key: String, _ range: ClosedRange<Double>) throws(ConfigProblem) -> Double? {
            guard let v = value?.value else { return nil }
            guard range.contains(v) else { throw ConfigProblem("alerts.\(key): \(v) is out of range \(range.lowerBound)…\(range.upperBound)") }
            return v
        }
        if let m = try positive(s.silentMinutes, "silentMinutes", 0.01...1440) { rules.silentSeconds = m * 60 }
        if let m = try positive(s.outboxMinutes, "outboxMinutes", 0.01...1440) { rules.outboxSeconds = m * 60 }
        if let p = try positive(s.diskFreePercent, "diskFreePercent", 0...99) { rules.diskFreePercent = p }
        if let c = try positive(s.checkSeconds, "checkSeconds", 0.05...3600) { rules.checkSeconds = c }
        if let r = try positive(s.retrySeconds, "retrySeconds", 0.01...3600) { rules.retrySeconds = r }
        if let m = try positive(s.retryMaxMinutes, "retryMaxMinutes", 0.01...1440) { rules.maxRetrySeconds = m * 60 }
        if let h = try positive(s.giveUpHours, "giveUpHours", 0.001...720) { rules.giveUpSeconds = h * 3600 }
        if let a = s.giveUpAttempts {
            guard (0...10_000).contains(a) else { throw ConfigProblem("alerts.giveUpAttempts: \(a) is out of range 0…10000 (0: no limit)") }
            rules.giveUpAttempts = a == 0 ? nil : a
        }
        if let q = s.queueLimit {
            guard (1...10_000).contains(q) else { throw ConfigProblem("alerts.queueLimit: \(q) is out of range 1…10000") }
            rules.queueLimit = q
        }
        return rules
    }
}

/// The body a webhook gets.
public enum WebhookFormat: String, Sendable {
    /// `AlertNotice` as JSON.
    case json
    /// 企业微信群机器人: `{"msgtype":"text","text":{"content":"…"}}`.
    case wecom
    /// 钉钉自定义机器人: the same text message shape.
    case dingtalk
}

/// `[alerts]` checked, with defaults.
public struct AlertRules: Sendable {
    public var webhook: String?
    public var format = WebhookFormat.json
    public var silentSeconds: Double = 180
    public var outboxSeconds: Double = 600
    public var diskFreePercent: Double = 10
    public var checkSeconds: Double = 15
    public var queueLimit = 200
    /// First wait after a failed try of a notice.
    public var retrySeconds: Double = 5
    /// Longest wait between two tries of one notice.
    public var maxRetrySeconds: Double = 600
    /// Age at which a notice not delivered is given up.
    public var giveUpSeconds: Double = 24 * 3600
    /// Tries after which a notice is given up; nil: no limit but the age.
    public var giveUpAttempts: Int?
    /// Seconds between looks at the outbox (the sender's heartbeat): at most 1 s, less when checks run faster.
    public var senderTickSeconds: Double { min(1, checkSeconds) }
}
