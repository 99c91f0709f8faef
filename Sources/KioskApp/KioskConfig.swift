import CallVoice
import Foundation
import HallAPI
import HallSecrets
import KioskCore
import ConfigKeys
import TOMLKit

/// A kiosk's configuration file (`kiosk/demo/kiosk.toml`, installed as `/etc/hallkiosk/kiosk.toml`).
/// Every key is documented in README.md ("Kiosk configuration").
public struct KioskConfig: Codable, Sendable {
    /// `ticketKiosk` or `ratingDevice`.
    public var role: DeviceRole
    public var device: Device
    public var server: Server
    public var screen: Screen?
    public var ui: UI?
    public var printer: Printer?
    public var fonts: Fonts?
    public var admin: Admin?
    public var rating: Rating?
    public var sound: Sound?
    /// `[voice]`: how a calling display says its calls (see `VoiceConfig`).
    public var voice: VoiceConfig?
    /// `[idcard]`: the ID card reader (身份证阅读器); absent = none.
    public var idcard: CardReader?
    /// `[scanner]`: a keyboard-wedge QR scanner read (and grabbed) from its evdev node; absent = SDL text input only.
    public var scanner: Scanner?

    /// `[device]`: who this kiosk is to the hall server.
    public struct Device: Codable, Sendable {
        public var id: String
        /// The bearer token (or `tokenFile`, a file holding it, e.g. a systemd credential).
        public var token: String?
        public var tokenFile: String?
        /// Rating devices: the window id it is bound to; calling displays: the window whose screen it is (none: the hall
        /// screen). As in the hall config's `[[devices]] window`.
        public var window: String?
    }

    /// `[server]`: where the hall server is.
    public struct Server: Codable, Sendable {
        public var url: String
        /// PEM file of the hall's private CA, for `https` URLs.
        public var caFile: String?
        /// Seconds before a request is given up. Default 5.
        public var timeoutSeconds: Int?
    }

    /// `[screen]`: the panel.
    public struct Screen: Codable, Sendable {
        /// Layout size in pixels before rotation. Default 1080×1920 (portrait).
        public var width: Int?
        public var height: Int?
        /// 0, 90, 180 or 270: the program rotates (KMSDRM cannot). Default 0.
        public var rotation: Int?
        /// Default true on the appliance; false for a development window.
        public var fullscreen: Bool?
        /// `kmsdrm` (appliance), `x11`, `wayland`, `offscreen`. Default: SDL's choice (set it!).
        public var videoDriver: String?
    }

    /// `[ui]`: how the kiosk behaves with citizens.
    public struct UI: Codable, Sendable {
        /// `zh` or `en`. Default `zh`.
        public var language: String?
        public var idleTimeoutSeconds: Int?
        public var ticketScreenSeconds: Int?
        public var ticketScreenSecondsWithoutPaper: Int?
        public var offlineGraceSeconds: Int?
        /// Seconds between hall status requests (waiting counts, open/closed). Default 10.
        public var statusRefreshSeconds: Int?
    }

    /// `[printer]`: the receipt printer (see README "Printing"); absent = tickets are shown on screen only.
    public struct Printer: Codable, Sendable {
        /// A CUPS queue name or an `ipp://`/`ipps://` URI. Empty or absent = no printer.
        public var destination: String?
        /// `auto`, `pwg`, `png` or `escpos`. Default `auto`.
        public var format: String?
        /// 576 (80 mm, 203 dpi), 512 or 384. Default 576.
        public var widthDots: Int?
        /// Lines printed above the hall name. Default none.
        public var header: [String]?
        /// Lines printed at the bottom (e.g. the hall's phone number). Default none.
        public var footer: [String]?
        /// Notes under the QR code; default: missed? ask at a window (staff can requeue you), listen for your number.
        public var notes: [String]?
        /// Seconds a job may take before the kiosk cancels it and says so. Default 20.
        public var jobTimeoutSeconds: Int?
        /// Seconds between printer state checks. Default 15.
        public var pollSeconds: Int?
        /// ESC/POS: lines fed before the cut. Default 4.
        public var feedLines: Int?
        /// ESC/POS: partial cut after each ticket. Default true.
        public var cut: Bool?
    }

    /// `[fonts]`: font files; absent = the bundled Noto Sans SC subset, then the system Noto CJK.
    public struct Fonts: Codable, Sendable {
        public var regular: String?
        public var bold: String?
    }

