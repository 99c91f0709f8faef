import Foundation

/// `[console]`: the window clerk's calling console (`/staff`) — when 过号 is allowed, how long it can be undone,
/// where a late citizen goes back in the queue, the break reasons offered.
public struct ConsoleSettings: Codable, Sendable {
    /// 过号 is allowed once the ticket was recalled this many times … Default 2, 0…20.
    public var noShowAfterRecalls: Int?
    /// … or this many minutes after it was called (whichever comes first). Default 5, 0…120.
    public var noShowAfterMinutes: ConfigNumber?
    /// Minutes a 过号 can be undone (the citizen turned up after all). Default 3, 0…60 (0: never).
    public var noShowUndoMinutes: ConfigNumber?
    /// 过号重排: a late citizen goes back in the queue behind this many waiting citizens of the service. Default 2, 0…50
    /// (0: at the front).
    public var requeueBehind: Int?
    /// Break reasons offered with 暂停服务 (the clerk may also type one). Default 午休, 会议, 临时离开, 系统维护.
    public var breakReasons: [String]?
}

/// The console rules `[console]` sets, checked.
public struct ConsoleRules: Sendable, Equatable {
    public var noShowAfterRecalls: Int = 2
    public var noShowAfterSeconds: Double = 300
    public var noShowUndoSeconds: Double = 180
    public var requeueBehind: Int = 2
    public var breakReasons: [String] = ["午休", "会议", "临时离开", "系统维护"]

    /// The longest break reason, in characters.
    public static let reasonLimit = 40

    public init() {}

    /// Checks `[console]`; nil: the defaults.
    public init(_ settings: ConsoleSettings?) throws(ConfigProblem) {
        guard let s = settings else { return }
        if let n = s.noShowAfterRecalls {
            guard (0...20).contains(n) else {
                throw ConfigProblem("console.noShowAfterRecalls: \(n) is out of range 0…20 (recalls before 过号 is allowed; default 2)")
            }
            noShowAfterRecalls = n
        }
        if let m = s.noShowAfterMinutes?.value {
            guard (0...120).contains(m) else {
                throw ConfigProblem("console.noShowAfterMinutes: \(m) is out of range 0…120 (minutes after the call before 过号 is allowed; default 5)")
            }
            noShowAfterSeconds = m * 60
        }
        if let m = s.noShowUndoMinutes?.value {
            guard (0...60).contains(m) else {
                throw ConfigProblem("console.noShowUndoMinutes: \(m) is out of range 0…60 (minutes a 过号 can be undone; default 3)")
            }
            noShowUndoSeconds = m * 60
        }
        if let n = s.requeueBehind {
            guard (0...50).contains(n) else {
                throw ConfigProblem("console.requeueBehind: \(n) is out of range 0…50 (citizens a late citizen waits behind; default 2)")
            }
            requeueBehind = n
        }
        if let reasons = s.breakReasons {
            for (i, r) in reasons.enumerated() {
                let text = r.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty, text.count <= Self.reasonLimit else {
                    throw ConfigProblem("console.breakReasons[\(i)]: '\(r)' must be 1…\(Self.reasonLimit) characters, e.g. \"午休\"")
                }
            }
            breakReasons = reasons
        }
    }

    /// Words for the 过号 button: when it becomes possible.
    public var noShowRuleWords: String {
        let minutes = Int((noShowAfterSeconds / 60).rounded())
        return "重呼 \(noShowAfterRecalls) 次或叫号 \(minutes) 分钟后"
    }
}
