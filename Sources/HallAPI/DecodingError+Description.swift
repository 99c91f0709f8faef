import Foundation

extension DecodingError {
    /// A sentence naming the key path and what was wrong, for config files and request bodies:
    /// `services[1].prefix: expected a string`, `hall.id: missing; this key is required`.
    public var keyPathDescription: String {
        func keyPath(_ path: [any CodingKey]) -> String {
            var out = ""
            for key in path {
                if let i = key.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
            }
            return out.isEmpty ? "(top level)" : out
        }
        switch self {
        case .keyNotFound(let key, let ctx):
            var path = ctx.codingPath
            if path.last?.stringValue == key.stringValue { path.removeLast() }
            let parent = path.isEmpty ? "" : keyPath(path) + "."
            return "\(parent)\(key.stringValue): missing; this key is required"
        case .typeMismatch(let type, let ctx):
            return "\(keyPath(ctx.codingPath)): expected \(Self.typeName(type))"
        case .valueNotFound(let type, let ctx):
            return "\(keyPath(ctx.codingPath)): missing value, expected \(Self.typeName(type))"
        case .dataCorrupted(let ctx):
            return "\(keyPath(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default:
            return "\(self)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [String].Type: "a list of strings"
        default: "\(type)".contains("Array") ? "a list" : "a table"
        }
    }
}
