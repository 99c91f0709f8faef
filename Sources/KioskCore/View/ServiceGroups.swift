import HallAPI

/// Services of one department (部门), in the hall's order.
struct ServiceGroup: Hashable, Sendable {
    /// The department; `nil` for services without one.
    var title: LocalizedText?
    var services: [ServiceStatus]

    /// Groups `services` by department, in order of first appearance. Services without a
    /// department form one group at the end.
    static func grouping(_ services: [ServiceStatus]) -> [ServiceGroup] {
        var groups: [ServiceGroup] = []
        var ungrouped: [ServiceStatus] = []
        for service in services {
            guard let title = service.group else {
                ungrouped.append(service)
                continue
            }
            if let index = groups.firstIndex(where: { $0.title?.zh == title.zh }) {
                groups[index].services.append(service)
            } else {
                groups.append(ServiceGroup(title: title, services: [service]))
            }
        }
        if !ungrouped.isEmpty { groups.append(ServiceGroup(title: nil, services: ungrouped)) }
        return groups
    }
}
