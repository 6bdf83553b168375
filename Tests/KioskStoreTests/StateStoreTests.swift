import Foundation
import KioskCore
import Testing

@testable import KioskStore

@Suite struct StateStoreTests {
    @Test func createsTheDirectoryAndAPrivateFileAndPersists() throws {
        try withTemporaryDirectory { dir in
            let stateDirectory = dir + "/var/lib/kiosk"
            do {
                let store = try StateStore(stateDirectory: stateDirectory, timeZone: paris)
                #expect(store.migration == .init(fromVersion: 0, toVersion: StoreSchema.latestVersion))
                #expect(try store.database.journalMode == "wal")
                #expect(try store.database.synchronousMode == .full)
                try store.residents.upsert(Resident(name: "Labora"), at: utc("2025-03-01T08:00:00Z"))
                try store.audit.record(actor: "test", action: "residents.import", detail: "1 added", at: utc("2025-03-01T08:00:00Z"))
            }
            let path = stateDirectory + "/" + StateStore.fileName
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let directoryAttributes = try FileManager.default.attributesOfItem(atPath: stateDirectory)
            #expect((directoryAttributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)

            let reopened = try StateStore(stateDirectory: stateDirectory, timeZone: paris)
            #expect(reopened.migration.didMigrate == false)
            #expect(try reopened.residents.all().map(\.name) == ["Labora"])
            #expect(try reopened.audit.entries().map(\.action) == ["residents.import"])
            #expect(try reopened.database.integrityCheck() == [])
        }
    }

    @Test func aFileInPlaceOfTheDirectoryIsReported() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/state"
            try Data().write(to: URL(fileURLWithPath: path))
            #expect { try StateStore(stateDirectory: path, timeZone: paris) } throws: { error in
                (error as? StateDirectoryError)?.path == path
            }
        }
    }

    @Test func auditLogOrdersAndPurges() throws {
        let store = try StateStore.inMemory(timeZone: paris)
        try store.audit.record(actor: "kioskd", action: "notices.purge", at: utc("2025-01-01T00:00:00Z"))
        try store.audit.record(actor: "api:accueil", action: "notice.create", detail: "fermeture", at: utc("2025-03-01T08:00:00Z"))
        try store.audit.record(actor: "kioskctl:marie", action: "residents.import", at: utc("2025-03-02T08:00:00Z"))
        #expect(try store.audit.entries().map(\.action) == ["residents.import", "notice.create", "notices.purge"])
        #expect(try store.audit.entries(since: utc("2025-02-01T00:00:00Z")).count == 2)
        #expect(try store.audit.entries(limit: 1).first?.actor == "kioskctl:marie")
        #expect(try store.audit.purge(before: utc("2025-02-01T00:00:00Z")) == 1)
        #expect(try store.audit.entries().count == 2)
    }

    @Test func datesAreStoredInWholeSeconds() throws {
        let db = try Database(path: Database.inMemoryPath)
        #expect(utc("2025-03-01T08:00:00Z").addingTimeInterval(0.9).databaseValue == .integer(1_740_816_000))
        #expect(Date(timeIntervalSince1970: -0.5).databaseValue == .integer(-1))
        #expect(try db.scalar("SELECT datetime(?, 'unixepoch')", [utc("2025-03-01T08:00:00Z")], as: String.self) == "2025-03-01 08:00:00")
        #expect(CivilDate(year: 2025, month: 3, day: 1).databaseValue == .text("2025-03-01"))
    }
}
