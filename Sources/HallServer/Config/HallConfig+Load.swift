import Foundation
import HallAPI
import ConfigKeys
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
            throw ConfigError(file: path, message: ConfigValueTypes.wrongTypeMessage(error, text: text) ?? error.keyPathDescription)
        } catch {
            throw ConfigError(file: path, message: "\(error)")
        }
        if let unknown = UnknownConfigKeys.problem(in: text, decoded: config) {
            throw ConfigError(file: path, message: unknown)
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            return (config, try config.validated(configFolder: folder))
        } catch let problem as ConfigProblem {
            throw ConfigError(file: path, message: problem.message)
        }
    }

    /// Every rule `check-config` applies to a decoded config: the hall it describes, or the first problem.
    /// The settings pages validate each edit with this too (`SettingsKeeper`).
    /// Throws `ConfigProblem` for a rule broken.
    public func validated(configFolder folder: String) throws -> Hall {
        let hall = try Hall(config: self, configFolder: folder)
        try validateBackupAndLimits()
        _ = try Maintenance(maintenance)
        _ = try database?.location()
        _ = try ServerTLS.configuration(tls, configFolder: folder)
        _ = try AlertSettings.validated(alerts)
        return hall
    }
}
