import CallVoice
import Foundation

/// Finds the default voice pack when `[voice] pack` names none: `share/hallkiosk/Assets/voice/default` beside the
/// installed program (kiosk/install puts it there), then the repository's `Assets/voice/default` above the working
/// folder or the program (development, tests).
enum VoicePackLocator {
    static let relative = "Assets/voice/default"

    /// The pack folder to use, or nil with every place looked in.
    static func locate(configured: String?) -> (path: String?, searched: [String]) {
        if let configured { return (configured, [configured]) }
        var candidates: [String] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        candidates.append(executable.appendingPathComponent("../../share/hallkiosk/\(relative)").standardizedFileURL.path)
        candidates.append(executable.appendingPathComponent("../share/hallkiosk/\(relative)").standardizedFileURL.path)
        for start in [URL(fileURLWithPath: FileManager.default.currentDirectoryPath), executable] {
            var folder = start
            for _ in 0..<8 {
                candidates.append(folder.appendingPathComponent(relative).path)
                folder = folder.deletingLastPathComponent()
            }
        }
        let unique = candidates.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let found = unique.first { FileManager.default.fileExists(atPath: $0 + "/chime.wav") || FileManager.default.fileExists(atPath: $0) }
        return (found, unique)
    }
}
