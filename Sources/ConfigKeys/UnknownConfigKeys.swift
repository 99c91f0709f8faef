import TOMLKit

/// Finds keys in a TOML config that the program does not know — a misspelt key (`idleTimeoutSecs`) or
/// table (`[ratings]` for `[rating]`) would otherwise be ignored without a word and the default used.
///
/// The known keys are the stored properties of the decoded config value (read with `Mirror`), so the check
/// follows the config types with no second list to keep in step; config properties carry their TOML names.
public enum UnknownConfigKeys {
    /// The first key of `text` (TOML) that `decoded` has no property for, as a message naming the key and
    /// the nearest known key; nil when every key is known. `decoded` is what `text` decoded to.
    public static func problem(in text: String, decoded: Any) -> String? {
        guard let table = try? TOMLTable(string: text) else { return nil }
        return problem(in: table, decoded: decoded, path: "")
    }

    private static func problem(in table: TOMLTable, decoded: Any, path: String) -> String? {
        guard let properties = storedProperties(decoded) else { return nil }
        for key in table.keys {
            let keyPath = path.isEmpty ? key : path + "." + key
            guard let child = properties.first(where: { $0.label == key })?.value else {
                return unknown(key, keyPath: keyPath, isTable: table[key]?.table != nil,
                               known: properties.map(\.label), section: path)
            }
            if let sub = table[key]?.table {
                if let found = problem(in: sub, decoded: child, path: keyPath) { return found }
            } else if let array = table[key]?.array {
                let elements = Mirror(reflecting: unwrapped(child)).children.map(\.value)
                for (index, element) in array.enumerated() {
                    guard let sub = element.table, index < elements.count else { continue }
                    if let found = problem(in: sub, decoded: elements[index], path: "\(keyPath)[\(index)]") { return found }
                }
            }
        }
        return nil
    }

    private static func unknown(_ key: String, keyPath: String, isTable: Bool, known: [String], section: String) -> String {
        let what = isTable ? "unknown table" : "unknown key"
        let hint = nearest(key, in: known).map { "; did you mean '\($0)'?" } ?? ""
        let place = section.isEmpty ? "at the top level" : "in [\(section.replacingBracketedIndexes())]"
        return "\(keyPath): \(what)\(hint) (known \(place): \(known.joined(separator: ", ")))"
    }

    /// Label and value of each stored property of a struct (after unwrapping optionals); nil for anything else.
    private static func storedProperties(_ value: Any) -> [(label: String, value: Any)]? {
        let mirror = Mirror(reflecting: unwrapped(value))
        guard mirror.displayStyle == .struct else { return nil }
        return mirror.children.compactMap { child in child.label.map { (String($0.drop { $0 == "_" }), child.value) } }
    }

    private static func unwrapped(_ value: Any) -> Any {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional, let some = mirror.children.first else { return value }
        return unwrapped(some.value)
    }

    /// The known key closest to `key` (case-insensitive edit distance ≤ 3, or a prefix either way).
    static func nearest(_ key: String, in known: [String]) -> String? {
        let lower = key.lowercased()
        let scored = known.map { candidate -> (String, Int) in
            let c = candidate.lowercased()
            if c.hasPrefix(lower) || lower.hasPrefix(c) { return (candidate, min(1, editDistance(lower, c))) }
            return (candidate, editDistance(lower, c))
        }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 3 else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

private extension String {
    /// `services[2].name` → `services.name` (how a reader finds the table in the file).
    func replacingBracketedIndexes() -> String {
        var out = ""
        var skipping = false
        for c in self {
            if c == "[" { skipping = true; continue }
            if c == "]" { skipping = false; continue }
            if !skipping { out.append(c) }
        }
        return out
    }
}

/// Clearer words for a decoding error whose key is in the file after all.
public enum ConfigValueTypes {
    /// For "key not found" on a key `text` does have: the value has a type the key cannot take
    /// (e.g. `idleTimeoutSeconds = "60"`); nil when the key really is missing (the caller's words apply).
    public static func wrongTypeMessage(_ error: DecodingError, text: String) -> String? {
        guard case .keyNotFound(let key, let context) = error, let root = try? TOMLTable(string: text) else { return nil }
        var path = context.codingPath.map { $0 }
        if path.last?.stringValue != key.stringValue { path.append(key) }
        var node: TOMLValueConvertible? = root
        for step in path {
            if let index = step.intValue {
                guard let array = node?.array, index < array.count else { return nil }
                node = array[index]
            } else {
                node = node?.table?[step.stringValue]
            }
        }
        guard let value = node else { return nil }
        let names = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
        let shown = names.enumerated().map { $0.offset > 0 && !$0.element.hasPrefix("[") ? "." + $0.element : $0.element }.joined()
        return "\(shown): \(value.debugDescription) has the wrong type for this key "
            + "(numbers and true/false go without quotes, text in quotes, lists in [ ])"
    }
}
