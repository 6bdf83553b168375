import Foundation
import Testing

@testable import KioskCore

@Suite struct CheckInDecisionTests {
    static let camille = Person(id: 1, firstName: "Camille", lastName: "Martin", role: .resident, residentID: "atelier-diptyc")
    static let lea = Person(id: 2, firstName: "Léa", role: .visitor)
    static let at = CheckInVenue.time("2025-03-04 15:00")
    static let workshop = CheckInVenue.occurrence("atelier", "Atelier sérigraphie", "2025-03-04 14:00", "2025-03-04 16:00", room: "Fablab")

    func decide(_ person: Person?, _ presence: PresenceState, _ configure: (inout CheckInSettings) -> Void = { _ in }, occurrences: [Occurrence] = [])
        -> CheckInDecision
    {
        var settings = CheckInSettings()
        configure(&settings)
        return CheckInDecision(
            tag: "62E3086CED", person: person, presence: presence, settings: settings, at: Self.at,
            runningOccurrences: occurrences, timeZone: CheckInVenue.zone)
    }

    @Test func theDecisionTable() {
        let inSince = PresenceState.present(since: CheckInVenue.time("2025-03-04 09:00"), eventUID: nil)
        #expect(decide(nil, .absent) == .unknownBadge(tag: "62E3086CED"))
        #expect(decide(nil, inSince) == .unknownBadge(tag: "62E3086CED"))
        #expect(decide(Self.camille, .absent) == .checkIn(person: Self.camille, occurrence: nil))
        #expect(decide(Self.lea, .absent) == .visitorPass(person: Self.lea, occurrence: nil))
        #expect(decide(Self.camille, inSince) == .checkOut(person: Self.camille))
        #expect(decide(Self.lea, inSince) == .checkOut(person: Self.lea))
        #expect(decide(Self.camille, inSince, { $0.secondScanChecksOut = false }) == .stayIn(person: Self.camille, occurrence: nil))
        #expect(
            decide(Self.camille, inSince, { $0.secondScanChecksOut = false }, occurrences: [Self.workshop])
                == .stayIn(person: Self.camille, occurrence: Self.workshop))
    }

    @Test func entriesCarryTheRunningEventUnlessDisabled() {
        let decision = decide(Self.lea, .absent, occurrences: [Self.workshop])
        #expect(decision == .visitorPass(person: Self.lea, occurrence: Self.workshop))
        #expect(decision.direction == .in && decision.occurrence == Self.workshop && decision.person == Self.lea)
        #expect(decide(Self.lea, .absent, { $0.attendanceToRunningEvent = false }, occurrences: [Self.workshop]).occurrence == nil)
        let out = decide(Self.camille, .present(since: Self.at, eventUID: "atelier"), occurrences: [Self.workshop])
        #expect(out.direction == .out && out.occurrence == nil)
        #expect(decide(nil, .absent).direction == nil && decide(nil, .absent).person == nil)
    }

    @Test func theEventCountedIsTheOneInProgressThatStartedLast() {
        let expo = Occurrence(
            uid: "expo", title: "Exposition", start: .date(CivilDate(year: 2025, month: 3, day: 4)),
            end: .date(CivilDate(year: 2025, month: 3, day: 5)))
        let conference = CheckInVenue.occurrence("conf", "Conférence", "2025-03-04 13:00", "2025-03-04 18:00")
        let cancelled = CheckInVenue.occurrence("annule", "Annulé", "2025-03-04 14:30", "2025-03-04 15:30", status: .cancelled)
        let postponed = CheckInVenue.occurrence("reporte", "Reporté", "2025-03-04 14:45", "2025-03-04 15:30", status: .postponed)
        let later = CheckInVenue.occurrence("plus-tard", "Concert", "2025-03-04 20:00", "2025-03-04 22:00")
        let ended = CheckInVenue.occurrence("fini", "Matinée", "2025-03-04 10:00", "2025-03-04 15:00")
        let all = [expo, conference, cancelled, postponed, later, ended, Self.workshop]
        func counted(at time: String, among list: [Occurrence] = all) -> String? {
            Occurrence.countedForAttendance(at: CheckInVenue.time(time), among: list, timeZone: CheckInVenue.zone)?.uid
        }
        #expect(counted(at: "2025-03-04 15:00") == "atelier", "started 14:00, after the conference and the exhibition")
        #expect(counted(at: "2025-03-04 15:00", among: all.reversed()) == "atelier", "independent of order")
        #expect(counted(at: "2025-03-04 14:59") == "atelier")
        #expect(counted(at: "2025-03-04 16:00") == "conf", "end is exclusive")
        #expect(counted(at: "2025-03-04 13:30") == "conf")
        #expect(counted(at: "2025-03-04 09:00") == "expo", "all-day: from midnight in the venue's zone")
        #expect(counted(at: "2025-03-04 00:00") == "expo")
        #expect(counted(at: "2025-03-03 23:59") == nil)
        #expect(counted(at: "2025-03-04 15:00", among: [cancelled, postponed]) == nil)
        #expect(!cancelled.isInProgress(at: CheckInVenue.time("2025-03-04 15:00"), timeZone: CheckInVenue.zone))
        // Equal starts: the one ending first, then the smaller uid.
        let short = CheckInVenue.occurrence("z-short", "Court", "2025-03-04 14:00", "2025-03-04 15:30")
        let twin = CheckInVenue.occurrence("a-twin", "Jumeau", "2025-03-04 14:00", "2025-03-04 15:30")
        #expect(counted(at: "2025-03-04 15:00", among: [Self.workshop, short]) == "z-short")
        #expect(counted(at: "2025-03-04 15:00", among: [short, twin]) == "a-twin")
        #expect(counted(at: "2025-03-04 15:00", among: [twin, short]) == "a-twin")
    }
}
