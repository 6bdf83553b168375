import Foundation
import Testing
import KioskCore
import KioskFeeds
@testable import KioskDaemon

/// Every problem the programme readers report for these broken files is said in French by
/// the staff page (a parser whose wording changed shows up here), with its event.
@Suite struct ProgrammeIssueWordingTests {
    static let paris = IANATimeZone(identifier: "Europe/Paris")!

    static func ics(_ body: [String]) -> [UInt8] {
        Array((["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//FR"] + body + ["END:VCALENDAR", ""]).joined(separator: "\r\n").utf8)
    }

    static let files: [(String, [UInt8], String?)] = [
        ("bad date", ics(["BEGIN:VEVENT", "UID:a", "SUMMARY:Atelier", "DTSTART:20261399T100000", "END:VEVENT"]), "Atelier"),
        ("bad sequence", ics(["BEGIN:VEVENT", "UID:b", "SUMMARY:Expo", "DTSTART:20261201T100000Z", "SEQUENCE:first", "END:VEVENT"]), "Expo"),
        ("stray end", ics(["BEGIN:VEVENT", "UID:b2", "SUMMARY:Expo", "DTSTART:20261201T100000Z", "END:VEVENT", "END:VTODO"]), nil),
        ("bad duration", ics(["BEGIN:VEVENT", "UID:c", "SUMMARY:Concert", "DTSTART:20261201T100000Z", "DURATION:two hours", "END:VEVENT"]), "Concert"),
        ("never closed", Array("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:d\r\nSUMMARY:Coupé\r\n".utf8), "Coupé"),
        ("wrong end", ics(["BEGIN:VEVENT", "UID:e", "SUMMARY:Bal", "END:VTODO"]), nil),
        ("no colon", ics(["BEGIN:VEVENT", "UID:f", "SUMMARY:Jeux", "DTSTART 20261201", "END:VEVENT"]), "Jeux"),
        ("not a calendar", Array("BEGIN:VCARD\r\nEND:VCARD\r\n".utf8), nil),
        ("twice the same UID", ics(["BEGIN:VEVENT", "UID:g", "SUMMARY:Un", "DTSTART:20261201T100000Z", "END:VEVENT",
                                    "BEGIN:VEVENT", "UID:g", "SUMMARY:Deux", "DTSTART:20261202T100000Z", "END:VEVENT"]), "Deux"),
        ("empty", Array("   \r\n".utf8), nil),
        ("not a format", Array("hello".utf8), nil),
        ("JSON missing title", Array(#"{"events": [{"uid": "h", "start": "2026-12-01T10:00"}]}"#.utf8), "h"),
        ("JSON bad start", Array(#"{"events": [{"uid": "i", "title": "Conférence", "start": "1er décembre"}]}"#.utf8), "Conférence"),
        ("JSON end before start", Array(#"{"events": [{"uid": "j", "title": "Rencontre", "start": "2026-12-01T10:00", "end": "2026-12-01T09:00"}]}"#.utf8), "Rencontre"),
        ("JSON bad status", Array(#"{"events": [{"uid": "k", "title": "Ciné", "start": "2026-12-01", "status": "maybe"}]}"#.utf8), "Ciné"),
        ("JSON not JSON", Array(#"{"events": [}"#.utf8), nil),
        ("JSON control UID", Array(#"{"events": [{"uid": "l\r\nX", "title": "Piège", "start": "2026-12-01"}]}"#.utf8), "Piège"),
    ]

    @Test func everyProblemIsSaidInFrenchWithItsEvent() {
        let wording = ProgrammeIssueWording(language: .fr)
        for (name, file, event) in Self.files {
            let read = StaffDesk.readProgramme(file, mediaType: nil, options: FeedDecoder.Options(venueTimeZone: Self.paris))
            let issues = read.errors + read.warnings
            #expect(!issues.isEmpty, "\(name): no problem reported")
            for issue in issues {
                let (text, known) = wording.describe(issue.message)
                #expect(known, "\(name): no French for “\(issue.message)”")
                #expect(!text.isEmpty)
            }
            if let event { #expect(issues.contains { $0.event == event }, "\(name): \(issues)") }
        }
        // A refusal names its first broken event, and says that nothing changed.
        let refused = StaffDesk.readProgramme(Array(#"{"events": [{"uid": "h", "start": "2026-12-01T10:00"}]}"#.utf8), mediaType: nil,
                                              options: FeedDecoder.Options(venueTimeZone: Self.paris))
        #expect(refused.errors.map(\.event) == ["h"])
        #expect(refused.errors.map { wording.describe($0.message).text }
            == ["1 événement sur 1 est invalide : le fichier est refusé. Le premier : titre (title) manquant"])
        #expect(wording.describe("status 'maybe' is not one of confirmed, tentative, cancelled, postponed, full, rescheduled, moved-online; confirmed assumed").text
            == "statut (status) « maybe » inconnu (confirmed, tentative, cancelled, postponed, full, rescheduled, moved-online) (« confirmed » retenu)")
        #expect(wording.describe("dropped: no DTSTART").text == "événement ignoré : pas de date de début (DTSTART)")
        #expect(wording.place(.init(line: 15, event: "Atelier cassé", message: "")) == "Ligne 15 · « Atelier cassé »")
        #expect(ProgrammeIssueWording(language: .en).describe("DTSTART value 'x' is not a DATE or DATE-TIME").text == "DTSTART value 'x' is not a DATE or DATE-TIME")
    }

    /// A hand-written JSON programme's problems carry the line their event starts on (the
    /// JSON readers number events, an editor numbers lines); an API answer on one line
    /// (OpenAgenda's) gives none, since "line 1" for every event would say nothing.
    @Test func jsonProblemsSayTheLineTheirEventStartsOn() {
        let handWritten = """
            {
              "events": [
                {"uid": "a", "title": "Atelier", "start": "2026-12-01T10:00"},
                {
                  "uid": "b",
                  "title": "Concert",
                  "start": "2026-12-02T20:00",
                  "status": "maybe"
                },
                {"uid": "c", "title": "Bal", "start": "2026-12-03T20:00", "end": "hier"}
              ]
            }
            """
        let read = StaffDesk.readProgramme(Array(handWritten.utf8), mediaType: "application/json", options: FeedDecoder.Options(venueTimeZone: Self.paris))
        #expect(read.errors.isEmpty && read.events.count == 3)
        #expect(read.warnings.map(\.line) == [4, 10], "\(read.warnings)")
        #expect(read.warnings.map(\.event) == ["Concert", "Bal"])
        #expect(ProgrammeIssueWording(language: .fr).place(read.warnings[0]) == "Ligne 4 · « Concert »")

        // A refusal names its first broken event's line too, and is still said in French.
        let broken = "[\n  {\"uid\": \"a\", \"start\": \"2026-12-01\"},\n  {\"uid\": \"b\", \"title\": \"Bal\"}\n]\n"
        let refused = StaffDesk.readProgramme(Array(broken.utf8), mediaType: "application/json", options: FeedDecoder.Options(venueTimeZone: Self.paris))
        #expect(refused.errors.map(\.event) == ["a"] && refused.errors.map(\.line) == [2], "\(refused.errors)")
        #expect(refused.errors.map { ProgrammeIssueWording(language: .fr).describe($0.message).text }
            == ["2 événements sur 2 sont invalides : le fichier est refusé. Le premier : titre (title) manquant"])

        let oneLine = #"{"events": [{"uid": "a", "title": "Atelier", "start": "2026-12-01T10:00"}, {"uid": "b", "title": "Concert", "start": "2026-12-02T20:00", "status": "maybe"}]}"#
        let flat = StaffDesk.readProgramme(Array(oneLine.utf8), mediaType: "application/json", options: FeedDecoder.Options(venueTimeZone: Self.paris))
        #expect(flat.warnings.map(\.line) == [nil] && flat.warnings.map(\.event) == ["Concert"])
    }
}
