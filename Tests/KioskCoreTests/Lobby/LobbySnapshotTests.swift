import Foundation
import Testing
@testable import KioskCore

@Suite struct LobbySnapshotTests {
    let paris = IANATimeZone(identifier: "Europe/Paris")!

    func at(_ iso: String) -> Date { ISO8601.parse(iso)! }

    func timed(_ uid: String, _ title: String, _ start: String, _ end: String, status: EventStatus = .confirmed, room: String = "") -> Occurrence {
        Occurrence(uid: uid, title: title, room: room, status: status, start: .instant(at(start)), end: .instant(at(end)))
    }

    func allDay(_ uid: String, _ title: String, _ start: String, _ end: String) -> Occurrence {
        Occurrence(uid: uid, title: title, start: .date(CivilDate(iso: start)!), end: .date(CivilDate(iso: end)!))
    }

    func snapshot(at instant: String, _ occurrences: [Occurrence], lastFetch: Date? = nil) -> LobbySnapshot {
        var config = KioskConfig()
        config.venue.name = "Le Mixeur"
        let inputs = LobbySnapshot.Inputs(occurrences: occurrences, residents: [], notices: [], freshness: ProgrammeFreshness(lastSuccess: lastFetch, hasPulledSources: lastFetch != nil), clockFloor: at("2000-01-01T00:00:00Z"))
        return LobbySnapshot.make(at: at(instant), inputs: inputs, config: config)
    }

    let lateShow = [
        // 23:00 - 00:30 Paris time, 24-25 November 2026 (UTC+1).
        Occurrence(uid: "late", title: "Nuit du court", status: .confirmed, start: .instant(ISO8601.parse("2026-11-24T22:00:00Z")!), end: .instant(ISO8601.parse("2026-11-24T23:30:00Z")!)),
        Occurrence(uid: "morning", title: "Café des résidents", status: .confirmed, start: .instant(ISO8601.parse("2026-11-25T09:00:00Z")!), end: .instant(ISO8601.parse("2026-11-25T09:30:00Z")!)),
    ]

    @Test func justBeforeMidnight() throws {
        let s = snapshot(at: "2026-11-24T22:59:30Z", lateShow)
        #expect(s.dateLine == "mardi 24 novembre")
        #expect(s.clockLine == "23:59")
        try #require(s.happeningNow.map(\.uid) == ["late"])
        #expect(s.happeningNow[0].when == "23:00 →")
        #expect(s.laterToday.isEmpty)
        #expect(s.upcoming.first?.heading == "Demain · mercredi 25 novembre")
        #expect(s.upcoming.first?.events.map(\.uid) == ["morning"])
    }

    @Test func justAfterMidnight() throws {
        let s = snapshot(at: "2026-11-24T23:00:30Z", lateShow)
        #expect(s.dateLine == "mercredi 25 novembre")
        #expect(s.clockLine == "00:00")
        try #require(s.happeningNow.map(\.uid) == ["late"])
        #expect(s.happeningNow[0].when == "jusqu'à 00:30")
        try #require(s.laterToday.map(\.uid) == ["morning"])
        #expect(s.laterToday[0].when == "10:00 – 10:30")
        #expect(!s.upcoming.contains { $0.events.contains { $0.uid == "morning" } })
    }

    @Test func springForwardSunday() throws {
        // 29 March 2026: clocks jump from 02:00 to 03:00 in Paris.
        let events = [
            timed("w", "Atelier", "2026-03-29T08:00:00Z", "2026-03-29T10:00:00Z"),
            allDay("expo", "Exposition", "2026-03-29", "2026-03-30"),
            timed("x", "Concert", "2026-03-29T17:00:00Z", "2026-03-29T19:00:00Z", status: .cancelled),
        ]
        let s = snapshot(at: "2026-03-29T07:00:00Z", events)
        #expect(s.dateLine == "dimanche 29 mars")
        #expect(s.clockLine == "09:00")
        try #require(s.happeningNow.map(\.uid) == ["expo"])
        #expect(s.happeningNow[0].when == "Toute la journée")
        try #require(s.laterToday.map(\.uid) == ["w", "x"])
        #expect(s.laterToday[0].when == "10:00 – 12:00")
        #expect(s.laterToday[1].statusLabel == "Annulé")
        #expect(s.laterToday[1].when == "19:00 – 21:00")
    }

