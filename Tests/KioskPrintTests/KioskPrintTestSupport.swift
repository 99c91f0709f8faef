import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HallAPI
import KioskPrint
import XCTest

/// The repository this test target was built from.
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The kiosk's bundled font (Fonts/).
let bundledFonts = PrintFonts(regular: .init(path: repository.appendingPathComponent("Fonts/NotoSansSC-Regular.otf").path),
                              bold: .init(path: repository.appendingPathComponent("Fonts/NotoSansSC-Bold.otf").path))

/// One renderer for the whole test run (fonts opened once).
let sharedRenderer: TicketRenderer = {
    do { return try TicketRenderer(fonts: bundledFonts) } catch { fatalError("\(error)") }
}()

/// A ticket as the hall server issues it.
func sampleTicket(number: String = "A023", ahead: Int = 5, url: String = "http://hall.test/t/q3VxT0b9Qe2LmZk7Yp1RcW4nX8s") -> IssuedTicket {
    IssuedTicket(id: "5f0c1e9a-2d7b-4c51-9a3e-7b1d2f6c8e41", number: number,
                 service: ServiceRef(id: "hukou", name: LocalizedText(zh: "户籍办理", en: "Household registration"), prefix: "A"),
                 issuedAt: Date(timeIntervalSince1970: 1_795_400_000), hallDay: "2026-11-23", priority: nil,
                 waitingAhead: ahead, estimatedWaitMinutes: 40, token: "q3VxT0b9Qe2LmZk7Yp1RcW4nX8s", lookupUrl: url)
}

func sampleContent(_ ticket: IssuedTicket = sampleTicket(), language: Language = .zh) -> TicketContent {
    TicketContent(ticket: ticket, hallName: LocalizedText(zh: "示范区政务服务中心", en: "Demo District Government Service Center"),
                  kioskId: "kiosk-01", timeZone: TimeZone(identifier: "Asia/Shanghai")!, language: language,
                  headerLines: ["欢迎光临"], footerLines: ["咨询电话 0571-12345"])
}

/// A fresh temporary folder, removed by the test's teardown.
func temporaryFolder(_ test: XCTestCase, _ prefix: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    return folder
}

/// Runs a program and returns (exit code, stdout, stderr). posix_spawn + waitpid, output through files:
/// daemons started by the program (printer-sim) keep inherited pipes open, and Foundation's `Process`
/// can miss the exit of a child while async tests run.
@discardableResult
func runProgram(_ path: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (code: Int32, out: String, err: String) {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)").path
    let outPath = base + ".out", errPath = base + ".err"
    defer { unlink(outPath); unlink(errPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let env = ProcessInfo.processInfo.environment.merging(environment ?? [:]) { $1 }.map { "\($0.key)=\($0.value)" }
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
    guard spawned == 0 else { throw NSError(domain: "spawn", code: Int(spawned), userInfo: [NSLocalizedDescriptionKey: "cannot run \(path)"]) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (code, (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "", (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
}

/// What `zbarimg` reads from a PNG file (QR payloads, one per line).
func zbar(_ path: String) throws -> String {
    try runProgram("/usr/bin/zbarimg", ["--raw", "-q", path]).out.trimmingCharacters(in: .whitespacesAndNewlines)
}
