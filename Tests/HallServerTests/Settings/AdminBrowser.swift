import Foundation
@testable import HallServer
import XCTest

/// The hall manager in a browser: an admin page session over loopback, posting the settings page's forms.
struct AdminBrowser {
    let port: Int
    let session: String

    static func signIn(_ hall: LiveHall, file: StaticString = #filePath, line: UInt = #line) throws -> AdminBrowser {
        let login = try RawHTTP(port: hall.port).send("POST", "/admin/login", body: "token=\(TestHallConfig.adminToken)&next=%2Fadmin%2Fsettings")
        XCTAssertEqual(login.status, 303, login.body, file: file, line: line)
        return AdminBrowser(port: hall.port, session: try XCTUnwrap(login.cookies[AdminCookie.name], file: file, line: line))
    }

    var cookie: (String, String) { ("Cookie", "\(AdminCookie.name)=\(session)") }

    func get(_ path: String) throws -> RawHTTP.Reply {
        try RawHTTP(port: port).send("GET", path, headers: [cookie])
    }

    /// Posts one settings form: `action` and `fields`, with the page's form token.
    func post(_ action: String, _ fields: [(String, String)] = [], token: Bool = true, headers: [(String, String)] = []) throws -> RawHTTP.Reply {
        var pairs = [("action", action)] + fields
        if token { pairs.append((FormToken.field, FormToken.value(session: session))) }
        let body = pairs.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try RawHTTP(port: port).send("POST", "/admin/settings", headers: [cookie] + headers, body: body)
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
