import Foundation
import XCTest

/// A clerk at the console (`/staff`) over HTTP, as a browser without script is: signs in, posts the page's forms with
/// the session's form token and follows the console's redirect back (303), as a browser does.
struct ConsoleClient {
    let live: LiveHall
    /// `hk_staff=…`.
    let cookie: String
    let csrf: String

    init(live: LiveHall, cookie: String, csrf: some StringProtocol) {
        self.live = live
        self.cookie = cookie
        self.csrf = String(csrf)
    }

    /// Signs in at `windowId` (taking over when `takeover`); fails the test when the console does not open.
    static func signIn(_ live: LiveHall, window windowId: String = "w1", employeeNo: String = "1001", takeover: Bool = false,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> ConsoleClient {
        let login = try await live.send(.POST, "/staff/login",
                                        body: Data("windowId=\(windowId)&employeeNo=\(employeeNo)&pin=\(TestHallConfig.pin)\(takeover ? "&takeover=1" : "")".utf8),
                                        contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(login.status, 303, login.text, file: file, line: line)
        let cookie = String(try XCTUnwrap(login.headers.first(name: "Set-Cookie"), file: file, line: line).split(separator: ";")[0])
        let page = try await live.send(.GET, "/staff", headers: [("Cookie", cookie)])
        let csrf = try XCTUnwrap(page.text.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression)
            .map { String(page.text[$0]).split(separator: "\"")[3] }, file: file, line: line)
        return ConsoleClient(live: live, cookie: cookie, csrf: csrf)
    }

    /// The console page now (`query` e.g. `confirm=no-show`).
    func page(_ query: String = "") async throws -> LiveHall.Reply {
        try await live.send(.GET, "/staff" + (query.isEmpty ? "" : "?" + query), headers: [("Cookie", cookie)])
    }

    /// Posts a form to `path` (`/staff/action` …) with `fields`; the answer, and the page it redirects to (if it does).
    func post(_ path: String, _ fields: [(String, String)]) async throws -> (answer: LiveHall.Reply, page: LiveHall.Reply) {
        var body = "csrf=\(csrf)"
        for (k, v) in fields {
            body += "&\(k)=\(v.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? v)"
        }
        let answer = try await live.send(.POST, path, headers: [("Cookie", cookie)], body: Data(body.utf8),
                                         contentType: "application/x-www-form-urlencoded")
        guard answer.status == 303, let location = answer.headers.first(name: "Location") else { return (answer, answer) }
        return (answer, try await live.send(.GET, location, headers: [("Cookie", cookie)]))
    }

    /// Posts `/staff/action` with `action` (and more fields): the page the clerk sees after it.
    func act(_ action: String, _ fields: [(String, String)] = []) async throws -> LiveHall.Reply {
        try await post("/staff/action", [("action", action)] + fields).page
    }
}
