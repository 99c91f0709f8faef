import Foundation
import HallAPI
@testable import HallServer
import Yams
import XCTest

/// `docs/openapi.yaml` describes exactly the routes the server answers, and both are the route catalogue
/// (`HallRoutes`) the kiosk's client is built from.
final class OpenAPIDocumentTests: XCTestCase {
    func testDocumentMatchesTheServersRoutes() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let doc = try XCTUnwrap(try Yams.load(yaml: text) as? [String: Any])
        XCTAssertTrue((doc["openapi"] as? String)?.hasPrefix("3.") ?? false)
        let paths = try XCTUnwrap(doc["paths"] as? [String: Any])
        var documented = Set<String>()
        for (path, item) in paths {
            for (method, _) in (item as? [String: Any]) ?? [:] where ["get", "post", "put", "delete", "patch"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        let live = try await LiveHall.start()
        let served = Set(live.app.routes)
        await live.stop()
        let catalogue = Set(HallRoutes.all.map(\.description))
        XCTAssertEqual(catalogue.count, HallRoutes.all.count, "a route listed twice in HallRoutes.all")
        XCTAssertEqual(served.subtracting(catalogue).sorted(), [], "routes the server answers outside the catalogue")
        XCTAssertEqual(catalogue.subtracting(served).sorted(), [], "catalogue routes the server does not answer")
        XCTAssertEqual(served.subtracting(documented).sorted(), [], "routes the document does not describe")
        XCTAssertEqual(documented.subtracting(served).sorted(), [], "documented routes the server does not have")
        let schemas = try XCTUnwrap((doc["components"] as? [String: Any])?["schemas"] as? [String: Any])
        for name in ["IssuedTicket", "TicketProgress", "HallStatus", "RatingSubmission", "RatingRecord", "WindowEvent", "SatisfactionReport"] {
            XCTAssertNotNil(schemas[name], "schema \(name)")
        }
    }
}
