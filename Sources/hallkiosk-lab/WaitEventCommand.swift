import ArgumentParser
import Foundation
import KioskEventStream
import KioskCommandLine

/// `hallkiosk-lab wait-event`: blocks until a kiosk's event stream has a matching event (scripts observe the kiosk
/// through it instead of grepping its log).
struct WaitEvent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait-event",
        abstract: "Wait until the kiosk's event stream (hallkiosk --events PATH) has a matching event; print it.",
        discussion: """
        Exit 0 with the matching line(s) on stdout; 1 when the timeout passed first (the last events are printed on \
        stderr); 2 when the process --pid ended first. Example: \
        hallkiosk-lab wait-event --events k.jsonl --event screen --where screen=home --timeout 30
        """)

    @Option(name: .long, help: "The event stream file.")
    var events: String

    @Option(name: .long, help: "The event name (screen, ticketIssued, printed, ratingQueued, ratingSent, heartbeat …); any when left out.")
    var event: String?

    @Option(name: .customLong("where"), help: ArgumentHelp("A field the event must have, KEY=VALUE (repeatable), e.g. screen=home.", valueName: "key=value"))
    var conditions: [String] = []

    @Option(name: .long, help: "Wait for this many matching events (the Nth is printed).")
    var count = 1

    @Option(name: .long, help: "Ignore the first N lines (e.g. the line count before the action waited for: wc -l < FILE).")
    var skip = 0

    @Option(name: .long, help: "Seconds to wait at most.")
    var timeout = 30.0

    @Option(name: .long, help: "Stop waiting when this process has ended.")
    var pid: Int32?

    @Flag(name: .long, help: "Print every matching line, not only the Nth.")
    var all = false

    func validate() throws {
        for condition in conditions where !condition.contains("=") {
            throw ValidationError("--where '\(condition)' is not KEY=VALUE (e.g. screen=home)")
        }
        guard count >= 1 else { throw ValidationError("--count \(count) must be at least 1") }
    }

    func run() throws {
        var wanted: [String: String] = [:]
        for condition in conditions {
            let parts = condition.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            wanted[String(parts[0])] = String(parts[1])
        }
        let log = KioskEventLog(path: events)
        let pid = self.pid
        let alive = { pid.map { kill($0, 0) == 0 || errno == EPERM } ?? true }
        if let found = log.wait(for: event, wanted, count: count, skip: skip, timeoutSeconds: timeout, alive: alive) {
            for record in all ? Array(found.prefix(count)) : [found[count - 1]] { print(record.line) }
            return
        }
        let what = ([event ?? "any event"] + conditions).joined(separator: " ")
        let ended = !alive()
        FileHandle.standardError.write(Data((ended ? "process \(pid ?? 0) ended" : "timed out after \(timeout) s")
            .appending(" waiting for \(count) × \(what) in \(events); last events:\n\(log.tail())\n").utf8))
        throw ExitCode(ended ? 2 : 1)
    }
}
