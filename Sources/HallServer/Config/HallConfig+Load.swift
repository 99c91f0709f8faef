import Foundation
import HallAPI
import TOMLKit

/// Why a config file could not be used; `description` names the file, the key and the fix.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
}

extension HallConfig {
    /// Reads, parses and validates a hall config file.
    public static func load(from path: String) throws -> (HallConfig, Hall) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, message: "cannot read the file (does it exist and is it readable?). Start from kiosk/demo/hall.toml.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, message: "is not UTF-8 text")
        }
        let config: HallConfig
        do {
            config = try TOMLDecoder().decode(HallConfig.self, from: text)
        } catch let error as TOMLParseError {
            throw ConfigError(file: path, message: "line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        } catch let error as DecodingError {
            throw ConfigError(file: path, message: describe(error))
        } catch {
            throw ConfigError(file: path, message: "\(error)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            return (config, try Hall(config: config, configFolder: folder))
        } catch let problem as ConfigProblem {
            throw ConfigError(file: path, message: problem.message)
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func keyPath(_ path: [any CodingKey]) -> String {
            var out = ""
            for key in path {
                if let i = key.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
            }
            return out.isEmpty ? "(top level)" : out
        }
        switch error {
        case .keyNotFound(let key, let ctx):
            var path = ctx.codingPath
            if path.last?.stringValue == key.stringValue { path.removeLast() }
            let parent = keyPath(path)
            return "\(parent == "(top level)" ? "" : parent + ".")\(key.stringValue): missing; this key is required"
        case .typeMismatch(let type, let ctx):
            return "\(keyPath(ctx.codingPath)): expected \(typeName(type))"
        case .valueNotFound(let type, let ctx):
            return "\(keyPath(ctx.codingPath)): missing value, expected \(typeName(type))"
        case .dataCorrupted(let ctx):
            return "\(keyPath(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "a whole number"
        case is Double.Type, is ConfigNumber.Type: "a number"
        case is Bool.Type: "true or false"
        case is [String].Type: "a list of strings"
        default: "\(type)".contains("Array") ? "a list" : "a table"
        }
    }
}
