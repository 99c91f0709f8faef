import Foundation

/// Polls `condition` every `poll` seconds until it holds or `seconds` have passed; the last answer.
/// The one wait helper of the tests: a test waits for what it expects, never for a fixed time.
@discardableResult
public func waitUntil(_ seconds: Double, poll: Double = 0.05, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: poll)
    }
    return try condition()
}
