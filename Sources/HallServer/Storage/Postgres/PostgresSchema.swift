import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL schema: named migrations, applied in order, each recorded in `hall_schema_migration` with its
/// version (its place in `migrations`, from 1).
///
/// Every table has `hall_id` in its key, so one database can hold many halls. The SQL keeps to what
/// PostgreSQL-compatible servers of the openGauss and KingbaseES families also run (docs/postgresql.md):
/// plain types, `bigserial`, no `ON CONFLICT`, no identity or generated columns, no partitioning.
enum PostgresSchema {
    struct Migration {
        var name: String
        var sql: [String]
    }

    /// Every migration this hallserver knows, oldest first. Append only: never edit or reorder one already released.
    static let migrations: [Migration] = [
        Migration(name: "v1: tickets, counters, sessions, events, ratings, devices, keys", sql: [
            """
            CREATE TABLE ticket (
                hall_id text NOT NULL,
                serial bigserial NOT NULL,
                id text NOT NULL,
                hall_day text NOT NULL,
                issued_service_id text NOT NULL,
                service_id text NOT NULL,
                seq integer NOT NULL,
                number text NOT NULL,
                token text NOT NULL,
                kiosk_id text NOT NULL,
                idempotency_key text NOT NULL,
                request_fingerprint text NOT NULL,
                priority text,
                rank integer NOT NULL,
                status text NOT NULL,
                issued_at timestamptz NOT NULL,
                ahead_at_issue integer NOT NULL,
                estimate_at_issue integer NOT NULL,
                called_at timestamptz,
                started_at timestamptz,
                completed_at timestamptz,
                ended_at timestamptz,
                window_id text,
                staff_id text,
                recall_count integer NOT NULL DEFAULT 0,
                transfer_count integer NOT NULL DEFAULT 0,
                CONSTRAINT ticket_pkey PRIMARY KEY (hall_id, serial),
                CONSTRAINT ticket_id_key UNIQUE (hall_id, id),
                CONSTRAINT ticket_token_key UNIQUE (token),
                CONSTRAINT ticket_number_key UNIQUE (hall_id, hall_day, issued_service_id, seq),
                CONSTRAINT ticket_idempotency_key UNIQUE (hall_id, kiosk_id, idempotency_key)
            )
            """,
            "CREATE INDEX ticket_waiting ON ticket (hall_id, hall_day, service_id, rank, serial) WHERE status = 'waiting'",
            "CREATE INDEX ticket_at_window ON ticket (hall_id, window_id, called_at) WHERE status IN ('called', 'serving')",
            "CREATE INDEX ticket_by_number ON ticket (hall_id, number, hall_day)",
            "CREATE INDEX ticket_by_day ON ticket (hall_id, hall_day, status)",
            "CREATE INDEX ticket_completed ON ticket (hall_id, service_id, completed_at)",
            "CREATE INDEX ticket_issued ON ticket (hall_id, issued_at)",
            """
            CREATE TABLE daily_counter (
                hall_id text NOT NULL,
                hall_day text NOT NULL,
                service_id text NOT NULL,
                issued integer NOT NULL,
                CONSTRAINT daily_counter_pkey PRIMARY KEY (hall_id, hall_day, service_id)
            )
            """,
            """
            CREATE TABLE service_pause (
                hall_id text NOT NULL,
                service_id text NOT NULL,
                paused_at timestamptz NOT NULL,
                paused_by text NOT NULL,
                CONSTRAINT service_pause_pkey PRIMARY KEY (hall_id, service_id)
            )
            """,
            """
            CREATE TABLE staff_session (
                hall_id text NOT NULL,
                token_hash text NOT NULL,
                staff_id text NOT NULL,
                window_id text NOT NULL,
                created_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                ended_at timestamptz,
                CONSTRAINT staff_session_pkey PRIMARY KEY (hall_id, token_hash)
            )
            """,
            "CREATE INDEX staff_session_open ON staff_session (hall_id, expires_at) WHERE ended_at IS NULL",
            """
            CREATE TABLE window_event (
                hall_id text NOT NULL,
                id bigserial NOT NULL,
                window_id text NOT NULL,
                payload text NOT NULL,
                created_at timestamptz NOT NULL,
                CONSTRAINT window_event_pkey PRIMARY KEY (hall_id, id)
            )
            """,
            "CREATE INDEX window_event_window ON window_event (hall_id, window_id, id)",
            "CREATE INDEX window_event_created ON window_event (hall_id, created_at)",
            """
            CREATE TABLE rating (
                hall_id text NOT NULL,
                rating_id text NOT NULL,
                ticket_id text NOT NULL,
                hall_day text NOT NULL,
                assess_number integer NOT NULL,
                level text NOT NULL,
                source text NOT NULL,
                channel text NOT NULL,
                window_id text,
                staff_id text,
                service_id text NOT NULL,
                request_fingerprint text NOT NULL,
                record text NOT NULL,
                received_at timestamptz NOT NULL,
                CONSTRAINT rating_pkey PRIMARY KEY (hall_id, rating_id),
                CONSTRAINT rating_once_key UNIQUE (hall_id, ticket_id, assess_number),
                CONSTRAINT rating_ticket_fkey FOREIGN KEY (hall_id, ticket_id) REFERENCES ticket (hall_id, id)
            )
            """,
            "CREATE INDEX rating_day ON rating (hall_id, hall_day)",
            "CREATE INDEX rating_staff ON rating (hall_id, staff_id, hall_day)",
            "CREATE INDEX rating_received ON rating (hall_id, received_at)",
            """
            CREATE TABLE device_health (
                hall_id text NOT NULL,
                device_id text NOT NULL,
                received_at timestamptz NOT NULL,
                payload text NOT NULL,
                CONSTRAINT device_health_pkey PRIMARY KEY (hall_id, device_id)
            )
            """,
            """
            CREATE TABLE server_state (
                hall_id text NOT NULL,
                key text NOT NULL,
                value text NOT NULL,
                CONSTRAINT server_state_pkey PRIMARY KEY (hall_id, key)
            )
            """,
            """
            CREATE TABLE server_key (
                hall_id text NOT NULL,
                name text NOT NULL,
                secret bytea NOT NULL,
                CONSTRAINT server_key_pkey PRIMARY KEY (hall_id, name)
            )
            """,
            """
            CREATE TABLE hall_lock (
                hall_id text NOT NULL,
                name text NOT NULL,
                CONSTRAINT hall_lock_pkey PRIMARY KEY (hall_id, name)
            )
            """,
        ]),
        Migration(name: "v2: hall directory (names of halls, departments, services, windows, staff) for the city report", sql: [
            """
            CREATE TABLE hall (
                hall_id text NOT NULL,
                name_zh text NOT NULL,
                name_en text NOT NULL,
                time_zone text NOT NULL,
                updated_at timestamptz NOT NULL,
                CONSTRAINT hall_pkey PRIMARY KEY (hall_id)
            )
            """,
            """
            CREATE TABLE hall_service (
                hall_id text NOT NULL,
                service_id text NOT NULL,
                position integer NOT NULL,
                name_zh text NOT NULL,
                name_en text NOT NULL,
                department_zh text NOT NULL,
                department_en text NOT NULL,
                CONSTRAINT hall_service_pkey PRIMARY KEY (hall_id, service_id)
            )
            """,
            """
            CREATE TABLE hall_window (
                hall_id text NOT NULL,
                window_id text NOT NULL,
                position integer NOT NULL,
                name_zh text NOT NULL,
                name_en text NOT NULL,
                CONSTRAINT hall_window_pkey PRIMARY KEY (hall_id, window_id)
            )
            """,
            """
            CREATE TABLE hall_staff (
                hall_id text NOT NULL,
                staff_id text NOT NULL,
                position integer NOT NULL,
                name text NOT NULL,
                employee_no text NOT NULL,
                CONSTRAINT hall_staff_pkey PRIMARY KEY (hall_id, staff_id)
            )
            """,
        ]),
        Migration(name: "v3: city report day summaries, ticket and rating indexes by day", sql: [
            """
            CREATE TABLE city_day_ticket (
                hall_id text NOT NULL,
                hall_day text NOT NULL,
                service_id text NOT NULL,
                window_id text NOT NULL,
                staff_id text NOT NULL,
                tickets integer NOT NULL,
                called integer NOT NULL,
                served integer NOT NULL,
                no_shows integer NOT NULL,
                expired integer NOT NULL,
                wait_seconds double precision NOT NULL,
                b0 integer NOT NULL,
                b1 integer NOT NULL,
                b2 integer NOT NULL,
                b3 integer NOT NULL,
                b4 integer NOT NULL,
                b5 integer NOT NULL,
                b6 integer NOT NULL,
                b7 integer NOT NULL,
                b8 integer NOT NULL,
                b9 integer NOT NULL,
                b10 integer NOT NULL,
                b11 integer NOT NULL,
                b12 integer NOT NULL,
                b13 integer NOT NULL,
                b14 integer NOT NULL,
                b15 integer NOT NULL,
                CONSTRAINT city_day_ticket_pkey PRIMARY KEY (hall_id, hall_day, service_id, window_id, staff_id)
            )
            """,
            "CREATE INDEX city_day_ticket_day ON city_day_ticket (hall_day)",
            """
            CREATE TABLE city_day_rating (
                hall_id text NOT NULL,
                hall_day text NOT NULL,
                service_id text NOT NULL,
                window_id text NOT NULL,
                staff_id text NOT NULL,
                very_satisfied integer NOT NULL,
                satisfied integer NOT NULL,
                basically_satisfied integer NOT NULL,
                dissatisfied integer NOT NULL,
                very_dissatisfied integer NOT NULL,
                system_default integer NOT NULL,
                rated integer NOT NULL,
                CONSTRAINT city_day_rating_pkey PRIMARY KEY (hall_id, hall_day, service_id, window_id, staff_id)
            )
            """,
            "CREATE INDEX city_day_rating_day ON city_day_rating (hall_day)",
            """
            CREATE TABLE city_summary_day (
                hall_day text NOT NULL,
                kind text NOT NULL,
                built_at timestamptz NOT NULL,
                CONSTRAINT city_summary_day_pkey PRIMARY KEY (hall_day, kind)
            )
            """,
            "CREATE INDEX ticket_city_day ON ticket (hall_day)",
            "CREATE INDEX rating_city_day ON rating (hall_day)",
        ]),
        Migration(name: "v4: admin sessions and login failures shared by instances", sql: [
            """
            CREATE TABLE admin_session (
                hall_id text NOT NULL,
                token_hash text NOT NULL,
                created_at timestamptz NOT NULL,
                last_used_at timestamptz NOT NULL,
                CONSTRAINT admin_session_pkey PRIMARY KEY (hall_id, token_hash)
            )
            """,
            """
            CREATE TABLE login_failure (
                hall_id text NOT NULL,
                id bigserial NOT NULL,
                book text NOT NULL,
                key text NOT NULL,
                failed_at timestamptz NOT NULL,
                CONSTRAINT login_failure_pkey PRIMARY KEY (hall_id, id)
            )
            """,
            "CREATE INDEX login_failure_key ON login_failure (hall_id, key, failed_at)",
            "CREATE INDEX login_failure_book ON login_failure (hall_id, book, key)",
            "CREATE INDEX login_failure_age ON login_failure (hall_id, failed_at)",
        ]),
        Migration(name: "v5: waiting counts per service and rank (people ahead without counting the queue)", sql: [
            """
            CREATE TABLE queue_count (
                hall_id text NOT NULL,
                hall_day text NOT NULL,
                service_id text NOT NULL,
                rank integer NOT NULL,
                waiting integer NOT NULL,
                CONSTRAINT queue_count_pkey PRIMARY KEY (hall_id, hall_day, service_id, rank)
            )
            """,
            // Taken with the migration table locked: instances of this version wait; stop older ones first (docs/postgresql.md).
            """
            INSERT INTO queue_count (hall_id, hall_day, service_id, rank, waiting)
            SELECT hall_id, hall_day, service_id, rank, COUNT(*) FROM ticket WHERE status = 'waiting'
            GROUP BY hall_id, hall_day, service_id, rank
            """,
        ]),
        Migration(name: "v6: console: queue places, breaks, held services, pause notes", sql: [
            "ALTER TABLE ticket ADD COLUMN queue_order double precision",
            "ALTER TABLE staff_session ADD COLUMN break_reason text",
            "ALTER TABLE staff_session ADD COLUMN break_since timestamptz",
            "ALTER TABLE staff_session ADD COLUMN held_services text",
            "ALTER TABLE service_pause ADD COLUMN reason text",
            "ALTER TABLE service_pause ADD COLUMN until_at timestamptz",
        ]),
        Migration(name: "v7: hall settings edited in the browser, their audit log, alert states", sql: [
            """
            CREATE TABLE hall_settings (
                hall_id text NOT NULL,
                version integer NOT NULL,
                document text,
                seed_digest text,
                CONSTRAINT hall_settings_pkey PRIMARY KEY (hall_id)
            )
            """,
            """
            CREATE TABLE settings_audit (
                hall_id text NOT NULL,
                id bigserial NOT NULL,
                version integer NOT NULL,
                at timestamptz NOT NULL,
                actor text NOT NULL,
                summary text NOT NULL,
                before_json text,
                after_json text,
                CONSTRAINT settings_audit_pkey PRIMARY KEY (hall_id, id)
            )
            """,
            """
            CREATE TABLE alert_state (
                hall_id text NOT NULL,
                key text NOT NULL,
                active boolean NOT NULL,
                since timestamptz NOT NULL,
                resolved_at timestamptz,
                CONSTRAINT alert_state_pkey PRIMARY KEY (hall_id, key)
            )
            """,
        ]),
        Migration(name: "v8: staff photos uploaded on the settings page", sql: [
            """
            CREATE TABLE staff_photo (
                hall_id text NOT NULL,
                digest text NOT NULL,
                content_type text NOT NULL,
                width integer NOT NULL,
                height integer NOT NULL,
                bytes bytea NOT NULL,
                stored_at timestamptz NOT NULL,
                CONSTRAINT staff_photo_pkey PRIMARY KEY (hall_id, digest)
            )
            """,
        ]),
        Migration(name: "v9: ID-card person keys on tickets, appointments", sql: [
            "ALTER TABLE ticket ADD COLUMN person_key text",
            // One pending ticket per person and issued service; tickets without a card are not in the index.
            """
            CREATE UNIQUE INDEX ticket_person_pending ON ticket (hall_id, person_key, issued_service_id)
            WHERE person_key IS NOT NULL AND status IN ('waiting', 'called')
            """,
            "CREATE INDEX ticket_person_day ON ticket (hall_id, person_key, hall_day) WHERE person_key IS NOT NULL",
            """
            CREATE TABLE appointment (
                hall_id text NOT NULL,
                id text NOT NULL,
                source text NOT NULL,
                external_id text NOT NULL,
                service_id text NOT NULL,
                slot_start timestamptz NOT NULL,
                slot_end timestamptz NOT NULL,
                person_key text NOT NULL,
                masked_id text NOT NULL,
                masked_name text,
                sealed_phone text,
                status text NOT NULL,
                booking_code text NOT NULL,
                fingerprint text NOT NULL,
                ticket_id text,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                checked_in_at timestamptz,
                cancelled_at timestamptz,
                CONSTRAINT appointment_pkey PRIMARY KEY (hall_id, id),
                CONSTRAINT appointment_external UNIQUE (hall_id, source, external_id),
                CONSTRAINT appointment_code UNIQUE (hall_id, booking_code)
            )
            """,
            "CREATE INDEX appointment_person ON appointment (hall_id, person_key, slot_start)",
            "CREATE INDEX appointment_slot ON appointment (hall_id, slot_start, service_id)",
            "CREATE INDEX appointment_ticket ON appointment (hall_id, ticket_id) WHERE ticket_id IS NOT NULL",
        ]),
        Migration(name: "v10: person keys on the tickets of checked-in appointments", sql: [
            // Tickets of appointments checked in before check-in tickets carried the person's key get the appointment's
            // key. A pending one only when the person holds no other pending ticket at its service (the earliest such
            // one when several): `ticket_person_pending` allows one.
            """
            UPDATE ticket t SET person_key = a.person_key
            FROM appointment a
            WHERE a.hall_id = t.hall_id AND a.ticket_id = t.id AND t.person_key IS NULL
                AND (t.status NOT IN ('waiting', 'called') OR (
                    NOT EXISTS (SELECT 1 FROM ticket p
                        WHERE p.hall_id = t.hall_id AND p.person_key = a.person_key AND p.issued_service_id = t.issued_service_id
                            AND p.status IN ('waiting', 'called'))
                    AND NOT EXISTS (SELECT 1 FROM ticket q JOIN appointment b ON b.hall_id = q.hall_id AND b.ticket_id = q.id
                        WHERE q.hall_id = t.hall_id AND q.person_key IS NULL AND b.person_key = a.person_key
                            AND q.issued_service_id = t.issued_service_id AND q.status IN ('waiting', 'called')
                            AND q.serial < t.serial)))
            """,
        ]),
    ]

