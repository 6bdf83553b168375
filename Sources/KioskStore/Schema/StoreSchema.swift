/// The kiosk database's schema history. Append new steps; never edit a shipped one.
///
/// Conventions for every table:
/// - instants are INTEGER Unix seconds, UTC (`datetime(col, 'unixepoch')` reads them in
///   the sqlite3 shell); the fraction of a second is dropped;
/// - calendar dates are TEXT `YYYY-MM-DD` on the venue's calendar;
/// - booleans are INTEGER 0/1; enumerations are TEXT holding the Swift raw value;
/// - no STRICT tables and no `sqlite_schema` alias, so that SQLite 3.31 (older Raspberry
///   Pi OS images) still opens the file.
public enum StoreSchema {
    /// Every step, oldest first.
    public static let migrations: [DatabaseMigration] = [
        DatabaseMigration(version: 1, name: "programme, directory, notices, check-in, audit", sql: version1),
        DatabaseMigration(version: 2, name: "check-in ledger", sql: version2),
        DatabaseMigration(version: 3, name: "feed read reports and event pictures", sql: version3),
        DatabaseMigration(version: 4, name: "posters", sql: posters),
        DatabaseMigration(version: 5, name: "event pictures", sql: eventPictures),
        DatabaseMigration(version: 6, name: "screen alerts", sql: alerts),
        DatabaseMigration(version: 7, name: "resident logos", sql: residentLogos),
    ]

    public static var migrator: DatabaseMigrator { DatabaseMigrator(migrations) }

    public static var latestVersion: Int { migrations.count }

    static let version1 = """
        -- One row per programme source: a configured feed (id = its config name) or a
        -- staff push (id = 'push:NAME'). Fetch bookkeeping lives here so that the
        -- screen and `kioskctl status` can say how fresh each source is.
        CREATE TABLE sources (
            id                   TEXT PRIMARY KEY NOT NULL,
            kind                 TEXT NOT NULL,            -- ics | openagenda | json | push
            url                  TEXT,                     -- NULL for pushed sources
            etag                 TEXT,                     -- HTTP validators of the last 200
            last_modified        TEXT,
            last_attempt         INTEGER,                  -- Unix seconds
            last_success         INTEGER,                  -- last 200 or 304
            last_error           TEXT,                     -- NULL after a success
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            event_count          INTEGER NOT NULL DEFAULT 0
        );

        -- The last good copy of each source, replaced as a whole in one transaction.
        -- payload is the JSON of KioskCore.ProgrammeEvent; the other columns are
        -- copies for indexing and for reading the table by hand.
        CREATE TABLE events (
            id            INTEGER PRIMARY KEY,
            source_id     TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            uid           TEXT NOT NULL,
            recurrence_id TEXT,                            -- override of one instance: 'YYYY-MM-DD'
                                                           -- or 'YYYY-MM-DDTHH:MM:SSZ'; else NULL
            start_utc     INTEGER NOT NULL,                -- first start, Unix seconds
            end_utc       INTEGER NOT NULL,
            is_recurring  INTEGER NOT NULL DEFAULT 0 CHECK (is_recurring IN (0, 1)),
            payload       TEXT NOT NULL
        );
        -- NULLs are distinct in a UNIQUE constraint, so a plain UNIQUE(source_id, uid,
        -- recurrence_id) would let a series master appear twice.
        CREATE UNIQUE INDEX events_identity ON events(source_id, uid, ifnull(recurrence_id, ''));
        CREATE INDEX events_start ON events(start_utc);

        -- The directory of resident structures (KioskCore.Resident).
        CREATE TABLE residents (
            id         TEXT PRIMARY KEY NOT NULL,
            name       TEXT NOT NULL,
            kind       TEXT NOT NULL,                      -- entreprise | association | artiste | autre
            sector     TEXT NOT NULL DEFAULT '',
            location   TEXT NOT NULL DEFAULT '',
            membership TEXT NOT NULL,                      -- installed | associated
            summary    TEXT NOT NULL DEFAULT '',
            website    TEXT NOT NULL DEFAULT '',
            updated_at INTEGER NOT NULL                    -- Unix seconds of the last write
        );

        -- The notice board (KioskCore.Notice).
        CREATE TABLE notices (
            id         TEXT PRIMARY KEY NOT NULL,
            kind       TEXT NOT NULL,                      -- information | offer | request | call | professional-event
            title      TEXT NOT NULL,
            body       TEXT NOT NULL DEFAULT '',
            author     TEXT NOT NULL DEFAULT '',
            terms      TEXT,                               -- gift | sale | rental | loan
            deadline   TEXT,                               -- YYYY-MM-DD, inclusive
            event_date TEXT,                               -- YYYY-MM-DD
            posted     INTEGER NOT NULL,                   -- Unix seconds
            expires    INTEGER NOT NULL,                   -- Unix seconds, exclusive
            urgent     INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
            created_by TEXT NOT NULL DEFAULT ''            -- who pushed it (API client, kioskctl user)
        );
        CREATE INDEX notices_expires ON notices(expires);

        -- Check-in. Minimal on purpose: the check-in capability refines these tables
        -- in later migrations. Personal rows (people, badges, checkins, unknown_scans)
        -- are purged after the retention period; daily_counts are anonymous and kept.
        CREATE TABLE people (
            id          INTEGER PRIMARY KEY,
            first_name  TEXT NOT NULL,
            last_name   TEXT NOT NULL DEFAULT '',
            role        TEXT NOT NULL,                     -- resident | member | staff | volunteer | visitor
            resident_id TEXT REFERENCES residents(id) ON DELETE SET NULL,
            created     INTEGER NOT NULL                   -- Unix seconds
        );
        CREATE INDEX people_resident ON people(resident_id);

        CREATE TABLE badges (
            tag       TEXT PRIMARY KEY NOT NULL,           -- the badge UID as the reader reports it
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            created   INTEGER NOT NULL
        );
        CREATE INDEX badges_person ON badges(person_id);

        CREATE TABLE checkins (
            id        INTEGER PRIMARY KEY,
            tag       TEXT NOT NULL,
            person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
            at        INTEGER NOT NULL,                    -- Unix seconds
            direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
            event_uid TEXT
        );
        CREATE INDEX checkins_at ON checkins(at);
        CREATE INDEX checkins_person ON checkins(person_id, at);

        CREATE TABLE unknown_scans (
            id  INTEGER PRIMARY KEY,
            tag TEXT NOT NULL,
            at  INTEGER NOT NULL
        );
        CREATE INDEX unknown_scans_at ON unknown_scans(at);

        -- Attendance for funders: anonymous counts, kept after personal rows are purged.
        CREATE TABLE daily_counts (
            day       TEXT NOT NULL,                       -- YYYY-MM-DD, venue calendar
            role      TEXT NOT NULL,
            event_uid TEXT NOT NULL DEFAULT '',            -- '' = the building as a whole
            count     INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0),
            PRIMARY KEY (day, role, event_uid)
        ) WITHOUT ROWID;

        -- Who changed what (staff pushes, imports, enrolments, purges).
        CREATE TABLE audit (
            id     INTEGER PRIMARY KEY,
            at     INTEGER NOT NULL,                       -- Unix seconds
            actor  TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX audit_at ON audit(at);
        """

