@testable import HallServer
import XCTest

/// `postgres://USER@HOST1:PORT1,HOST2:PORT2/DATABASE?target_session_attrs=…`: a primary and its standby in one URL, as
/// libpq writes them (the failover itself: kiosk/tests/postgres-failover).
final class PostgresHostListTests: XCTestCase {
    func testSeveralHostsAreReadInOrderWithTheirPorts() throws {
        let location = try PostgresLocation(url: "postgres://hall:secret@db1.city.example:5433,db2.city.example,[::1]:6543/halls?target_session_attrs=read-write")
        XCTAssertEqual(location.hosts, [PostgresHost(host: "db1.city.example", port: 5433), PostgresHost(host: "db2.city.example", port: 5432),
                                        PostgresHost(host: "::1", port: 6543)])
        XCTAssertEqual(location.host, "db1.city.example")
        XCTAssertEqual(location.port, 5433)
        XCTAssertEqual(location.password, "secret")
        XCTAssertEqual(location.database, "halls")
        XCTAssertEqual(location.sessionAttributes, .readWrite)
        XCTAssertEqual(location.description, "postgres://hall@db1.city.example:5433,db2.city.example:5432,[::1]:6543/halls")
        XCTAssertFalse(location.description.contains("secret"))
        XCTAssertEqual(location.only(1).hosts, [PostgresHost(host: "db2.city.example", port: 5432)])
        XCTAssertEqual(location.only(1).database, "halls")
    }

    func testOneHostIsAsBeforeAndWantsWrites() throws {
        let location = try PostgresLocation(url: "postgres://hall@db.city.example:6432/halls")
        XCTAssertEqual(location, PostgresLocation(host: "db.city.example", port: 6432, user: "hall", database: "halls"))
        XCTAssertEqual(location.sessionAttributes, .readWrite)
        XCTAssertEqual(try PostgresLocation(url: "postgres://hall@h/db?target_session_attrs=any").sessionAttributes, .any)
    }

    func testBadHostListsAreRefusedWithTheFix() {
        XCTAssertThrowsError(try PostgresLocation(url: "postgres://hall@db1:5432,,db2/halls")) { error in
            XCTAssertTrue("\(error)".contains("an empty host in the host list"), "\(error)")
        }
        XCTAssertThrowsError(try PostgresLocation(url: "postgres://hall@db1:5432,db2:x/halls")) { error in
            XCTAssertTrue("\(error)".contains("'db2:x' in the host list has no valid port"), "\(error)")
        }
        XCTAssertThrowsError(try PostgresLocation(url: "postgres://hall@db1,db2/halls?target_session_attrs=primary")) { error in
            XCTAssertTrue("\(error)".contains("target_session_attrs 'primary' is not one of read-write, any"), "\(error)")
        }
    }
}
