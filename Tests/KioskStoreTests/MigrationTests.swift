import Foundation
import KioskCore
import Testing

@testable import KioskStore

/// Representative rows of one schema version, written with that version's SQL, and the
/// checks that they survive every later migration. When schema vN+1 lands, add the
/// fixture of vN here (the generic test below fails until it exists) and adjust older
/// `verify` blocks only if a migration deliberately reshapes their data.
struct SchemaFixture: Sendable {
    var seed: @Sendable (Database) throws -> Void
    var verify: @Sendable (Database) throws -> Void
}

let schemaFixtures: [Int: SchemaFixture] = [
    1: SchemaFixture(
        seed: { (db: Database) throws -> Void in
            try db.executeScript(
                """
                INSERT INTO sources (id, kind, url, etag, last_success, event_count)
                    VALUES ('agenda', 'ics', 'https://example.org/a.ics', '"v1"', 1740000000, 1);
                INSERT INTO events (source_id, uid, recurrence_id, start_utc, end_utc, is_recurring, payload)
                    VALUES ('agenda', 'u1', NULL, 1740000000, 1740003600, 0,
                            '{"accessibility":[],"audience":"","categories":[],"end":{"instant":{"_0":1740003600}},"room":"","start":{"instant":{"_0":1740000000}},"status":"confirmed","summary":"","title":"Ciné-club","uid":"u1"}');
                INSERT INTO residents (id, name, kind, membership, updated_at)
                    VALUES ('distorsion', 'Distorsion', 'entreprise', 'installed', 1740000000);
                INSERT INTO notices (id, kind, title, posted, expires, urgent)
                    VALUES ('n1', 'information', 'Fermeture', 1740000000, 1750000000, 1);
                INSERT INTO people (id, first_name, role, resident_id, created) VALUES (7, 'Ada', 'resident', 'distorsion', 1740000000);
                INSERT INTO badges (tag, person_id, created) VALUES ('04A1B2C3', 7, 1740000000);
                INSERT INTO checkins (tag, person_id, at, direction) VALUES ('04A1B2C3', 7, 1740000100, 'in');
                INSERT INTO unknown_scans (tag, at) VALUES ('DEADBEEF', 1740000200);
                INSERT INTO daily_counts (day, role, count) VALUES ('2025-02-19', 'resident', 1);
                INSERT INTO audit (at, actor, action, detail) VALUES (1740000000, 'test', 'seed', 'v1');
                """)
        },
        verify: { (db: Database) throws -> Void in
            let store = ProgrammeRepository(database: db, timeZone: paris)
            #expect(try store.allEvents().map(\.event.title) == ["Ciné-club"])
            #expect(try store.sourceStatus(id: "agenda")?.etag == "\"v1\"")
            let distorsion = try ResidentRepository(database: db).get(id: "distorsion")
            #expect(distorsion?.name == "Distorsion" && distorsion?.logo == nil, "a resident from before logos has none")
            #expect(try NoticeRepository(database: db).get(id: "n1")?.urgent == true)
            #expect(try db.scalar("SELECT resident_id FROM people WHERE id = 7", as: String.self) == "distorsion")
            for table in ["badges", "checkins", "unknown_scans", "daily_counts", "audit"] {
                #expect(try db.scalar("SELECT count(*) FROM \(table)", as: Int.self) == 1, "\(table)")
            }
        }),
    2: SchemaFixture(
        seed: { (db: Database) throws -> Void in
            try db.executeScript(
                """
                INSERT INTO residents (id, name, kind, membership, updated_at)
                    VALUES ('atelier-diptyc', 'Atelier Diptyc', 'entreprise', 'installed', 1740000000);
                INSERT INTO people (id, first_name, last_name, role, resident_id, created, notes)
                    VALUES (3, 'Camille', 'Martin', 'resident', 'atelier-diptyc', 1740000000, 'badge remplacé');
                INSERT INTO people (id, first_name, role, created) VALUES (4, 'Visiteur', 'visitor', 1740000000);
                INSERT INTO badges (tag, person_id, created, label) VALUES ('62E3086CED', 3, 1740000000, '3808980205');
                INSERT INTO badges (tag, person_id, created, label, revoked) VALUES ('B0864D25', 4, 1740000000, 'Pass 1', 1740000500);
                INSERT INTO checkins (tag, person_id, at, direction, event_uid, auto)
                    VALUES ('62E3086CED', 3, 1740000100, 'in', 'cine@mixeur', 0);
                INSERT INTO checkins (tag, person_id, at, direction, auto) VALUES ('62E3086CED', 3, 1740040000, 'out', 1);
                INSERT INTO unknown_scans (tag, at, reader) VALUES ('67003B51C6', 1740000200, 'rdm6300');
                INSERT INTO daily_counts (day, role, event_uid, event_title, count) VALUES ('2025-02-19', 'resident', '', '', 1);
                INSERT INTO daily_counts (day, role, event_uid, event_title, count)
                    VALUES ('2025-02-19', 'resident', 'cine@mixeur', 'Ciné-club', 1);
                """)
        },
        verify: { (db: Database) throws -> Void in
            let ledger = CheckInLedger(database: db, timeZone: paris)
            let camille = try ledger.person(id: 3)
            #expect(camille?.notes == "badge remplacé")
            #expect(camille?.residentID == "atelier-diptyc")
            #expect(try ledger.person(holdingTag: "62e3086ced")?.id == 3)
            #expect(try ledger.person(holdingTag: "B0864D25") == nil, "revoked")
            #expect(try ledger.badges(personID: 4).first?.revoked == Date(timeIntervalSince1970: 1740000500))
            #expect(try ledger.checkIns(personID: 3).map(\.isAutomatic) == [false, true])
            #expect(try ledger.unknownScans().map(\.reader) == ["rdm6300"])
            let day = CivilDate(year: 2025, month: 2, day: 19)
            #expect(try ledger.attendance(from: day, through: day, by: .event).map(\.eventTitle) == ["Ciné-club"])
            #expect(try ledger.attendance(from: day, through: day, by: .day).map(\.count) == [1])
        }),
    3: SchemaFixture(
        seed: { (db: Database) throws -> Void in
            try db.executeScript(
                """
                INSERT INTO sources (id, kind, url, last_success, event_count, events_read, warning_count, warnings)
                    VALUES ('mixeur', 'ics', 'https://example.org/m.ics', 1740000000, 1, 2, 3,
                            '[{"line":12,"message":"event a: dropped: no DTSTART"},{"line":null,"message":"x"}]');
                INSERT INTO events (source_id, uid, recurrence_id, start_utc, end_utc, is_recurring, payload, image_url)
                    VALUES ('mixeur', 'b', NULL, 1740000000, 1740003600, 0,
                            '{"accessibility":[],"audience":"","categories":[],"end":{"instant":{"_0":1740003600}},"imageURL":"https://cdn.example.org/b.jpg","room":"","start":{"instant":{"_0":1740000000}},"status":"moved-online","summary":"","title":"Concert","uid":"b"}',
                            'https://cdn.example.org/b.jpg');
                """)
        },
        verify: { (db: Database) throws -> Void in
            let store = ProgrammeRepository(database: db, timeZone: paris)
            let status = try store.sourceStatus(id: "mixeur")
            #expect(status?.eventsRead == 2 && status?.warningCount == 3)
            #expect(status?.warnings == [SourceWarning(line: 12, message: "event a: dropped: no DTSTART"), SourceWarning(message: "x")])
            let event = try store.events(ofSource: "mixeur").first
            #expect(event?.imageURL == "https://cdn.example.org/b.jpg" && event?.status == .movedOnline)
        }),
    4: SchemaFixture(
        seed: { (db: Database) throws -> Void in
            try db.executeScript(
                """
                INSERT INTO posters (id, title, first_day, last_day, weekdays, opens, closes, picture, posted, created_by)
                    VALUES ('p-0000002a', 'Festival', '2025-02-18', '2025-02-23', '6,7', 540, 1080,
                            '\(String(repeating: "ab", count: 32))', 1740000000, 'accueil');
                """)
        },
        verify: { (db: Database) throws -> Void in
            let poster = try PosterRepository(database: db).get(id: "p-0000002a")
            #expect(poster?.weekdays == [6, 7] && poster?.hours?.opens.minutes == 540 && poster?.to == CivilDate(year: 2025, month: 2, day: 23))
        }),
    5: SchemaFixture(
        seed: { (db: Database) throws -> Void in
            try db.executeScript(
                """
                INSERT INTO event_pictures (url, picture, etag, last_modified, checked, error)
                    VALUES ('https://cdn.example.org/b.jpg', '\(String(repeating: "cd", count: 32))', '"e1"', NULL, 1740000000, NULL);
                INSERT INTO event_pictures (url, picture, checked, error)
                    VALUES ('https://cdn.example.org/gone.jpg', NULL, 1740000000, 'HTTP 404');
                """)
        },
        verify: { (db: Database) throws -> Void in
            let pictures = EventPictureRepository(database: db)
            #expect(try pictures.get(url: "https://cdn.example.org/b.jpg")?.etag == "\"e1\"")
            #expect(try pictures.get(url: "https://cdn.example.org/gone.jpg")?.error == "HTTP 404")
            #expect(try pictures.pictureHashes() == [String(repeating: "cd", count: 32)])
        }),
    6: SchemaFixture(
        seed: { (db: Database) throws -> Void in
            try db.executeScript(
                """
                INSERT INTO alerts (id, level, title, text, title_en, raised, raised_by, expires)
                    VALUES ('a-00000001', 'closure', 'Fermeture exceptionnelle', 'Réouverture demain', 'Closed today', 1740000000, 'accueil', 1740003600);
                INSERT INTO alerts (id, level, title, raised, raised_by, withdrawn, withdrawn_by)
                    VALUES ('a-00000000', 'information', 'Ancienne', 1739990000, 'regie', 1739999999, 'regie');
                """)
        },
        verify: { (db: Database) throws -> Void in
            let alerts = AlertRepository(database: db)
            let latest = try alerts.latest()
            #expect(latest?.id == "a-00000001" && latest?.level == .closure && latest?.titleEnglish == "Closed today" && latest?.textEnglish == nil)
            #expect(try alerts.inForce(at: Date(timeIntervalSince1970: 1740001000))?.id == "a-00000001")
            #expect(try alerts.inForce(at: Date(timeIntervalSince1970: 1740003600)) == nil, "expired")
            #expect(try alerts.get(id: "a-00000000")?.title == "Ancienne")
        }),
    7: SchemaFixture(
        seed: { (db: Database) throws -> Void in
            try db.executeScript(
                """
                INSERT INTO residents (id, name, kind, membership, updated_at, logo_url)
                    VALUES ('zinc', 'Zinc', 'entreprise', 'installed', 1740000000, 'https://cdn.example.org/zinc.png');
                INSERT INTO residents (id, name, kind, membership, updated_at, logo_picture)
                    VALUES ('sonolab', 'Sonolab', 'entreprise', 'installed', 1740000000, '\(String(repeating: "ef", count: 32))');
                INSERT INTO event_pictures (url, picture, checked) VALUES ('https://cdn.example.org/zinc.png', '\(String(repeating: "01", count: 32))', 1740000000);
                """)
        },
        verify: { (db: Database) throws -> Void in
            let residents = ResidentRepository(database: db)
            #expect(try residents.get(id: "zinc")?.logo == .url("https://cdn.example.org/zinc.png"))
            #expect(try residents.get(id: "sonolab")?.logo == .stored(hash: String(repeating: "ef", count: 32)))
            #expect(try residents.logoPictures() == ["zinc": String(repeating: "01", count: 32), "sonolab": String(repeating: "ef", count: 32)])
        }),
]