    /// The check-in ledger (KioskStore.CheckInLedger). `people` is rebuilt (SQLite's
    /// table-rebuild recipe; the migrator turns foreign keys off around it) to check its
    /// role; the other tables only gain columns, so their rows and ids stay as they are.
    static let version2 = """
        -- people: + notes, role checked. A role v1 did not know becomes 'visitor' (the
        -- least privileged) rather than failing the upgrade.
        CREATE TABLE people_v2 (
            id          INTEGER PRIMARY KEY,
            first_name  TEXT NOT NULL,
            last_name   TEXT NOT NULL DEFAULT '',
            role        TEXT NOT NULL CHECK (role IN ('resident', 'member', 'staff', 'volunteer', 'visitor')),
            resident_id TEXT REFERENCES residents(id) ON DELETE SET NULL,
            created     INTEGER NOT NULL,                  -- Unix seconds
            notes       TEXT NOT NULL DEFAULT ''           -- for staff; never on screen
        );
        INSERT INTO people_v2 (id, first_name, last_name, role, resident_id, created)
            SELECT id, first_name, last_name,
                   CASE WHEN role IN ('resident', 'member', 'staff', 'volunteer', 'visitor') THEN role ELSE 'visitor' END,
                   resident_id, created
            FROM people;
        DROP TABLE people;
        ALTER TABLE people_v2 RENAME TO people;
        CREATE INDEX people_resident ON people(resident_id);
        CREATE INDEX people_role ON people(role);

        -- badges: a label ("Pass visiteur 3", the printed number) and revocation. A
        -- revoked badge reads as unknown; its row stays so the history still names it.
        ALTER TABLE badges ADD COLUMN label TEXT NOT NULL DEFAULT '';
        ALTER TABLE badges ADD COLUMN revoked INTEGER;  -- Unix seconds; NULL = valid

        -- checkins: rows written by the closing-time check-out are marked.
        ALTER TABLE checkins ADD COLUMN auto INTEGER NOT NULL DEFAULT 0 CHECK (auto IN (0, 1));
        -- Presence ("who is in now") reads today's rows through checkins_at and each
        -- person's last row through checkins_person (person_id, at; the rowid breaks ties).

        -- unknown_scans: which reader saw the badge; by tag for enrolment.
        ALTER TABLE unknown_scans ADD COLUMN reader TEXT NOT NULL DEFAULT '';
        CREATE INDEX unknown_scans_tag ON unknown_scans(tag, at);

        -- daily_counts: `count` is a number of people (each person once per day, and once
        -- per event and day), raised in the transaction that writes the check-in. The
        -- event's title is kept with the count because feeds forget past events.
        ALTER TABLE daily_counts ADD COLUMN event_title TEXT NOT NULL DEFAULT '';
        """

    /// What the last read of each source skipped (shown by `kioskctl sources`, the staff API
    /// and the push report), and each event's picture address for the picture fetcher.
    static let version3 = """
        -- sources: the last successful read's report. events_read counts the events of the
        -- feed as written (dropped ones included; event_count is what was stored);
        -- warnings holds the first few as a JSON array of {"line": N|null, "message": "..."},
        -- warning_count all of them.
        ALTER TABLE sources ADD COLUMN events_read INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sources ADD COLUMN warning_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sources ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';

        -- events: the picture of the event (an http(s) URL, also in the payload's
        -- imageURL), NULL when it has none.
        ALTER TABLE events ADD COLUMN image_url TEXT;
        """
}
