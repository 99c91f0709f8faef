import Foundation

/// A font file and the face to open in it (`.ttc` collections hold several faces).
public struct FontFile: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var faceIndex: Int

    public init(path: String, faceIndex: Int) {
        self.path = path
        self.faceIndex = faceIndex
    }

    /// A font named in config: `PATH` or `PATH#FACE`. A `.ttc`/`.otc` collection without `#FACE` opens
    /// face 2 — Simplified Chinese in Noto Sans CJK (face 0 has Japanese glyph shapes).
    public init(configured: String) {
        if let hash = configured.lastIndex(of: "#"), let face = Int(configured[configured.index(after: hash)...]) {
            self.init(path: String(configured[..<hash]), faceIndex: face)
            return
        }
        let lower = configured.lowercased()
        let isCollection = lower.hasSuffix(".ttc") || lower.hasSuffix(".otc")
        self.init(path: configured, faceIndex: isCollection ? 2 : 0)
    }

    public var description: String { faceIndex == 0 ? path : "\(path)#\(faceIndex)" }
}

/// Finds the kiosk fonts when the config names none.
///
/// Order: `Fonts/` next to the executable (and its `share/hallkiosk/Fonts`, bundle resources), a
/// repository `Fonts/` above the working directory or the executable, the repository this target was built
/// from, then the system `fonts-noto-cjk` collection (face 2).
public enum FontLocator {
    public static let bundledRegular = "NotoSansSC-Regular.otf"
    public static let bundledBold = "NotoSansSC-Bold.otf"
    public static let systemRegular = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    public static let systemBold = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"

    /// The font for `bold`, or an error listing every place searched and the fix.
    public static func locate(bold: Bool, configured: String?) throws -> FontFile {
        if let configured {
            let file = FontFile(configured: configured)
            guard FileManager.default.isReadableFile(atPath: file.path) else {
                throw KioskSDLError("font file '\(file.path)' (\(bold ? "bold" : "regular")) does not exist or "
                    + "is not readable; fix the font path in the config, or remove it to use the bundled "
                    + "Fonts/\(bold ? bundledBold : bundledRegular)")
            }
            return file
        }
        let name = bold ? bundledBold : bundledRegular
        let candidates = searchDirectories().map { $0 + "/" + name }
        for path in candidates where FileManager.default.isReadableFile(atPath: path) {
            return FontFile(path: path, faceIndex: 0)
        }
        let system = bold ? systemBold : systemRegular
        if FileManager.default.isReadableFile(atPath: system) { return FontFile(path: system, faceIndex: 2) }
        throw KioskSDLError("no \(bold ? "bold" : "regular") CJK font found (looked for \(name) in "
            + candidates.map { ($0 as NSString).deletingLastPathComponent }.joined(separator: ", ")
            + " and for \(system)); fix: copy the repository's Fonts/ folder next to the hallkiosk executable, "
            + "set the font paths in the config, or install fonts-noto-cjk")
    }

    /// The system's complete Noto Sans CJK SC (face 2 of the fonts-noto-cjk collections), for characters
    /// beyond the bundled fonts' GB2312; empty when it is not installed.
    public static func fallbacks() -> [Bool: FontFile] {
        var found: [Bool: FontFile] = [:]
        for (bold, path) in [(false, systemRegular), (true, systemBold)] where FileManager.default.isReadableFile(atPath: path) {
            found[bold] = FontFile(path: path, faceIndex: 2)
        }
        return found
    }

    /// Folders that may hold the bundled fonts, most specific first, without duplicates.
    static func searchDirectories() -> [String] {
        var directories: [String] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
            .deletingLastPathComponent().path
        directories.append(executable + "/Fonts")
        directories.append(executable + "/../share/hallkiosk/Fonts")
        if let resources = Bundle.main.resourcePath { directories.append(resources + "/Fonts") }
        for start in [FileManager.default.currentDirectoryPath, executable] {
            var folder = URL(fileURLWithPath: start)
            for _ in 0..<6 {
                directories.append(folder.appendingPathComponent("Fonts").path)
                folder.deleteLastPathComponent()
            }
        }
        // The repository this target was compiled from (development builds and `swift test`).
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        directories.append(repository.appendingPathComponent("Fonts").path)
        var seen = Set<String>()
        return directories.map { ($0 as NSString).standardizingPath }.filter { seen.insert($0).inserted }
    }
}