@Suite struct MigrationTests {
    let migrator = StoreSchema.migrator

    @Test func migratesAnEmptyDatabaseToTheLatestVersion() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/fresh.sqlite3")
            let outcome = try migrator.migrate(db)
            #expect(outcome == .init(fromVersion: 0, toVersion: StoreSchema.latestVersion))
            #expect(try db.userVersion() == StoreSchema.latestVersion)
            for table in ["sources", "events", "residents", "notices", "people", "badges", "checkins", "unknown_scans", "daily_counts", "audit", "alerts"] {
                #expect(try db.tableExists(table), "\(table)")
            }
            #expect(try db.integrityCheck() == [])
            #expect(try db.foreignKeyViolations() == [])
            #expect(try db.foreignKeysEnabled, "foreign keys are back on after migrating")
            // Idempotent.
            #expect(try migrator.migrate(db).didMigrate == false)
        }
    }

    @Test func migratesFromEveryEarlierVersionKeepingData() throws {
        for start in 0..<migrator.latestVersion {
            try withTemporaryDirectory { dir in
                let db = try Database(path: dir + "/v\(start).sqlite3")
                try migrator.migrate(db, upTo: start)
                #expect(try db.userVersion() == start)
                let seeded = start > 0 ? schemaFixtures[start] : nil
                if start > 0 {
                    #expect(seeded != nil, "add a SchemaFixture for schema v\(start)")
                    try seeded?.seed(db)
                }
                let outcome = try migrator.migrate(db)
                #expect(outcome == .init(fromVersion: start, toVersion: migrator.latestVersion))
                #expect(try db.userVersion() == migrator.latestVersion)
                try seeded?.verify(db)
                #expect(try db.integrityCheck() == [])
                #expect(try db.foreignKeyViolations() == [])
            }
        }
    }

    @Test func everyFixtureFitsItsOwnVersion() throws {
        for version in 1...migrator.latestVersion {
            guard let fixture = schemaFixtures[version] else {
                Issue.record("add a SchemaFixture for schema v\(version)")
                continue
            }
            let db = try Database(path: Database.inMemoryPath)
            try migrator.migrate(db, upTo: version)
            try fixture.seed(db)
            try fixture.verify(db)
            #expect(try db.foreignKeyViolations() == [])
        }
    }

    @Test func refusesADatabaseFromANewerKiosk() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/" + StateStore.fileName
            let future = migrator.latestVersion + 1
            do {
                let db = try Database(path: path)
                try migrator.migrate(db)
                try db.execute("CREATE TABLE from_the_future (x)")
                try db.setUserVersion(future)
            }
            #expect {
                _ = try StateStore(stateDirectory: dir, timeZone: paris)
            } throws: { error in
                guard let error = error as? SchemaVersionError else { return false }
                return error.found == future && error.latestKnown == migrator.latestVersion && error.path == path
                    && error.description.contains("newer kiosk")
            }
            // Untouched.
            let db = try Database(path: path)
            #expect(try db.userVersion() == future)
            #expect(try db.tableExists("from_the_future"))
        }
    }

    @Test func aFailingStepLeavesThePreviousVersion() throws {
        struct Boom: Error {}
        let steps = StoreSchema.migrations + [
            DatabaseMigration(version: StoreSchema.latestVersion + 1, name: "half done") { db in
                try db.execute("CREATE TABLE half_done (x)")
                try db.execute("INSERT INTO audit (at, actor, action) VALUES (0, 'm', 'half')")
                throw Boom()
            }
        ]
        let db = try Database(path: Database.inMemoryPath)
        #expect(throws: Boom.self) { try DatabaseMigrator(steps).migrate(db) }
        #expect(try db.userVersion() == StoreSchema.latestVersion)
        #expect(try !db.tableExists("half_done"))
        #expect(try db.scalar("SELECT count(*) FROM audit", as: Int.self) == 0)
        #expect(try db.foreignKeysEnabled)
    }

    @Test func aStepThatBreaksReferencesIsRolledBack() throws {
        let steps = StoreSchema.migrations + [
            DatabaseMigration(version: StoreSchema.latestVersion + 1, name: "dangling badge", sql: """
                INSERT INTO badges (tag, person_id, created) VALUES ('X', 999, 0);
                """)
        ]
        let db = try Database(path: Database.inMemoryPath)
        #expect { try DatabaseMigrator(steps).migrate(db) } throws: { error in
            guard let error = error as? DatabaseError else { return false }
            return error.code == .constraintForeignKey && error.message.contains("dangling badge")
        }
        #expect(try db.userVersion() == StoreSchema.latestVersion)
        #expect(try db.scalar("SELECT count(*) FROM badges", as: Int.self) == 0)
    }
}

