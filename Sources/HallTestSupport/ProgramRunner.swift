import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion and returns (exit code, stdout, stderr): posix_spawn + waitpid on that pid,
/// output through files. Foundation's `Process` is not used here because daemons started by the program
/// (kiosk/printer-sim) keep inherited pipes open, and `waitUntilExit` can miss a child's exit while other
/// tests run processes of their own.
@discardableResult
public func runProgram(_ path: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (code: Int32, out: String, err: String) {
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
    guard spawned == 0 else { throw TestProcessError(description: "cannot run \(path): error \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (code, (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "", (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
}
