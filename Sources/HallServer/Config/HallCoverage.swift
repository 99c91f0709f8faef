import Foundation

/// Whether every service of a hall can be served, as `hallserver check-config` judges it:
/// - a service that **no window serves** takes numbers that no window can call: refused;
/// - a service that windows serve but **no staff member** can serve (staff sign in at any window, so: the hall lists
///   no staff) takes numbers that nobody calls until staff are added: a warning (a hall may be set up before its staff).
public struct HallCoverage: Sendable, Equatable {
    /// Services no window serves, in config order.
    public var unservedServices: [String]
    /// Services a window serves but no staff member can serve, in config order.
    public var unstaffedServices: [String]

    public init(_ hall: Hall) {
        let served = Set(hall.windows.flatMap(\.serviceIds))
        unservedServices = hall.services.map(\.id).filter { !served.contains($0) }
        unstaffedServices = hall.staff.isEmpty ? hall.services.map(\.id).filter { served.contains($0) } : []
    }

    /// Why the config is refused, naming the services and the fix; nil when every service has a window.
    public var refusal: String? {
        guard !unservedServices.isEmpty else { return nil }
        let names = unservedServices.map { "'\($0)'" }.joined(separator: ", ")
        return "services: no window serves \(names): its tickets could never be called; "
            + "add \(unservedServices.count == 1 ? "it" : "them") to a window's `services`, or remove the service"
    }

    /// Warnings, one line each (none when every served service has staff).
    public var warnings: [String] {
        guard !unstaffedServices.isEmpty else { return [] }
        let names = unstaffedServices.map { "'\($0)'" }.joined(separator: ", ")
        return ["staff: no staff member can serve \(names) (the hall lists no [[staff]]): tickets will wait until staff are added; "
            + "add [[staff]] entries with PIN hashes from `hallserver hash-secret`"]
    }
}
