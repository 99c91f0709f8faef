import Foundation

extension SQLiteHallStore {
    /// `DeskStart.load`, read now on the calling thread: the SQLite file opens synchronously, so a server on it is
    /// built without awaiting (`buildHallServer`).
    public func deskStartNow(hall: Hall, random: any RandomSource) throws -> DeskStart {
        DeskStart(consoleTrustKey: try database.serverKey(DeskStart.consoleTrustKeyName, make: { random.bytes(32) }),
                  recentServiceMinutes: try recentServiceMinutesNow(serviceIds: hall.services.map(\.id), perService: hall.averageOverLast),
                  newestStoredTime: try newestStoredTimeNow())
    }
}

extension HallDesk {
    /// The SQLite database under the desk's store, for tests and tools that look into the file.
    /// Only for a desk on `SQLiteHallStore` (stops the program otherwise).
    public var database: HallDatabase {
        guard let sqlite = store as? SQLiteHallStore else {
            preconditionFailure("this hall desk keeps its data in \(type(of: store)), not in an SQLite file")
        }
        return sqlite.database
    }
}