    /// `[rating]`: the rating screens (rating device, and 评价 at the ticket kiosk).
    public struct Rating: Codable, Sendable {
        /// `fiveLevels` (faces 非常满意 … 非常不满意) or `twoButtons` (好评/差评). Default `fiveLevels`.
        public var mode: String?
        /// Seconds an unanswered prompt stays open. Default 60.
        public var promptSeconds: Int?
        /// Seconds "thank you" stays. Default 4.
        public var thanksSeconds: Int?
        /// Only where the hall's rules require it: a timed-out prompt records `systemDefault` 满意. Default false.
        public var systemDefaultOnTimeout: Bool?
        /// The outbox database (ratings stored before delivery). Default `/var/lib/hallkiosk/outbox-<device id>.sqlite`,
        /// or `outbox-<device id>.sqlite` beside the config file when that folder is not writable.
        public var outboxPath: String?
    }

    /// `[sound]`: the short sounds on a ticket and on an error (through SDL audio).
    public struct Sound: Codable, Sendable {
        /// 0…100 % of full scale. Default 0: no sound (and no audio device opened).
        public var volume: Int?
    }

    /// `[idcard]`: the ID card reader on a serial port (GA/T 467 SAM frames, 115200 8N1).
    public struct CardReader: Codable, Sendable {
        /// `/dev/ttyUSB0`, a udev symlink, `auto` (the first `/dev/ttyUSB*` or `/dev/ttyACM*`), or the link
        /// `kiosk/idcard-sim` prints. A relative path is beside the config file.
        public var device: String?
    }

    /// `[scanner]`: the booking/ticket QR scanner as a keyboard wedge.
    public struct Scanner: Codable, Sendable {
        /// Its evdev node, e.g. `/dev/input/by-id/usb-…-event-kbd`: opened and grabbed (`EVIOCGRAB`) so that on KMSDRM
        /// its keys do not also type into the UI.
        public var device: String?
    }

    /// `[admin]`: the hidden admin screen.
    public struct Admin: Codable, Sendable {
        /// PBKDF2 hash of the admin PIN (`hallserver hash-secret`).
        public var pinHash: String?
        /// `topLeft` (default), `topRight`, `bottomLeft` or `bottomRight`: where the long press opens the PIN entry.
        public var corner: String?
        /// Seconds of the long press. Default 3.
        public var longPressSeconds: Int?
    }
}

/// A config problem: names the file, the key and the fix.
public struct KioskConfigError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The validated settings the program runs with.
public struct KioskSettings: Sendable {
    public var role: DeviceRole
    public var deviceId: String
    public var deviceToken: String
    public var serverURL: String
    public var caFile: String?
    public var timeoutSeconds: Double
    public var width: Int
    public var height: Int
    public var rotation: Int
    public var fullscreen: Bool
    public var videoDriver: String?
    public var language: Language
    public var idleTimeoutSeconds: Double
    public var ticketScreenSeconds: Double
    public var ticketScreenSecondsWithoutPaper: Double
    public var offlineGraceSeconds: Double
    public var statusRefreshSeconds: Double
    public var printerDestination: String?
    public var printerFormat: String
    public var printerWidthDots: Int
    /// The other `[printer]` keys (layout lines, deadlines, ESC/POS feed and cut).
    public var printerOptions = PrintSettings()
    public var fontRegular: String?
    public var fontBold: String?
    public var adminPinHash: String?
    public var adminCorner: AdminCorner
    public var adminLongPressSeconds: Double
    /// Rating devices: the window this device is bound to.
    public var windowId: String?
    public var ratingMode: RatingMode
    public var ratingPromptSeconds: Double
    public var ratingThanksSeconds: Double
    public var systemDefaultOnTimeout: Bool
    /// Where the rating outbox database lives.
    public var outboxPath: String
    /// Sound volume, 0…100 %; 0 (the default) plays nothing.
    public var soundVolume = 0
    /// A calling display's voice (`[voice]`; every default when absent).
    public var voice = VoiceSettings()
    /// `[idcard] device`: the reader's port, `auto`, or nil when the kiosk has no reader.
    public var idCardDevice: String?
    /// `[scanner] device`: the wedge scanner's evdev node, or nil (SDL text input only).
    public var scannerDevice: String?
    /// The file the settings came from.
    public var source: String
}

