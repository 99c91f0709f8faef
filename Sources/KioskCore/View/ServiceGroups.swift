import HallAPI

/// Services of one department (部门), in the hall's order.
struct ServiceGroup: Hashable, Sendable {
    /// The department; `nil` for services without one.
    var title: LocalizedText?
    var services: [ServiceStatus]
    /// Which part of its department this is (1-based) when the department has more services than fit
    /// on one screen and is shown as several tabs; 1 of 1 otherwise.
    var part = 1
    var parts = 1

    /// The department cut into tabs of at most `perTab` services.
    func split(perTab: Int) -> [ServiceGroup] {
        let size = max(1, perTab)
        let count = max(1, (services.count + size - 1) / size)
        return (0..<count).map { index in
            ServiceGroup(title: title, services: Array(services.dropFirst(index * size).prefix(size)), part: index + 1, parts: count)
        }
    }

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
