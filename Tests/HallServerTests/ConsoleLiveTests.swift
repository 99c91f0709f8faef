import Crypto
import Foundation
import HallAPI
@testable import HallServer
import XCTest

/// The console stays current without reloading: its live link says when what it shows changed, its live panel is
/// what the page swaps in, its only script is allowed by hash, and without script it still reloads itself.
final class ConsoleLiveTests: LiveHallTestCase {
    /// The next `console` message of the live link.
    private func next(_ stream: SSEReader, timeout: Duration = .seconds(5)) async throws -> String? {
        try await stream.nextData(event: "console", timeout: timeout)
    }

    func testTheLiveLinkSaysWhenATicketArrivesAndThePanelShowsIt() async throws {
        let live = try await start()
        let clerk = try await ConsoleClient.signIn(live)
        let page = try await clerk.page()
        let shown = try XCTUnwrap(page.text.range(of: #"data-fp="[0-9a-f]+""#, options: .regularExpression)
            .map { String(page.text[$0].dropFirst(9).dropLast()) })
        let link = try await SSEReader.open(live, path: "/staff/events", token: "", cookie: clerk.cookie)
        assertEq(try await next(link), shown, "the page's own state first")
        let start = ContinuousClock.now
        let t = try await live.issueTicket("hukou")
        let changed = try await next(link)
        XCTAssertNotNil(changed)
        XCTAssertNotEqual(changed, shown, "a ticket issued for the window's service changes the console")
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(3))
        let panel = try await clerk.page("part=live")
        XCTAssertTrue(panel.text.contains(t.number), "the live panel lists the new ticket")
        XCTAssertTrue(panel.text.contains(StaffConsolePage.liveSplit), "both live parts")
        XCTAssertFalse(panel.text.contains("<html"), "a fragment, not a page")
        XCTAssertFalse(panel.text.contains("name=\"number\""), "the typed forms are not in the live panel")
        // Signing out (here: someone takes the window over) ends the link with `signed-out`.
        _ = try await ConsoleClient.signIn(live, employeeNo: "1002", takeover: true)
        assertEq(try await next(link), "signed-out")
    }

    func testOnlyTheConsolesScriptRunsAndWithoutItThePageReloadsItself() async throws {
        let live = try await start()
        let clerk = try await ConsoleClient.signIn(live)
        let page = try await clerk.page()
        let policy = try XCTUnwrap(page.headers.first(name: "Content-Security-Policy"))
        let hash = Data(SHA256.hash(data: Data(StaffConsolePage.script.utf8))).base64EncodedString()
        XCTAssertTrue(policy.contains("script-src 'sha256-\(hash)'"), policy)
        XCTAssertTrue(page.text.contains("<noscript><meta http-equiv=\"refresh\""), "only a page without script reloads")
        // Every action button carries its key, shown on it.
        for key in ["F1", "F2", "F3", "F4", "F6"] {
            XCTAssertTrue(page.text.contains("data-key=\"\(key)\"") && page.text.contains("<kbd>\(key)</kbd>"), key)
        }
        for key in ["F7", "F8", "F9", "F10"] { XCTAssertTrue(page.text.contains("<kbd>\(key)</kbd>"), key) }
        // A browser sends its own forms' Origin only when the referrer policy allows it for the same origin
        // (under no-referrer Chromium sends `Origin: null`, which the same-origin check refuses).
        assertEq(page.headers.first(name: "Referrer-Policy"), "same-origin")
        XCTAssertFalse(page.text.contains("content=\"no-referrer\""))
        // The sign-in page runs nothing.
        let signIn = try await live.send(.GET, "/staff")
        XCTAssertFalse(signIn.headers.first(name: "Content-Security-Policy")?.contains("script-src") ?? true)
    }

    func testTheLinkAndThePanelNeedASession() async throws {
        let live = try await start()
        assertEq(try await live.send(.GET, "/staff/events").status, 401)
        assertEq(try await live.send(.GET, "/staff?part=live").status, 401, "the script reloads to the sign-in page")
    }
}
