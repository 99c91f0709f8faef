import Foundation
import HallAPI

/// The kiosk's words in both languages, from the JSON catalogues (flat `key → text`,
/// placeholders written `{name}`).
public struct Strings: Hashable, Sendable {
    /// Catalogue per language.
    public let catalogues: [Language: [String: String]]

    public init(catalogues: [Language: [String: String]]) {
        self.catalogues = catalogues
    }

    /// The catalogues shipped inside KioskCore (`Strings/zh-Hans.json`, `Strings/en.json`).
    public static func bundled() throws -> Strings {
        guard let directory = Bundle.module.url(forResource: "Strings", withExtension: nil) else {
            throw StringsError.missingCatalogue(path: "KioskCore resources/Strings")
        }
        return try load(directory: directory)
    }

    /// Loads `zh-Hans.json` and `en.json` from `directory` (e.g. a hall's own wording).
    public static func load(directory: URL) throws -> Strings {
        var catalogues: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let url = directory.appendingPathComponent(catalogueFileName(language))
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw StringsError.missingCatalogue(path: url.path)
            }
            do {
                catalogues[language] = try JSONDecoder().decode([String: String].self, from: data)
            } catch {
                throw StringsError.malformedCatalogue(path: url.path, detail: "\(error)")
            }
        }
        return Strings(catalogues: catalogues)
    }

    /// The file name of a language's catalogue.
    public static func catalogueFileName(_ language: Language) -> String {
        switch language {
        case .zh: "zh-Hans.json"
        case .en: "en.json"
        }
    }

    /// The text for `key` in `language` with `{placeholders}` replaced from `arguments`.
    /// A missing entry shows the key itself (visible, never a crash).
    public func text(_ key: StringKey, _ language: Language, _ arguments: [String: String] = [:]) -> String {
        let template = catalogues[language]?[key.rawValue] ?? key.rawValue
        return Self.substitute(template, arguments)
    }

    /// Replaces each `{name}` in `template` with `arguments[name]`; unknown names stay as written.
    public static func substitute(_ template: String, _ arguments: [String: String]) -> String {
        guard !arguments.isEmpty, template.contains("{") else { return template }
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            if let value = arguments[name] {
                result += value
            } else {
                result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}

/// Why the string catalogues could not be loaded.
public enum StringsError: Error, Hashable, CustomStringConvertible {
    case missingCatalogue(path: String)
    case malformedCatalogue(path: String, detail: String)

    public var description: String {
        switch self {
        case .missingCatalogue(let path):
            "string catalogue '\(path)' is missing; reinstall the kiosk or point the strings directory at a folder with zh-Hans.json and en.json"
        case .malformedCatalogue(let path, let detail):
            "string catalogue '\(path)' is not a flat JSON object of strings: \(detail)"
        }
    }
}
