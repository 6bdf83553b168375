import Foundation
import KioskCore
import Testing

@testable import KioskStore

@Suite struct ProgrammeRepositoryTests {
    /// A weekly workshop with an extra date and an excluded one, an override of one
    /// instance (moved and renamed), and an all-day exhibition.
    static let series = ProgrammeEvent(
        uid: "atelier-stop-motion@polepixel.fr", title: "Atelier stop motion", summary: "Pour les 8-12 ans.",
        room: "Fablab", categories: ["Atelier", "Jeune public"], audience: "Jeune public", status: .confirmed,
        start: .instant(utc("2025-03-04T13:00:00Z")), end: .instant(utc("2025-03-04T15:00:00Z")),
        timeZone: "Europe/Paris",
        recurrence: Recurrence(
            rules: ["FREQ=WEEKLY;BYDAY=TU;COUNT=10"], dates: [.instant(utc("2025-03-08T09:00:00Z"))],
            exceptions: [.instant(utc("2025-04-01T12:00:00Z"))]),
        url: "https://polepixel.fr/agenda/stop-motion", accessibility: ["wheelchair"])
    static let override = ProgrammeEvent(
        uid: "atelier-stop-motion@polepixel.fr", recurrenceID: .instant(utc("2025-03-11T13:00:00Z")),
        title: "Atelier stop motion (salle Lumière)", room: "Salle Lumière", status: .tentative,
        start: .instant(utc("2025-03-11T14:00:00Z")), end: .instant(utc("2025-03-11T16:00:00Z")), timeZone: "Europe/Paris")
    static let exhibition = ProgrammeEvent(
        uid: "expo-lumiere", title: "Exposition « Lumière »", start: .date(CivilDate(year: 2025, month: 3, day: 1)),
        end: .date(CivilDate(year: 2025, month: 3, day: 16)))

