import HallAPI

/// Queue rank: priority lanes (绿色通道) are called before normal tickets of the same service.
enum QueueRank {
    static func of(_ priority: PriorityKind?) -> Int { priority == nil ? 1 : 0 }
}
