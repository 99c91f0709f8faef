import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the kiosk checks about its display and touch screen when it starts, so the journal says plainly
/// why touches never arrive or the screen stays dark: missing device nodes, nodes it may not open, and
/// the groups (video, render, input) the kiosk user lacks.
public enum StartupCheck {
    /// One finding for the log.
    public struct Finding: Equatable, Sendable, CustomStringConvertible {
        public enum Severity: String, Sendable { case warning, notice }
        public var severity: Severity
        public var text: String
        public var description: String { text }
    }

    /// The operating system as the check sees it (a fake in tests).
    public struct Probe: Sendable {
        /// Names in a folder (`card0`, `event3`); empty when the folder is missing.
        public var list: @Sendable (String) -> [String]
        /// Whether this process may open the file for reading (and writing when `write`).
        public var canOpen: @Sendable (_ path: String, _ write: Bool) -> Bool
        /// `crw-rw---- root:video`, for messages.
        public var describe: @Sendable (String) -> String
        /// Whether this process has the group (nil when the group does not exist on this system).
        public var inGroup: @Sendable (String) -> Bool?
        /// The user name, for messages.
        public var userName: String

        /// The real system.
        public static var system: Probe {
            Probe(
                list: { (try? FileManager.default.contentsOfDirectory(atPath: $0))?.sorted() ?? [] },
                canOpen: { path, write in access(path, write ? (R_OK | W_OK) : R_OK) == 0 },
                describe: { path in
                    var info = stat()
                    guard stat(path, &info) == 0 else { return "missing" }
                    let owner = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "\(info.st_uid)"
                    let group = getgrgid(info.st_gid).map { String(cString: $0.pointee.gr_name) } ?? "\(info.st_gid)"
                    return "mode \(String(info.st_mode & 0o777, radix: 8)), \(owner):\(group)"
                },
                inGroup: { name in
                    guard let entry = getgrnam(name) else { return nil }
                    let gid = entry.pointee.gr_gid
                    if getegid() == gid { return true }
                    let count = getgroups(0, nil)
                    guard count > 0 else { return false }
                    var groups = [gid_t](repeating: 0, count: Int(count))
                    let n = getgroups(count, &groups)
                    return groups.prefix(Int(max(0, n))).contains(gid)
                },
                userName: getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(geteuid())")
        }
    }

    /// Findings for a kiosk that opened its window with `videoDriver` and sees `touchDevices` touch screens.
    /// Offscreen and dummy drivers (tests, screenshots) need no devices: no findings.
    public static func findings(videoDriver: String, touchDevices: Int, probe: Probe = .system) -> [Finding] {
        guard !["offscreen", "dummy"].contains(videoDriver) else { return [] }
        var out: [Finding] = []
        let user = probe.userName
        func missingGroups(_ names: [String]) -> [String] { names.filter { probe.inGroup($0) == false } }

        if videoDriver == "kmsdrm" {
            let cards = probe.list("/dev/dri").filter { $0.hasPrefix("card") }.map { "/dev/dri/\($0)" }
            if cards.isEmpty {
                out.append(Finding(severity: .warning, text: "no /dev/dri/card* device: no display driver is loaded "
                    + "(check `ls -l /dev/dri` and `dmesg | grep -i drm`)"))
            } else if !cards.contains(where: { probe.canOpen($0, true) }) {
                let groups = missingGroups(["video", "render"])
                out.append(Finding(severity: .warning, text: "user '\(user)' cannot open \(cards[0]) (\(probe.describe(cards[0])))"
                    + (groups.isEmpty ? "; check the device permissions and DeviceAllow=char-drm in the unit"
                                      : "; add it to the group(s) \(groups.joined(separator: ", ")): usermod -aG \(groups.joined(separator: ",")) \(user) (the unit's SupplementaryGroups= does it for hallkiosk.service)")))
            }
        }
        let events = probe.list("/dev/input").filter { $0.hasPrefix("event") }.map { "/dev/input/\($0)" }
        let readable = events.filter { probe.canOpen($0, false) }
        if touchDevices == 0 {
            var text = "no touch device found: touches will not arrive"
            if events.isEmpty {
                text += " (no /dev/input/event* at all: is the touch screen's USB cable plugged in? `ls /dev/input`)"
            } else if readable.isEmpty {
                let groups = missingGroups(["input"])
                text += " — user '\(user)' cannot read \(events[0]) (\(probe.describe(events[0])))"
                    + (groups.isEmpty ? "; check DeviceAllow=char-input in the unit"
                                      : "; add it to the group 'input': usermod -aG input \(user)")
            } else {
                text += " (\(readable.count) input device(s) readable but none is a touch screen: check the touch cable, "
                    + "`libinput list-devices` or `cat /proc/bus/input/devices`)"
            }
            out.append(Finding(severity: videoDriver == "kmsdrm" ? .warning : .notice, text: text))
        } else if videoDriver == "kmsdrm", !events.isEmpty, readable.isEmpty {
            out.append(Finding(severity: .warning, text: "user '\(user)' cannot read /dev/input/event* (\(probe.describe(events[0]))): "
                + "the barcode scanner will not work; add it to the group 'input'"))
        }
        return out
    }
}