/// Command-line overrides of common keys (`--server`, `--printer`, `--video`, `--size`, `--lang`).
public struct KioskOverrides: Sendable {
    public var server: String?
    public var printer: String?
    public var video: String?
    public var size: String?
    public var language: String?
    public init(server: String? = nil, printer: String? = nil, video: String? = nil, size: String? = nil, language: String? = nil) {
        self.server = server
        self.printer = printer
        self.video = video
        self.size = size
        self.language = language
    }
}

extension KioskSettings {
    /// Reads and validates a kiosk config file, then applies command-line overrides.
    public static func load(path: String, overrides: KioskOverrides = KioskOverrides()) throws(KioskConfigError) -> KioskSettings {
        try make(try decodeConfig(path: path), source: path, overrides: overrides)
    }

    /// Reads and parses a kiosk config file (TOML syntax and types; `make` checks the values).
    static func decodeConfig(path: String) throws(KioskConfigError) -> KioskConfig {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw KioskConfigError("\(path): cannot read the file; start from kiosk/demo/kiosk.toml")
        }
        let config: KioskConfig
        do {
            config = try TOMLDecoder().decode(KioskConfig.self, from: text)
        } catch let error as TOMLParseError {
            throw KioskConfigError("\(path): line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        } catch let error as DecodingError {
            throw KioskConfigError("\(path): \(ConfigValueTypes.wrongTypeMessage(error, text: text) ?? error.keyPathDescription)")
        } catch {
            throw KioskConfigError("\(path): \(error)")
        }
        if let unknown = UnknownConfigKeys.problem(in: text, decoded: config) {
            throw KioskConfigError("\(path): \(unknown)")
        }
        return config
    }

    /// Why a `tokenFile` naming a systemd credential cannot be read outside the service.
    struct CredentialPathProblem: Error {
        let message: String
    }

    /// The path of `device.tokenFile`: a leading `$CREDENTIALS_DIRECTORY/` is the folder systemd hands
    /// the service its `LoadCredential=` files in (it differs per unit: hallkiosk.service,
    /// hallkiosk-cage.service), so one config serves either unit.
    static func credentialPath(_ configured: String, environment: [String: String]) -> Result<String, CredentialPathProblem> {
        let prefixes = ["$CREDENTIALS_DIRECTORY/", "${CREDENTIALS_DIRECTORY}/"]
        guard let prefix = prefixes.first(where: { configured.hasPrefix($0) }) else { return .success(configured) }
        let name = String(configured.dropFirst(prefix.count))
        guard let folder = environment["CREDENTIALS_DIRECTORY"], !folder.isEmpty else {
            return .failure(CredentialPathProblem(message: "'\(configured)' is a systemd credential, and CREDENTIALS_DIRECTORY is not set "
                + "(systemd sets it only inside the hallkiosk service); by hand, point it at the credentials folder: "
                + "sudo CREDENTIALS_DIRECTORY=/etc/hallkiosk/credentials hallkiosk doctor --config /etc/hallkiosk/kiosk.toml"))
        }
        return .success(folder.hasSuffix("/") ? folder + name : folder + "/" + name)
    }

