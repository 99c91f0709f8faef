/// A bounded cache that keeps what keeps being used, for programs that run for months: entries go into a young
/// generation; when adding one would take it over `limit` (in `cost` units: 1 per entry unless told otherwise),
/// the young generation becomes the old one and the previous old one is dropped. An entry found in the old
/// generation moves back to the young one. So entries used again and again (service names, a hall's name on
/// every ticket) stay, one-off entries (ticket numbers, typed lookups) are gone after two generations, and the
/// cache never holds more than twice `limit`. Not thread-safe: the owner locks. Inlinable: it sits on the
/// renderer's and the text measurer's per-frame paths, which need it specialised for their key types.
public struct TwoGenerationCache<Key: Hashable, Value> {
    /// The most each generation holds, in `cost` units.
    public let limit: Int
    @usableFromInline let cost: (Value) -> Int
    @usableFromInline var young: [Key: Value] = [:]
    @usableFromInline var old: [Key: Value] = [:]
    @usableFromInline var youngCost = 0

    public init(limit: Int, cost: @escaping (Value) -> Int = { _ in 1 }) {
        self.limit = max(1, limit)
        self.cost = cost
    }

    /// The value for `key`, moved back to the young generation when it was in the old one; nil when unknown.
    @inlinable
    public mutating func value(for key: Key) -> Value? {
        if let value = young[key] { return value }
        guard let value = old.removeValue(forKey: key) else { return nil }
        insert(value, for: key)
        return value
    }

    /// Stores `value` in the young generation, first ageing it when `value` would take it over the limit.
    @inlinable
    public mutating func insert(_ value: Value, for key: Key) {
        if let replaced = young.removeValue(forKey: key) { youngCost -= cost(replaced) }
        let added = cost(value)
        if youngCost + added > limit {
            old = young
            young = [:]
            youngCost = 0
        }
        young[key] = value
        youngCost += added
    }

    /// Entries held (both generations).
    public var count: Int { young.count + old.count }
}
