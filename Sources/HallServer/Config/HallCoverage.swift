import Foundation

/// Whether every service of a hall can be served, as `hallserver check-config` judges it — and the settings page, for
/// each change made in the browser:
/// - a service that **no window serves** takes numbers that no window can call: refused;
/// - a service that windows serve but **no staff member** can serve (staff sign in at any window, so: the hall lists
///   no staff, or every staff member is disabled) takes numbers that nobody calls until staff are added or enabled: a
///   warning (a hall may be set up before its staff).
public struct HallCoverage: Sendable, Equatable {
    /// Services no window serves, in config order.
    public var unservedServices: [String]
    /// Services a window serves but no staff member can serve, in config order.
    public var unstaffedServices: [String]
    /// True when the hall lists staff but every one is disabled (the warning then says so).
    public var everyStaffMemberDisabled: Bool

    public init(_ hall: Hall) {
        let served = Set(hall.windows.flatMap(\.serviceIds))
        unservedServices = hall.services.map(\.id).filter { !served.contains($0) }
        let enabled = hall.staff.filter { !$0.disabled }
        unstaffedServices = enabled.isEmpty ? hall.services.map(\.id).filter { served.contains($0) } : []
        everyStaffMemberDisabled = enabled.isEmpty && !hall.staff.isEmpty
    }

    /// Why the config is refused, naming the services and the fix; nil when every service has a window.
    public var refusal: String? { Self.refusal(unservedServices)?.en }

    /// `refusal` in both languages (the settings page shows both).
    public var refusalText: (zh: String, en: String)? { Self.refusal(unservedServices) }

    /// The refusal for `services` left without a window.
    static func refusal(_ services: [String]) -> (zh: String, en: String)? {
        guard !services.isEmpty else { return nil }
        let names = services.map { "'\($0)'" }.joined(separator: ", ")
        return ("事项 \(services.map { "'\($0)'" }.joined(separator: "、")) 没有窗口办理：取的号永远不会被叫到；请在某个窗口的“办理事项”里勾选它，或删除该事项",
                "services: no window serves \(names): its tickets could never be called; "
                    + "add \(services.count == 1 ? "it" : "them") to a window's `services`, or remove the service")
    }

    /// The services that `self` leaves without a window and `before` did not: what a change made worse.
    public func newlyUnserved(comparedWith before: HallCoverage) -> [String] {
        unservedServices.filter { !before.unservedServices.contains($0) }
    }

    /// Warnings, one line each (none when every served service has staff).
    public var warnings: [String] { warningTexts.map(\.en) }

    /// `warnings` in both languages.
    public var warningTexts: [(zh: String, en: String)] {
        guard !unstaffedServices.isEmpty else { return [] }
        let names = unstaffedServices.map { "'\($0)'" }.joined(separator: ", ")
        let namesZh = unstaffedServices.map { "'\($0)'" }.joined(separator: "、")
        if everyStaffMemberDisabled {
            return [("没有可办理 \(namesZh) 的工作人员（所有工作人员都已停用）：取的号会一直等待，直到启用或添加工作人员",
                     "staff: no staff member can serve \(names) (every staff member is disabled): tickets will wait until one is "
                         + "enabled or added; enable one on the settings page or remove `disabled = true` from a [[staff]] entry")]
        }
        return [("没有可办理 \(namesZh) 的工作人员（未登记任何工作人员）：取的号会一直等待，直到添加工作人员",
                 "staff: no staff member can serve \(names) (the hall lists no [[staff]]): tickets will wait until staff are added; "
                     + "add [[staff]] entries with PIN hashes from `hallserver hash-secret`")]
    }
}
