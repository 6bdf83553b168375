import Foundation
import Testing
import KioskCore
import KioskStore
import KioskSystem
@testable import KioskDaemon

/// The findings of the raw-socket review of issue #14, each as a test through a real
/// server: two Authorization headers, a UID with control characters, the open-data feeds
/// (CORS, organizer and address, no invented end, no control characters).
@Suite struct APIFindingsSocketTests {
    typealias Bed = APITestBed
    let sockets = APISocketTests()

    @Test func twoAuthorizationHeadersAre400WhateverTheirOrder() async throws {
        let bed = try await Bed()
        try await sockets.withServer(bed) { port in
            let wrong = "Authorization: Bearer kiosk_" + String(repeating: "00", count: 32)
            let right = "Authorization: Bearer \(Bed.staffToken)"
            for pair in [[right, wrong], [wrong, right], [right, right]] {
                let response = try await sockets.call(port, "GET", "/api/v1/notices", extra: pair)
                #expect(response.status == 400, "\(pair)")
                #expect(response.errorReason?.contains("more than one Authorization") == true)
            }
            // Also on the staff pages and the public endpoints: the request is refused as a whole.
            #expect(try await sockets.call(port, "GET", "/healthz", extra: [right, wrong]).status == 400)
            #expect(try await sockets.call(port, "GET", "/api/v1/notices", token: Bed.staffToken).status == 200)
        }
    }

    @Test func aUIDWithControlCharactersIsRefusedAndNothingChanges() async throws {
        let bed = try await Bed()
        let before = try bed.programmeState()
        try await sockets.withServer(bed) { port in
            let json = #"{"events": [{"uid": "evil\r\nX-INJECT:1", "title": "Atelier", "start": "2026-11-25T18:00"}]}"#
            let response = try await sockets.call(port, "PUT", "/api/v1/programme/evil", token: Bed.staffToken, body: json, contentType: "application/json")
            #expect(response.status == 422)
            let report = sockets.json(response)
            let errors = report["errors"] as? [[String: Any]] ?? []
            #expect(errors.contains { ($0["message"] as? String)?.contains("control characters") == true }, "\(report)")
            #expect(report["applied"] as? Bool == false)
            // In an iCalendar file, an escape character in the UID.
            let calendar = ProgrammeSamples.calendar([("bad\u{1B}[2J@test", "Atelier", "20261125T170000Z", "20261125T180000Z")])
            let ics = try await sockets.call(port, "PUT", "/api/v1/programme/evil", token: Bed.staffToken, body: calendar, contentType: "text/calendar")
            #expect(ics.status == 422)
        }
        #expect(try bed.programmeState() == before)
    }

    @Test func openDataFeedsAreReadableFromAnyOriginWithTheVenueAsOrganizer() async throws {
        let bed = try await Bed { config in
            config.venue.address = .init(street: "3 rue Javelin-Pagnon", postalCode: "42000", city: "Saint-Étienne", country: "FR")
        }
        let json = #"{"events": [{"uid": "rencontre", "title": "Rencontre\u0007 pro\u001B[31m", "start": "2026-11-25T18:00", "room": "Salle\u0000 1"}]}"#
        #expect(await bed.send(.put, "/api/v1/programme/pro", token: Bed.staffToken, text: json, contentType: "application/json").status == .ok)
        try await sockets.withServer(bed) { port in
            for path in ["/feeds/programme.ics", "/feeds/programme.json"] {
                let response = try await sockets.call(port, "GET", path, extra: ["Origin: https://partenaire.example"])
                #expect(response.status == 200)
                #expect(response.header("Access-Control-Allow-Origin") == "*", "\(path)")
                let conditional = try await sockets.call(port, "GET", path, extra: ["If-None-Match: \(response.header("ETag") ?? "")"])
                #expect(conditional.status == 304)
                #expect(conditional.header("Access-Control-Allow-Origin") == "*", "\(path) 304")
            }
            let feed = try await sockets.call(port, "GET", "/feeds/programme.json")
            let text = feed.bodyText
            #expect(!text.contains("\\u00"), "no escaped control character in \(text)")
            let root = try #require(try JSONSerialization.jsonObject(with: Data(feed.body)) as? [String: Any])
            let event = try #require((root["@graph"] as? [[String: Any]])?.first { $0["identifier"] as? String == "rencontre" })
            #expect(event["name"] as? String == "Rencontre pro[31m")
            #expect(event["endDate"] == nil, "the file gave no end")
            let organizer = try #require(event["organizer"] as? [String: Any])
            #expect(organizer["name"] as? String == "Le Mixeur")
            let address = try #require(organizer["address"] as? [String: Any])
            #expect(address["addressLocality"] as? String == "Saint-Étienne" && address["postalCode"] as? String == "42000")
            let location = try #require(event["location"] as? [String: Any])
            #expect(location["name"] as? String == "Salle 1")
            #expect(((location["containedInPlace"] as? [String: Any])?["address"] as? [String: Any])?["streetAddress"] as? String == "3 rue Javelin-Pagnon")
        }
    }
}