/// Residents' logos (schema v7) added to a v6 database holding a directory, event pictures
/// and their files: every resident kept, without a logo, and the pictures kept.
@Suite struct ResidentLogoMigrationTests {
    @Test func aV6DirectoryGainsLogosAndLosesNothing() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/kiosk.sqlite3")
            try StoreSchema.migrator.migrate(db, upTo: 6)
            let hash = String(repeating: "cd", count: 32)
            try db.executeScript(
                """
                INSERT INTO residents (id, name, kind, sector, location, membership, summary, website, updated_at)
                    VALUES ('distorsion', 'Distorsion', 'association', 'Arts numériques', 'Bât. A', 'installed', 'Festival', 'https://d.example', 1740000000);
                INSERT INTO residents (id, name, kind, membership, updated_at) VALUES ('labora', 'Labora', 'entreprise', 'associated', 1740000000);
                INSERT INTO sources (id, kind, url, event_count) VALUES ('agenda', 'ics', 'https://example.org/a.ics', 1);
                INSERT INTO events (source_id, uid, recurrence_id, start_utc, end_utc, is_recurring, payload, image_url)
                    VALUES ('agenda', 'b', NULL, 1740000000, 1740003600, 0,
                            '{"accessibility":[],"audience":"","categories":[],"end":{"instant":{"_0":1740003600}},"imageURL":"https://cdn.example.org/b.jpg","room":"","start":{"instant":{"_0":1740000000}},"status":"confirmed","summary":"","title":"Concert","uid":"b"}',
                            'https://cdn.example.org/b.jpg');
                INSERT INTO event_pictures (url, picture, checked) VALUES ('https://cdn.example.org/b.jpg', '\(hash)', 1740000000);
                """)
            #expect(try StoreSchema.migrator.migrate(db) == .init(fromVersion: 6, toVersion: StoreSchema.latestVersion))
            let residents = ResidentRepository(database: db)
            let all = try residents.all()
            #expect(all.map(\.id) == ["distorsion", "labora"])
            #expect(all.allSatisfy { $0.logo == nil })
            #expect(all[0].summary == "Festival" && all[0].website == "https://d.example" && all[1].membership == .associated)
            #expect(try residents.logoPictures().isEmpty && residents.logoURLs().isEmpty)
            // The event's picture is still named, so a collection keeps its record.
            #expect(try EventPictureRepository(database: db).removeUnreferenced() == 0)
            #expect(try EventPictureRepository(database: db).pictureHashes() == [hash])
            // And a logo can be given now.
            try residents.upsert(Resident(id: "labora", name: "Labora", membership: .associated, logo: .url("https://l.example/logo.png")), at: Date(timeIntervalSince1970: 1740000100))
            #expect(try residents.get(id: "labora")?.logo == .url("https://l.example/logo.png"))
        }
    }
}