    static func make(_ c: KioskConfig, source: String, overrides: KioskOverrides,
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws(KioskConfigError) -> KioskSettings {
        func fail(_ key: String, _ message: String) -> KioskConfigError { KioskConfigError("\(source): \(key): \(message)") }
        let besideConfig = { (path: String) in relativeToConfig(path, source: source) }
        guard !c.device.id.isEmpty else { throw fail("device.id", "must name this device as in the hall config's [[devices]]") }
        var token = c.device.token
        if let configured = c.device.tokenFile {
            let file: String
            switch credentialPath(configured, environment: environment) {
            case .success(let path): file = besideConfig(path)
            case .failure(let problem): throw fail("device.tokenFile", problem.message)
            }
            guard let raw = FileManager.default.contents(atPath: file) else {
                throw fail("device.tokenFile", "cannot read '\(file)' (is it readable by the kiosk user?)")
            }
            token = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let token, token.count >= 16 else {
            throw fail("device.token", "missing or shorter than 16 characters; copy the device's token from the hall config")
        }
        let url = overrides.server ?? c.server.url
        guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
            throw fail(overrides.server != nil ? "--server" : "server.url", "'\(url)' is not an http(s) URL such as http://192.168.1.10:8080")
        }
        let caFile = c.server.caFile.map(besideConfig)
        if let ca = caFile, !FileManager.default.isReadableFile(atPath: ca) {
            throw fail("server.caFile", "cannot read '\(ca)'")
        }
        let timeout = c.server.timeoutSeconds ?? 5
        guard (1...60).contains(timeout) else {
            throw fail("server.timeoutSeconds", "\(timeout) is outside 1…60 seconds (every request to the hall server gives up after it; 5 is usual)")
        }
        var width = c.screen?.width ?? 1080
        var height = c.screen?.height ?? 1920
        if let size = overrides.size {
            let parts = size.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
            guard parts.count == 2, let w = parts[0], let h = parts[1] else { throw fail("--size", "'\(size)' is not WIDTHxHEIGHT such as 1080x1920") }
            (width, height) = (w, h)
        }
        guard (320...8192).contains(width), (240...8192).contains(height) else {
            throw fail(overrides.size != nil ? "--size" : "screen.width/height", "\(width)×\(height) is outside 320×240…8192×8192")
        }
        let rotation = c.screen?.rotation ?? 0
        guard [0, 90, 180, 270].contains(rotation) else { throw fail("screen.rotation", "\(rotation) must be 0, 90, 180 or 270") }
        let video = overrides.video ?? c.screen?.videoDriver
        if let video, !["kmsdrm", "x11", "wayland", "offscreen", "dummy"].contains(video) {
            throw fail(overrides.video != nil ? "--video" : "screen.videoDriver", "'\(video)' is not kmsdrm, x11, wayland, offscreen or dummy")
        }
        let langText = overrides.language ?? c.ui?.language ?? "zh"
        guard let language = Language(rawValue: langText) else {
            throw fail(overrides.language != nil ? "--lang" : "ui.language", "'\(langText)' must be zh or en")
        }
        func seconds(_ value: Int?, _ key: String, _ fallback: Int, _ range: ClosedRange<Int>) throws(KioskConfigError) -> Double {
            let v = value ?? fallback
            guard range.contains(v) else { throw fail("ui.\(key)", "\(v) is outside \(range.lowerBound)…\(range.upperBound) seconds") }
            return Double(v)
        }
        let format = c.printer?.format ?? "auto"
        guard ["auto", "pwg", "png", "escpos"].contains(format) else {
            throw fail("printer.format", "'\(format)' must be auto, pwg, png or escpos")
        }
        let dots = c.printer?.widthDots ?? 576
        guard [576, 512, 384].contains(dots) else { throw fail("printer.widthDots", "\(dots) must be 576 (80 mm), 512 or 384 (58 mm)") }
        let fontRegular = c.fonts?.regular.map(besideConfig), fontBold = c.fonts?.bold.map(besideConfig)
        for (key, path) in [("fonts.regular", fontRegular), ("fonts.bold", fontBold)] {
            if let path, !FileManager.default.isReadableFile(atPath: path) {
                throw fail(key, "cannot read '\(path)'; leave it out to use the bundled font")
            }
        }
        let destination = (overrides.printer ?? c.printer?.destination).flatMap { $0.isEmpty ? nil : $0 }
        let windowId = c.device.window.flatMap { $0.isEmpty ? nil : $0 }
        if c.role == .ratingDevice, windowId == nil {
            throw fail("device.window", "a rating device must name its window (e.g. window = \"w01\"), as in the hall config's [[devices]]")
        }
        let modeText = c.rating?.mode ?? RatingMode.fiveLevels.rawValue
        guard let ratingMode = RatingMode(rawValue: modeText) else {
            throw fail("rating.mode", "'\(modeText)' must be fiveLevels or twoButtons")
        }
        func ratingSeconds(_ value: Int?, _ key: String, _ fallback: Int, _ range: ClosedRange<Int>) throws(KioskConfigError) -> Double {
            let v = value ?? fallback
            guard range.contains(v) else { throw fail("rating.\(key)", "\(v) is outside \(range.lowerBound)…\(range.upperBound) seconds") }
            return Double(v)
        }
        let outboxPath = c.rating?.outboxPath.map(besideConfig) ?? Self.defaultOutboxPath(configPath: source, deviceId: c.device.id)
        if let hash = c.admin?.pinHash, SecretHash(hash) == nil {
            throw fail("admin.pinHash", "is not a pbkdf2-sha256 hash; make one with `echo PIN | hallserver hash-secret`")
        }
        let cornerText = c.admin?.corner ?? AdminCorner.topLeft.rawValue
        guard let adminCorner = AdminCorner(rawValue: cornerText) else {
            throw fail("admin.corner", "'\(cornerText)' must be topLeft, topRight, bottomLeft or bottomRight")
        }
        let longPress = c.admin?.longPressSeconds ?? 3
        guard (2...10).contains(longPress) else { throw fail("admin.longPressSeconds", "\(longPress) is outside 2…10 seconds") }
        var settings = KioskSettings(
            role: c.role, deviceId: c.device.id, deviceToken: token, serverURL: url, caFile: caFile,
            timeoutSeconds: Double(timeout), width: width, height: height, rotation: rotation,
            fullscreen: c.screen?.fullscreen ?? false, videoDriver: video, language: language,
            idleTimeoutSeconds: try seconds(c.ui?.idleTimeoutSeconds, "idleTimeoutSeconds", 60, 10...3600),
            ticketScreenSeconds: try seconds(c.ui?.ticketScreenSeconds, "ticketScreenSeconds", 20, 3...600),
            ticketScreenSecondsWithoutPaper: try seconds(c.ui?.ticketScreenSecondsWithoutPaper, "ticketScreenSecondsWithoutPaper", 60, 3...900),
            offlineGraceSeconds: try seconds(c.ui?.offlineGraceSeconds, "offlineGraceSeconds", 30, 0...3600),
            statusRefreshSeconds: try seconds(c.ui?.statusRefreshSeconds, "statusRefreshSeconds", 10, 1...600),
            printerDestination: destination, printerFormat: format, printerWidthDots: dots,
            fontRegular: fontRegular, fontBold: fontBold, adminPinHash: c.admin?.pinHash,
            adminCorner: adminCorner, adminLongPressSeconds: Double(longPress),
            windowId: windowId, ratingMode: ratingMode,
            ratingPromptSeconds: try ratingSeconds(c.rating?.promptSeconds, "promptSeconds", 60, 10...600),
            ratingThanksSeconds: try ratingSeconds(c.rating?.thanksSeconds, "thanksSeconds", 4, 1...60),
            systemDefaultOnTimeout: c.rating?.systemDefaultOnTimeout ?? false, outboxPath: outboxPath, source: source)
        let volume = c.sound?.volume ?? 0
        guard (0...100).contains(volume) else { throw fail("sound.volume", "\(volume) is outside 0…100 % (0 turns sound off)") }
        settings.soundVolume = volume
        do { settings.voice = try VoiceSettings.make(c.voice) } catch { throw fail("voice.\(error.key)", error.problem) }
        if let pack = settings.voice.packPath { settings.voice.packPath = relativeToConfig(pack, source: source) }
        if let reader = c.idcard {
            guard let device = reader.device, !device.isEmpty else {
                throw fail("idcard.device", "is empty; name the reader's port (/dev/ttyUSB0), write auto, or leave out [idcard]")
            }
            settings.idCardDevice = device == "auto" ? "auto" : besideConfig(device)
        }
        if let scanner = c.scanner {
            guard let device = scanner.device, !device.isEmpty else {
                throw fail("scanner.device", "is empty; name the scanner's /dev/input/by-id/…-event-kbd, or leave out [scanner]")
            }
            settings.scannerDevice = besideConfig(device)
        }
        settings.printerOptions = try PrintSettings.make(c.printer, destination: destination, destinationKey: overrides.printer != nil ? "--printer" : "printer.destination", fail: fail)
        return settings
    }

    /// A path as written in the config: absolute as it is, relative to the config file's folder otherwise (so a
    /// config reads the same files whichever folder the kiosk is started from).
    static func relativeToConfig(_ path: String, source: String) -> String {
        guard !path.isEmpty, !path.hasPrefix("/") else { return path }
        let folder = URL(fileURLWithPath: source).deletingLastPathComponent()
        return folder.appendingPathComponent(path).standardizedFileURL.path
    }

    /// The device id as part of a file name: letters, digits, `-` and `_` only.
    static func fileNamePart(deviceId: String) -> String {
        deviceId.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    /// `/var/lib/hallkiosk/outbox-<device id>.sqlite` on the appliance (systemd `StateDirectory=hallkiosk`);
    /// otherwise `outbox-<device id>.sqlite` beside the config file, for development and tests.
    static func defaultOutboxPath(configPath: String, deviceId: String) -> String {
        let name = "outbox-\(fileNamePart(deviceId: deviceId)).sqlite"
        let appliance = "/var/lib/hallkiosk"
        if FileManager.default.isWritableFile(atPath: appliance) { return appliance + "/" + name }
        let folder = (configPath as NSString).deletingLastPathComponent
        return ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(name)
    }
}
