import XCTest

/// A test case with one live hall server per test, started by `start(limits:)` (extra `[limits]` lines, if any)
/// and stopped after the test.
class LiveHallTestCase: XCTestCase {
    var live: LiveHall?

    override func tearDown() async throws {
        await live?.stop()
    }

    func start(limits: String = "") async throws -> LiveHall {
        let hall = try await LiveHall.start(toml: TestHallConfig.toml() + (limits.isEmpty ? "" : "\n[limits]\n" + limits + "\n"))
        live = hall
        return hall
    }
}
