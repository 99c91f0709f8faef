import Foundation
import PostgresNIO

/// The hall's names in the shared database (`hall`, `hall_service`, `hall_window`, `hall_staff`): what the city
/// report shows instead of ids. Each hall server writes its own hall's rows from its `hall.toml` when it starts;
/// `hallserver migrate` writes them too. Only names and numbers the hall shows in public (window signs, staff
/// badges): no PIN hashes, no tokens, no photos.
enum HallDirectory {
    /// Replaces hall `hall.id`'s directory rows with what `hall` says, inside `tx`.
    static func write(_ tx: PostgresTransaction, _ hall: Hall, at: Date) async throws {
        let hallId = hall.id
        // Two instances of the hall starting together: one writes after the other.
        try await tx.lock(hallId: hallId, "hall directory")
        for table in ["hall", "hall_service", "hall_window", "hall_staff"] {
            try await tx.execute(PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE hall_id = $1", binds: binds([hallId])))
        }
        try await tx.execute("""
            INSERT INTO hall (hall_id, name_zh, name_en, time_zone, updated_at)
            VALUES (\(hallId), \(hall.name.zh), \(hall.name.en), \(hall.timeZone.identifier), \(at))
            """)
        for (position, service) in hall.services.enumerated() {
            try await tx.execute("""
                INSERT INTO hall_service (hall_id, service_id, position, name_zh, name_en, department_zh, department_en)
                VALUES (\(hallId), \(service.id), \(position), \(service.name.zh), \(service.name.en),
                        \(service.group?.zh ?? ""), \(service.group?.en ?? ""))
                """)
        }
        for (position, window) in hall.windows.enumerated() {
            try await tx.execute("""
                INSERT INTO hall_window (hall_id, window_id, position, name_zh, name_en)
                VALUES (\(hallId), \(window.id), \(position), \(window.name.zh), \(window.name.en))
                """)
        }
        for (position, staff) in hall.staff.enumerated() {
            try await tx.execute("""
                INSERT INTO hall_staff (hall_id, staff_id, position, name, employee_no)
                VALUES (\(hallId), \(staff.id), \(position), \(staff.name), \(staff.employeeNo))
                """)
        }
    }

    private static func binds(_ values: [String]) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        return bindings
    }
}

extension PostgresHallStore {
    /// Writes this hall's names (hall, departments, services, windows, staff) for the city report; called at start.
    public func recordDirectory(of hall: Hall) async throws {
        try await database.transaction("record the hall directory") { tx in
            try await HallDirectory.write(tx, hall, at: Date())
        }
    }
}
