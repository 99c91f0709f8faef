import Foundation
import GRDB
import HallAPI
@testable import HallServer
import HallSecrets
import IDCardReader
import Logging
import NIOHTTP1
import PostgresNIO
import XCTest

/// A live test hall with an identity key file, an `[appointments]` section, a card-only service (`idonly`) and a
/// daily limit of one number per person for `hukou`.
enum CheckinHall {
    static let platformToken = "platform-token-0123456789"

    static func toml(withKey: Bool = true, lateArrival: String = "normalQueue") -> String {
        var text = TestHallConfig.toml(extraServices: """

            [[services]]
            id = "idonly"
            name = { zh = "出入境", en = "Exit and entry" }
            prefix = "E"
            requiresIdCard = true
            hours = { everyDay = ["00:00-24:00"] }
            stopIssuingMinutesBeforeClose = 0
            """)
        text = text.replacingOccurrences(of: "averageServiceMinutes = 6\n", with: "averageServiceMinutes = 6\ndailyLimitPerPerson = 1\n")
        text += "\n\n[appointments]\nintegrationToken = \"\(platformToken)\"\nlateArrival = \"\(lateArrival)\"\n"
        if withKey { text += "\n[identity]\nkeyFile = \"identity.keys\"\n" }
        return text
    }

    /// Starts the hall (its key file made first when `withKey`).
    static func start(withKey: Bool = true, makeKeyFile: Bool = true, lateArrival: String = "normalQueue", logger: Logger? = nil,
                      logLevel: Logger.Level = .warning) async throws -> LiveHall {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hallserver-checkin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        if withKey, makeKeyFile {
            try PersonKeyring.fresh(at: TestHallConfig.monday(8)).write(to: dir.appendingPathComponent("identity.keys").path)
        }
        return try await LiveHall.start(folder: dir, toml: toml(withKey: withKey, lateArrival: lateArrival), logger: logger,
                                        logLevel: logLevel)
    }

    /// A made-up ID number with a valid GB 11643 check character.
    static func idNumber(_ first17: String) -> String {
        first17 + String(GB11643.checkCharacter(forFirst17: first17)!)
    }

    static let alice = idNumber("43010219900307123")
    static let bob = idNumber("11010519491231002")
}

extension LiveHall {
    func issue(_ serviceId: String, idNumber: String?, key: String = UUID().uuidString) async throws -> Reply {
        try await send(.POST, "/api/v1/tickets", token: TestHallConfig.kioskToken, headers: [("Idempotency-Key", key)],
                       json: IssueTicketRequest(serviceId: serviceId, kioskId: "kiosk-1", idNumber: idNumber))
    }

    func push(_ externalId: String, service: String = "hukou", start: Date, minutes: Double = 30, idNumber: String = CheckinHall.alice,
              name: String = "张伟", phone: String? = "13800138000", source: String = "gov") async throws -> Reply {
        try await send(.PUT, "/api/v1/appointments/\(source)/\(externalId)", token: CheckinHall.platformToken,
                       json: AppointmentPush(serviceId: service, slotStart: start, slotEnd: start.addingTimeInterval(minutes * 60),
                                             idNumber: idNumber, name: name, phone: phone))
    }

    func checkIn(_ request: CheckinRequest, key: String = UUID().uuidString) async throws -> Reply {
        try await send(.POST, "/api/v1/checkins", token: TestHallConfig.kioskToken, headers: [("Idempotency-Key", key)], json: request)
    }

    func lookUp(_ idNumber: String) async throws -> Reply {
        try await send(.POST, "/api/v1/checkins/lookup", token: TestHallConfig.kioskToken,
                       json: CardLookupRequest(kioskId: "kiosk-1", idNumber: idNumber))
    }

    /// Rows of `table` in whichever store the hall runs on.
    func rowCount(_ table: String) async throws -> Int {
        if let sqlite = app.desk.store as? SQLiteHallStore {
            return try await sqlite.database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
        }
        let pg = app.desk.store as! PostgresHallStore
        return try await pg.database.read("count") { tx in
            try await tx.first(PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table)"))?.decode(Int.self) ?? 0
        }
    }
}