    @Test func fallBackSunday() throws {
        // 25 October 2026: 03:00 CEST becomes 02:00 CET; 01:30Z is the second 02:30.
        let events = [
            allDay("expo", "Exposition", "2026-10-25", "2026-10-26"),
            allDay("prev", "Veille", "2026-10-24", "2026-10-25"),
            timed("w", "Atelier", "2026-10-25T09:00:00Z", "2026-10-25T11:00:00Z"),
        ]
        let s = snapshot(at: "2026-10-25T01:30:00Z", events)
        #expect(s.dateLine == "dimanche 25 octobre")
        #expect(s.clockLine == "02:30")
        #expect(s.happeningNow.map(\.uid) == ["expo"])
        try #require(s.laterToday.map(\.uid) == ["w"])
        #expect(s.laterToday[0].when == "10:00 – 12:00")
    }

    @Test func cancelledEventsAreMarkedNotHidden() {
        let events = [timed("c", "Concert", "2026-11-26T19:00:00Z", "2026-11-26T21:00:00Z", status: .cancelled)]
        let s = snapshot(at: "2026-11-24T10:00:00Z", events)
        let line = s.upcoming.flatMap(\.events).first
        #expect(line?.uid == "c")
        #expect(line?.statusLabel == "Annulé")
    }

    @Test func untrustedClockSaysNothingAboutToday() {
        let events = [timed("w", "Atelier", "2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z")]
        let s = snapshot(at: "1970-01-01T00:00:10Z", events)
        #expect(!s.clockTrusted)
        #expect(s.dateLine.isEmpty && s.clockLine.isEmpty)
        #expect(s.happeningNow.isEmpty && s.laterToday.isEmpty)
        #expect(s.upcoming.first?.heading == "Mardi 1er décembre")
        // A clock behind the last successful fetch is not trusted either.
        let behind = snapshot(at: "2026-11-24T10:00:00Z", events, lastFetch: at("2026-11-30T10:00:00Z"))
        #expect(!behind.clockTrusted)
    }

    @Test func freshnessLines() {
        var config = KioskConfig()
        config.feedSettings.offlineAfter = 3600
        let last = at("2026-11-24T13:05:00Z")
        func line(_ instant: String, failing: Bool) -> (String?, Bool) {
            let inputs = LobbySnapshot.Inputs(occurrences: [], residents: [], notices: [], freshness: ProgrammeFreshness(lastSuccess: last, allFailing: failing, hasPulledSources: true))
            let s = LobbySnapshot.make(at: at(instant), inputs: inputs, config: config)
            return (s.freshness, s.isOffline)
        }
        #expect(line("2026-11-24T14:00:00Z", failing: false) == ("Programme mis à jour à 14:05", false))
        #expect(line("2026-11-24T14:00:00Z", failing: true) == ("Programme mis à jour à 14:05", false))
        #expect(line("2026-11-24T16:10:00Z", failing: true) == ("Hors ligne depuis 3 h", true))
    }

    @Test func noticesLiveOrderedWithCountdown() throws {
        let posted = at("2026-11-20T08:00:00Z")
        let notices = [
            Notice(id: "a", kind: .call, title: "Appel", deadline: CivilDate(year: 2026, month: 11, day: 27), posted: posted, expires: at("2026-11-28T00:00:00Z")),
            Notice(id: "b", kind: .information, title: "Annulé", posted: posted, expires: at("2026-11-30T00:00:00Z"), urgent: true),
            Notice(id: "old", kind: .offer, title: "Vieux", terms: .gift, posted: posted, expires: at("2026-11-23T00:00:00Z")),
        ]
        let inputs = LobbySnapshot.Inputs(occurrences: [], residents: [], notices: notices, freshness: ProgrammeFreshness())
        let s = LobbySnapshot.make(at: at("2026-11-24T10:00:00Z"), inputs: inputs, config: KioskConfig())
        try #require(s.notices.map(\.id) == ["b", "a"])
        #expect(s.notices[1].detail.hasPrefix("Clôture dans 3 jours (27 nov.)"))
    }

    @Test func englishStrings() {
        var config = KioskConfig()
        config.venue.language = .en
        let s = LobbySnapshot.make(at: at("2026-11-24T10:00:00Z"), inputs: .init(occurrences: [], residents: [], notices: [], freshness: .init()), config: config)
        #expect(s.dateLine == "Tuesday 24 November")
        #expect(s.strings.today == "Today")
    }
}