    @Test func eventsRoundTripWithRecurrenceAndOverrides() throws {
        let store = try StateStore.inMemory(timeZone: paris)
        let events = [Self.series, Self.override, Self.exhibition]
        try store.programme.replaceEvents(
            ofSource: "agenda", kind: .ics, url: "https://example.org/a.ics", with: events, fetchedAt: utc("2025-03-01T08:00:00Z"),
            etag: "\"abc\"", lastModified: "Sat, 01 Mar 2025 07:59:00 GMT")

        let stored = try store.programme.allEvents()
        #expect(Set(stored.map(\.event)) == Set(events))
        #expect(stored.allSatisfy { $0.source == "agenda" })
        // Ordered by first start: the exhibition (1 March), the series (4 March), the override (11 March).
        #expect(stored.map(\.event.title) == [Self.exhibition.title, Self.series.title, Self.override.title])
        #expect(try store.programme.events(ofSource: "agenda") == stored.map(\.event))

        // Index columns: the all-day start is local midnight in Paris (UTC+1 in March).
        let row = try #require(try store.database.queryFirst(
            "SELECT start_utc, end_utc, is_recurring, recurrence_id FROM events WHERE uid = 'expo-lumiere'"))
        #expect(try row.get("start_utc", as: Date.self) == utc("2025-02-28T23:00:00Z"))
        #expect(try row.get("end_utc", as: Date.self) == utc("2025-03-15T23:00:00Z"))
        #expect(try row.get("is_recurring", as: Bool.self) == false)
        let overrideKey = try store.database.scalar(
            "SELECT recurrence_id FROM events WHERE recurrence_id IS NOT NULL", as: String.self)
        #expect(overrideKey == "2025-03-11T13:00:00Z")
        #expect(try store.database.scalar("SELECT json_extract(payload, '$.title') FROM events WHERE uid = 'expo-lumiere'", as: String.self)
            == "Exposition « Lumière »")

        let status = try #require(try store.programme.sourceStatus(id: "agenda"))
        #expect(status == SourceStatus(
            id: "agenda", kind: .ics, url: "https://example.org/a.ics", etag: "\"abc\"",
            lastModified: "Sat, 01 Mar 2025 07:59:00 GMT", lastAttempt: utc("2025-03-01T08:00:00Z"),
            lastSuccess: utc("2025-03-01T08:00:00Z"), lastError: nil, consecutiveFailures: 0, eventCount: 3, eventsRead: 3))
    }

    @Test func theReadReportIsStoredWithTheSourceAndThePictureWithTheEvent() throws {
        let store = try StateStore.inMemory(timeZone: paris)
        let start = utc("2025-03-14T18:00:00Z")
        var event = ProgrammeEvent(uid: "a", title: "A", start: .instant(start), end: .instant(start + 3600))
        event.imageURL = "https://cdn.example.org/a.jpg"
        let warnings = (1...30).map { (line: Int) in SourceWarning(line: line, message: "event x\(line): DTEND ignored") }
        try store.programme.replaceEvents(
            ofSource: "agenda", kind: .ics, with: [event], fetchedAt: start,
            report: SourceReadReport(eventsRead: 4, warningCount: 31, warnings: warnings))
        let status = try #require(try store.programme.sourceStatus(id: "agenda"))
        #expect(status.eventsRead == 4 && status.eventCount == 1 && status.warningCount == 31)
        #expect(status.warnings == Array(warnings.prefix(SourceReadReport.maxStoredWarnings)))
        #expect(try store.database.scalar("SELECT image_url FROM events WHERE uid = 'a'", as: String.self) == "https://cdn.example.org/a.jpg")
        #expect(try store.programme.events(ofSource: "agenda").first?.imageURL == "https://cdn.example.org/a.jpg")
        // A failure keeps the last read's report; a 304 too.
        try store.programme.recordFailure(source: "agenda", at: start + 60, error: "HTTP 500")
        try store.programme.recordNotModified(source: "agenda", at: start + 120)
        #expect(try store.programme.sourceStatus(id: "agenda")?.warningCount == 31)
        // The next read replaces it.
        try store.programme.replaceEvents(ofSource: "agenda", kind: .ics, with: [event], fetchedAt: start + 180)
        let clean = try #require(try store.programme.sourceStatus(id: "agenda"))
        #expect(clean.warningCount == 0 && clean.warnings.isEmpty && clean.eventsRead == 1)
    }

    @Test func aFailedReplaceKeepsTheOldCopyAndItsValidators() throws {
        let store = try StateStore.inMemory(timeZone: paris)
        try store.programme.replaceEvents(
            ofSource: "agenda", kind: .ics, with: [Self.series, Self.exhibition], fetchedAt: utc("2025-03-01T08:00:00Z"),
            etag: "\"old\"")
        let duplicate = ProgrammeEvent(
            uid: "expo-lumiere", title: "Doublon", start: .date(CivilDate(year: 2025, month: 4, day: 1)),
            end: .date(CivilDate(year: 2025, month: 4, day: 2)))
        let fresh = ProgrammeEvent(
            uid: "new", title: "Nouveau", start: .instant(utc("2025-04-01T10:00:00Z")), end: .instant(utc("2025-04-01T11:00:00Z")))
        // The third insert violates the identity index, after two rows were written.
        do {
            try store.programme.replaceEvents(
                ofSource: "agenda", kind: .ics, with: [fresh, Self.exhibition, duplicate], fetchedAt: utc("2025-03-02T08:00:00Z"),
                etag: "\"new\"")
            Issue.record("duplicate uid accepted")
        } catch let error as DatabaseError {
            #expect(error.code == .constraintUnique)
            #expect(error.sql?.contains("INSERT INTO events") == true)
            #expect(error.arguments.contains("expo-lumiere"))
        }
        #expect(Set(try store.programme.allEvents().map(\.event)) == [Self.series, Self.exhibition])
        let status = try #require(try store.programme.sourceStatus(id: "agenda"))
        #expect(status.etag == "\"old\"")
        #expect(status.eventCount == 2)
        #expect(status.lastSuccess == utc("2025-03-01T08:00:00Z"))
    }

    @Test func replacingOneSourceLeavesTheOthers() throws {
        let store = try StateStore.inMemory(timeZone: paris)
        try store.programme.replaceEvents(ofSource: "agenda", kind: .ics, with: [Self.series], fetchedAt: utc("2025-03-01T08:00:00Z"))
        try store.programme.replaceEvents(ofSource: "push:accueil", kind: .push, with: [Self.exhibition], fetchedAt: utc("2025-03-01T09:00:00Z"))
        try store.programme.replaceEvents(ofSource: "agenda", kind: .ics, with: [], fetchedAt: utc("2025-03-01T10:00:00Z"))
        #expect(try store.programme.allEvents() == [StoredEvent(source: "push:accueil", event: Self.exhibition)])
        #expect(try store.programme.lastSuccessfulFetch() == utc("2025-03-01T10:00:00Z"))
        // Deleting a source cascades to its events.
        #expect(try store.programme.deleteSource(id: "push:accueil"))
        #expect(try store.programme.allEvents().isEmpty)
        #expect(try store.database.scalar("SELECT count(*) FROM events", as: Int.self) == 0)
    }

    /// One list of formats: every `FeedFormat` is a source kind under its own name, `push`
    /// the only other; the names stored and sent in the API's JSON are those of before.
    @Test func sourceKindsAreTheFeedFormatsAndPush() throws {
        #expect(SourceKind.allCases.map(\.rawValue) == FeedFormat.allCases.map(\.rawValue) + ["push"])
        #expect(SourceKind.allCases.map(\.rawValue) == ["ics", "openagenda", "json", "push"], "the names in databases and API answers")
        for format in FeedFormat.allCases {
            #expect(SourceKind(format).format == format)
            #expect(SourceKind(rawValue: format.rawValue) == SourceKind(format))
        }
        #expect(SourceKind.push.format == nil)
        #expect(SourceKind(rawValue: "push") == .push)
        #expect(SourceKind(rawValue: "ical") == nil && SourceKind(rawValue: "") == nil && SourceKind(rawValue: "ICS") == nil)
        #expect(String(decoding: try JSONEncoder().encode([SourceKind.openagenda, .push]), as: UTF8.self) == #"["openagenda","push"]"#)
        #expect(try JSONDecoder().decode([SourceKind].self, from: Data(#"["json","ics"]"#.utf8)) == [.json, .ics])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SourceKind.self, from: Data(#""rss""#.utf8)) }

        // Stored under those names, read back from them.
        let store = try StateStore.inMemory(timeZone: paris)
        for (i, kind) in SourceKind.allCases.enumerated() { try store.programme.upsertSource(id: "s\(i)", kind: kind, url: nil) }
        #expect(try store.programme.sourceStatuses().map(\.kind) == SourceKind.allCases)
        let stored = try store.database.query("SELECT kind FROM sources ORDER BY id").map { try $0.get(0, as: String.self) }
        #expect(stored == ["ics", "openagenda", "json", "push"])
    }

    @Test func fetchBookkeeping() throws {
        let store = try StateStore.inMemory(timeZone: paris)
        let programme = store.programme
        #expect(try programme.lastSuccessfulFetch() == nil)
        #expect(throws: RecordError.self) { try programme.recordFailure(source: "ghost", at: utc("2025-03-01T08:00:00Z"), error: "x") }

        try programme.upsertSource(id: "oa", kind: .openagenda, url: "https://api.openagenda.com/v2/agendas/1/events")
        try programme.recordFailure(source: "oa", at: utc("2025-03-01T08:00:00Z"), error: "HTTP 503")
        try programme.recordFailure(source: "oa", at: utc("2025-03-01T08:15:00Z"), error: "timeout after 20 s")
        var status = try #require(try programme.sourceStatus(id: "oa"))
        #expect(status.consecutiveFailures == 2)
        #expect(status.lastError == "timeout after 20 s")
        #expect(status.lastAttempt == utc("2025-03-01T08:15:00Z"))
        #expect(status.lastSuccess == nil)
        #expect(try programme.lastSuccessfulFetch() == nil)

        try programme.recordSuccess(source: "oa", at: utc("2025-03-01T08:30:00Z"), etag: "W/\"1\"", lastModified: nil)
        try programme.recordNotModified(source: "oa", at: utc("2025-03-01T08:45:00Z"))
        status = try #require(try programme.sourceStatus(id: "oa"))
        #expect(status.consecutiveFailures == 0)
        #expect(status.lastError == nil)
        #expect(status.etag == "W/\"1\"")
        #expect(status.lastSuccess == utc("2025-03-01T08:45:00Z"))

        // First boot without network: the failure creates the source.
        try programme.recordFailure(source: "ics", kind: .ics, url: "https://example.org/a.ics", at: utc("2025-03-01T08:00:00Z"), error: "DNS")
        #expect(try programme.sourceStatus(id: "ics") == SourceStatus(
            id: "ics", kind: .ics, url: "https://example.org/a.ics", lastAttempt: utc("2025-03-01T08:00:00Z"),
            lastError: "DNS", consecutiveFailures: 1))

        // Re-declaring a source updates its URL and keeps its history.
        try programme.upsertSource(id: "oa", kind: .openagenda, url: "https://example.org/new")
        status = try #require(try programme.sourceStatus(id: "oa"))
        #expect(status.url == "https://example.org/new")
        #expect(status.etag == "W/\"1\"")
        #expect(try programme.sourceStatuses().map(\.id) == ["ics", "oa"])
    }

    @Test func anUndecodablePayloadNamesTheRow() throws {
        let store = try StateStore.inMemory(timeZone: paris)
        try store.programme.replaceEvents(ofSource: "agenda", kind: .ics, with: [Self.exhibition], fetchedAt: utc("2025-03-01T08:00:00Z"))
        try store.database.execute("UPDATE events SET payload = '{\"title\": 1}'")
        #expect { try store.programme.allEvents() } throws: { error in
            guard let error = error as? RecordError else { return false }
            return error.table == "events" && error.key == "agenda/expo-lumiere"
        }
    }
}
