import CallVoice
import Foundation
import HallAPI
import IDCardReader
import KioskCore
import KioskHTTP
import KioskSDL
import Logging

/// `hallkiosk doctor`: checks config, font, display, touch, server, clock and printer, and says what to fix.
public enum Doctor {
    public enum Verdict: String, Sendable {
        case ok = "✔"
        case warning = "⚠"
        case failure = "✘"
    }

    public struct Finding: Sendable {
        public var verdict: Verdict
        public var topic: String
        public var text: String
    }

    /// Runs every check; `findings` are printed by the caller. Exit code 1 when anything failed.
    public static func run(configPath: String, overrides: KioskOverrides) async -> [Finding] {
        var findings: [Finding] = []
        func add(_ v: Verdict, _ topic: String, _ text: String) { findings.append(Finding(verdict: v, topic: topic, text: text)) }
        let settings: KioskSettings
        do {
            settings = try KioskSettings.load(path: configPath, overrides: overrides)
            add(.ok, "config", "\(configPath): \(settings.role.rawValue) '\(settings.deviceId)', server \(settings.serverURL)")
        } catch {
            add(.failure, "config", "\(error.description)")
            return findings
        }
        // Display and font: the driver the kiosk itself would use (the configured one, else SDL's own choice from
        // the environment, as under systemd on tty1), so a doctor that passes means the kiosk's window opens.
        do {
            var options = KioskAssembly.windowOptions(settings)
            options.fullscreen = false
            options.windowTitle = "hallkiosk doctor"
            let window = try KioskWindow(options: options)
            let width = window.measurer.size(of: "取号 Take a number", pointSize: 40, bold: false).width
            add(width > 0 ? .ok : .failure, "font", width > 0 ? "Chinese text measures \(Int(width)) px at 40 pt" : "the font renders nothing; set fonts.regular")
            if settings.videoDriver == nil && window.headless {
                add(.failure, "video", "no display: SDL found none of kmsdrm, x11 and wayland and fell back to '\(window.videoDriver)', "
                    + "so the kiosk would show nothing; on the appliance the kiosk user needs the 'video' and 'render' groups "
                    + "(or set screen.videoDriver; --video offscreen for a test)")
            } else {
                let chosen = settings.videoDriver == nil ? " (SDL's choice; screen.videoDriver fixes it)" : ""
                add(.ok, "video", "driver '\(window.videoDriver)'\(chosen) opened a \(settings.width)×\(settings.height) window")
            }
            if settings.role == .callingDisplay {
                // A calling display is watched, not touched.
            } else if !window.headless {
                add(window.touchDeviceCount > 0 ? .ok : .warning, "touch", window.touchDeviceCount > 0
                    ? "\(window.touchDeviceCount) touch device(s)"
                    : "no touch device: check the touch cable and that the kiosk user is in the 'input' group")
            } else {
                add(.warning, "touch", "driver '\(window.videoDriver)' has no screen or touch; the appliance uses kmsdrm")
            }
            window.close()
        } catch {
            add(.failure, "video", "\(error) — on the appliance the kiosk user needs the 'video' and 'render' groups; for a test use --video offscreen")
        }
        if settings.role == .callingDisplay {
            // No admin screen on a calling display: hall IT manage it from the device page and the hall config.
        } else if settings.adminPinHash == nil {
            add(.warning, "admin", "no admin PIN (admin.pinHash): the hidden admin screen cannot be opened; "
                + "make one with `echo PIN | hallserver hash-secret` and put it in [admin] pinHash")
        } else {
            add(.ok, "admin", "admin PIN set (long press in the \(settings.adminCorner.rawValue) corner)")
        }
        // Server, token and clock, through the client the kiosk itself would use.
        do {
            let kiosk = try buildKiosk(settings: settings, logger: Logger(label: "hallkiosk.doctor"), parts: [])
            let client = kiosk.client
            defer { Task { await kiosk.shutdown() } }
            do {
                let (health, ms) = try await client.health()
                add(health.status == "ok" ? .ok : .warning, "server", "\(settings.serverURL) answered in \(String(format: "%.1f", ms)) ms (hall server \(health.version), \(health.status))"
                    + (health.clock.map { "; server clock: \($0)" } ?? ""))
                let sent = Date()
                let hall = try await client.hallStatus()
                add(.ok, "token", "device '\(settings.deviceId)' accepted; hall '\(hall.name.zh)', \(hall.services.count) services")
                if settings.role == .callingDisplay {
                    // What the display shows: the board, and its window when it is a window's screen.
                    let board = try await client.hallBoard()
                    if let window = settings.windowId {
                        if board.windows.contains(where: { $0.id == window }) {
                            add(.ok, "board", "window \(window)'s screen: the hall server knows the window; \(board.recentCalls.count) recent calls")
                        } else {
                            add(.failure, "board", "the hall has no window '\(window)' (device.window); use one of "
                                + board.windows.map(\.id).joined(separator: ", "))
                        }
                    } else {
                        add(.ok, "board", "hall screen: \(board.windows.count) windows, \(board.queues.count) services, \(board.recentCalls.count) recent calls")
                    }
                }
                let skew = hall.now.timeIntervalSince(sent)
                add(abs(skew) < 30 ? .ok : .warning, "clock", abs(skew) < 30
                    ? "kiosk and hall server agree within \(String(format: "%.1f", abs(skew))) s"
                    : "kiosk clock is \(Int(skew)) s off the hall server; enable NTP (timedatectl set-ntp true)")
            } catch {
                switch error {
                case .rejected(401, _, _):
                    add(.failure, "token", "the hall server does not know this device token; copy device '\(settings.deviceId)'s token from the hall config")
                default:
                    add(.failure, "server", "\(error.description) — check server.url, the network and that hallserver runs")
                }
            }
        } catch {
            add(.failure, "server", "\(error)")
        }
        if settings.role == .callingDisplay {
            // A calling display prints nothing; it speaks: its voice pack must hold every clip a call needs.
            if !settings.voice.enabled {
                add(.ok, "voice", "off ([voice] enabled = false): calls are shown, not said")
            } else if let path = VoicePackLocator.locate(configured: settings.voice.packPath).path {
                let problems = VoicePack.check(directory: path, settings: settings.voice)
                if problems.isEmpty {
                    add(.ok, "voice", "voice pack \(path): every clip a call needs is there")
                } else {
                    for problem in problems { add(.failure, "voice", "voice pack \(path): \(problem)") }
                }
            } else {
                add(.failure, "voice", "no voice pack found; set [voice] pack to the pack folder (kiosk/voice/README.md) or [voice] enabled = false")
            }
        } else if settings.printerDestination != nil {
            for (verdict, text) in await PrintDoctor.check(settings) { add(verdict, "printer", text) }
        } else {
            add(.warning, "printer", "no printer configured (printer.destination): tickets are shown on screen only")
        }
        if let device = settings.idCardDevice {
            let (verdict, text) = idCardFinding(device: device)
            add(verdict, "idcard", text)
        }
        return findings
    }

    /// One SAM status exchange with the ID card reader (the kiosk must not hold the port meanwhile).
    static func idCardFinding(device: String) -> (Verdict, String) {
        let choice: IDCardReaderService.Device = device == "auto" ? .automatic : .path(device)
        let health = IDCardReaderService.probe(device: choice)
        if health.isReady { return (.ok, "reader on \(choice): SAM \(health.samStatus!)") }
        if let status = health.samStatus {
            return (.failure, "reader on \(choice) answers, but SAM \(status): the reader needs service")
        }
        return (.failure, "\(health.lastError ?? "no answer") — check [idcard] device, the cable, and that the kiosk user "
            + "is in the 'dialout' group (a CDC-ACM reader also needs ModemManager told to ignore it)")
    }
}