    /// The newest schema version this hallserver knows.
    static var knownVersion: Int { migrations.count }

    /// Brings the database up to `knownVersion`: one transaction that locks the migration table (instances starting
    /// together wait for each other) and applies what is missing. A database written by a newer hallserver
    /// (a version or a migration name this one does not know) is refused, naming both versions.
    /// - Returns: the names of the migrations applied now.
    @discardableResult
    static func migrate(_ database: PostgresDatabase) async throws -> [String] {
        try await createMigrationTable(database)
        let location = database.location
        return try await database.transaction("migrate schema") { tx in
            try await tx.execute("LOCK TABLE hall_schema_migration IN EXCLUSIVE MODE")
            var applied: [Int: String] = [:]
            for row in try await tx.rows("SELECT version, name FROM hall_schema_migration") {
                let (version, name) = try row.decode((Int, String).self)
                applied[version] = name
            }
            let newest = applied.keys.max() ?? 0
            if newest > knownVersion {
                throw PostgresStartupError("the database \(location.description) has schema version \(newest) "
                    + "(\(applied[newest] ?? "?")), newer than this hallserver knows (version \(knownVersion)): "
                    + "run the newer hallserver, or point --db at another database")
            }
            for (version, name) in applied where migrations[version - 1].name != name {
                throw PostgresStartupError("the database \(location.description) has schema version \(version) named '\(name)', "
                    + "but this hallserver's version \(version) is '\(migrations[version - 1].name)' (schema version \(knownVersion) known): "
                    + "the database was made by a different build; point --db at another database")
            }
            var done: [String] = []
            for (index, migration) in migrations.enumerated() where applied[index + 1] == nil {
                for statement in migration.sql { try await tx.execute(PostgresQuery(unsafeSQL: statement)) }
                try await tx.execute("""
                    INSERT INTO hall_schema_migration (version, name, applied_at) VALUES (\(index + 1), \(migration.name), \(Date()))
                    """)
                done.append(migration.name)
            }
            return done
        }
    }

    /// The schema version stored now (0: none).
    static func storedVersion(_ database: PostgresDatabase) async throws -> Int {
        try await database.transaction("read schema version") { tx in
            try await tx.first("SELECT COALESCE(MAX(version), 0) FROM hall_schema_migration")?.decode(Int.self) ?? 0
        }
    }

    /// `CREATE TABLE IF NOT EXISTS` is not atomic: two instances starting together may both try; the loser's
    /// duplicate error means the table is there.
    private static func createMigrationTable(_ database: PostgresDatabase) async throws {
        do {
            try await database.transaction("create the migration table") { tx in
                try await tx.execute("""
                    CREATE TABLE IF NOT EXISTS hall_schema_migration (
                        version integer NOT NULL,
                        name text NOT NULL,
                        applied_at timestamptz NOT NULL,
                        CONSTRAINT hall_schema_migration_pkey PRIMARY KEY (version)
                    )
                    """)
            }
        } catch let error as PostgresStoreError where error.description.contains("pg_type_typname_nsp_index") {
            return
        }
    }
}
