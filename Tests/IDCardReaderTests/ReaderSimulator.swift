import Foundation
import XCTest
@testable import IDCardReader

/// `kiosk/idcard-sim` as a child process: a real pseudo-terminal at `link`, driven by control lines.
final class ReaderSimulator: @unchecked Sendable {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sampleCards = repository.appendingPathComponent("kiosk/idcard-sim.d/cards").path

    let folder: String
    let link: String
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let condition = NSCondition()
    private var lines: [String] = []
    private var partial = ""
    private var consumed = 0

    /// Starts the simulator (cards from `cards`, default the sample cards) and waits for its `ready` line.
    init(cards: String = ReaderSimulator.sampleCards, extraArguments: [String] = []) throws {
        folder = NSTemporaryDirectory() + "idcard-sim-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        link = folder + "/ttyIDCARD"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.repository.appendingPathComponent("kiosk/idcard-sim").path, "--link", link, "--cards", cards] + extraArguments
        process.standardInput = input
        process.standardOutput = output
        signal(SIGPIPE, SIG_IGN)  // a simulator that died must fail the test, not kill it
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            condition.lock()
            partial += String(decoding: data, as: UTF8.self)
            while let newline = partial.firstIndex(of: "\n") {
                lines.append(String(partial[..<newline]))
                partial = String(partial[partial.index(after: newline)...])
            }
            condition.broadcast()
            condition.unlock()
        }
        try process.run()
        guard let ready = waitForLine(prefix: "ready ", timeout: 10) else {
            throw SimulatorError("kiosk/idcard-sim did not print 'ready' within 10 s: \(allLines())")
        }
        XCTAssertTrue(ready.hasPrefix("ready \(link) -> /dev/pts/"), ready)
    }

    struct SimulatorError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// Sends one control line and returns its `ok …` / `error …` answer.
    @discardableResult
    func send(_ line: String, file: StaticString = #filePath, lineNumber: UInt = #line) -> String {
        try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
        let answer = waitForLine(where: { $0.hasPrefix("ok ") || $0.hasPrefix("error ") }, timeout: 5) ?? "no answer"
        XCTAssertTrue(answer.hasPrefix("ok "), "'\(line)' → \(answer)", file: file, line: lineNumber)
        return answer
    }

    /// How many find-card commands the simulator has answered.
    func findCount() -> Int? {
        let status = send("status")
        guard let range = status.range(of: "2001=") else { return 0 }
        return Int(status[range.upperBound...].prefix { $0.isNumber })
    }

    /// Waits until the simulator has answered `count` more find-card commands (the reader has polled that often).
    func waitForFinds(_ count: Int, timeout: TimeInterval) -> Bool {
        guard let start = findCount() else { return false }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let now = findCount(), now >= start + count { return true }
            usleep(20_000)
        }
        return false
    }

    /// The next unread complete line starting with `prefix`, waiting up to `timeout` seconds.
    func waitForLine(prefix: String, timeout: TimeInterval) -> String? {
        waitForLine(where: { $0.hasPrefix(prefix) }, timeout: timeout)
    }

    func waitForLine(where matches: (String) -> Bool, timeout: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            while consumed < lines.count {
                let line = lines[consumed]
                consumed += 1
                if matches(line) { return line }
            }
            guard condition.wait(until: deadline) else { return nil }
        }
    }

    func allLines() -> String {
        condition.lock()
        defer { condition.unlock() }
        return lines.joined(separator: "\n")
    }

    func stop() {
        if process.isRunning {
            try? input.fileHandleForWriting.write(contentsOf: Data("quit\n".utf8))
            let deadline = Date().addingTimeInterval(3)
            while process.isRunning, Date() < deadline { usleep(10_000) }
            if process.isRunning { process.terminate() }
        }
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// Collects a reader service's events for the tests.
final class EventRecorder: @unchecked Sendable {
    private let condition = NSCondition()
    private var events: [(ContinuousClock.Instant, ReaderEvent)] = []
    private var task: Task<Void, Never>?

    init(_ service: IDCardReaderService) {
        let stream = service.events
        task = Task.detached { [weak self] in
            for await event in stream { self?.record(event) }
        }
    }

    private func record(_ event: ReaderEvent) {
        condition.lock()
        events.append((.now, event))
        condition.broadcast()
        condition.unlock()
    }

    var all: [ReaderEvent] {
        condition.lock()
        defer { condition.unlock() }
        return events.map(\.1)
    }

    var cards: [IDCard] { all.compactMap { if case let .cardRead(card) = $0 { card } else { nil } } }
    var problems: [CardProblem] { all.compactMap { if case let .cardUnreadable(p) = $0 { p } else { nil } } }

    /// Waits until an event after index `from` matches; returns it and when it came.
    func wait(from: Int = 0, timeout: Duration, _ matches: (ReaderEvent) -> Bool) -> (event: ReaderEvent, at: ContinuousClock.Instant)? {
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
        condition.lock()
        defer { condition.unlock() }
        var index = from
        while true {
            while index < events.count {
                if matches(events[index].1) { return (events[index].1, events[index].0) }
                index += 1
            }
            guard condition.wait(until: deadline) else { return nil }
        }
    }

    var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return events.count
    }

    func cancel() { task?.cancel() }
}

extension ReaderEvent {
    var isCard: Bool { if case .cardRead = self { true } else { false } }
    var isProblem: Bool { if case .cardUnreadable = self { true } else { false } }
    var health: ReaderHealth? { if case let .healthChanged(h) = self { h } else { nil } }
}
