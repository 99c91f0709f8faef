import Foundation
import HallAPI
import XCTest

/// A live hall with the clerk of window w1 logged in: the fixture of the rating tests.
class RatingTestCase: XCTestCase {
    var live: LiveHall!
    /// The staff token of the clerk at w1 (who serves the tickets the tests rate).
    var staff: String!

    override func setUp() async throws {
        live = try await LiveHall.start()
        staff = try await live.login("w1")
    }

    override func tearDown() async throws {
        await live?.stop()
    }

    /// POSTs `submission` to /api/v1/ratings with `token` and an `Idempotency-Key` (the rating id unless `key`).
    func rate(_ submission: RatingSubmission, token: String?, key: String? = nil) async throws -> LiveHall.Reply {
        try await live.send(.POST, "/api/v1/ratings", token: token, headers: [("Idempotency-Key", key ?? submission.ratingId)],
                            json: submission)
    }
}
