import Foundation
import Testing
import KioskCore
import KioskStore
@testable import KioskDaemon

/// `/api/v1/alert`: raised, shown, withdrawn, checked, audited, stored; in `/healthz` and
/// the open-data feed's status; and kioskctl's `alert` command through a real socket.
@Suite(.serialized) struct APIAlertTests {
    typealias Bed = APITestBed

    @Test func raiseShowWithdraw() async throws {
        let bed = try await Bed { $0.venue.assemblyPoint = "Parking nord" }
        #expect(await bed.send(.get, "/api/v1/alert", token: Bed.staffToken).status == .notFound)
        #expect(await bed.send(.post, "/api/v1/alert", text: #"{"level":"closure","title":"x"}"#, contentType: "application/json").status == .unauthorized)
        let expires = ISO8601.format(Bed.start.addingTimeInterval(3600))
        let raised = await bed.send(.post, "/api/v1/alert", token: Bed.staffToken,
            text: #"{"level":"closure","title":"Fermeture\u001b[2J exceptionnelle","text":"Réouverture demain 9 h","expires":"\#(expires)"}"#,
            contentType: "application/json")
        #expect(raised.status == .created)
        let body = try APIContract.decoder(strict: true).decode(AlertBody.self, from: Data(raised.body))
        // The escape sequence is removed whole.
        #expect(body.level == "closure" && body.title == "Fermeture exceptionnelle" && body.raisedBy == "accueil")
        #expect(body.expires == ISO8601.parse(expires) && body.raised == Bed.start)
        #expect(try bed.inspect { try $0.audit.entries() }.first?.action == "alert.raise")
        // In /healthz and in the open-data feed's status.
        let health = try APIContract.decoder(strict: true).decode(HealthBody.self, from: Data(await bed.send(.get, "/healthz").body))
        #expect(health.alert?.id == body.id)
        let feed = await bed.send(.get, "/feeds/programme.json")
        let graph = try #require((try JSONSerialization.jsonObject(with: Data(feed.body)) as? [String: Any])?["@graph"] as? [[String: Any]])
        #expect(graph.first?["@type"] as? String == "SpecialAnnouncement")
        #expect(graph.first?["category"] as? String == "closure")
        // Shown, replaced by a new one, withdrawn.
        #expect(await bed.send(.get, "/api/v1/alert", token: Bed.staffToken).json["id"] as? String == body.id)
        let second = await bed.send(.post, "/api/v1/alert", token: Bed.maintainerToken, text: #"{"level":"evacuation","title":"Évacuation"}"#, contentType: "application/json")
        #expect(second.status == .created)
        #expect(try bed.inspect { try $0.alerts.latest() }?.level == .evacuation)
        #expect(bed.display.lastModel?.runs.contains { $0.text == "Point de rassemblement : Parking nord" } == true)
        #expect(await bed.send(.delete, "/api/v1/alert", token: Bed.staffToken).status == .noContent)
        #expect(await bed.send(.delete, "/api/v1/alert", token: Bed.staffToken).status == .notFound)
        #expect(try APIContract.decoder().decode(HealthBody.self, from: Data(await bed.send(.get, "/healthz").body)).alert == nil)
        #expect(try bed.inspect { try $0.audit.entries() }.first?.action == "alert.withdraw")
    }

    @Test(arguments: [
        (#"{"level":"fire","title":"x"}"#, "level: 'fire' is not one of information, closure, evacuation"),
        (#"{"level":"closure","title":"   "}"#, "title: an alert needs a title"),
        (#"{"level":"closure"}"#, "title: missing"),
        (#"{"level":"closure","title":"x","colour":"red"}"#, "colour: unknown field"),
        (#"{"level":"closure","title":"x","expires":"2026-11-24T14:00:00Z"}"#, "expires: 2026-11-24T14:00:00Z is not in the future"),
        (#"{"level":"closure","title":"x","expires":"2026-12-24T14:00:00Z"}"#, "expires: at most 7 days ahead"),
        (#"{"level":"closure","title":"x","expires":"tomorrow"}"#, "expires: 'tomorrow' is not an RFC 3339 instant"),
        (#"{"level":"closure","title":1}"#, "title: expected a string"),
        (#"{"level":"closure","title":"x","minutes":0}"#, "minutes: from 1 to 10080"),
        (#"{"level":"closure","title":"x","minutes":30,"expires":"2026-11-24T18:00:00Z"}"#, "give minutes or expires, not both"),
    ])
    func refusedAlerts(body: String, reason: String) async throws {
        let bed = try await Bed()
        let response = await bed.send(.post, "/api/v1/alert", token: Bed.staffToken, text: body, contentType: "application/json")
        #expect(response.status == .unprocessableContent)
        #expect(response.errorReason?.hasPrefix(reason) == true, "\(response.errorReason ?? "")")
        #expect(try bed.inspect { try $0.alerts.latest() } == nil)
    }

    @Test func kioskctlRaisesShowsAndWithdrawsThroughTheAPI() async throws {
        try await KioskctlRemoteTests().withRemote { remote in
            let raised = await remote.run(["alert", "raise", "--level", "information", "--title", "Concert en salle 2", "--for", "2h"])
            #expect(raised.status == 0, "\(raised.err)")
            #expect(raised.out.contains("information: Concert en salle 2"))
            let request = try #require(remote.recorder.requests.last)
            #expect(request.method == "POST" && request.target == "/api/v1/alert" && request.contentType == "application/json")
            let sent = try APIContract.decoder(strict: true).decode(AlertRequest.self, from: Data(request.body))
            // The duration goes as minutes: the kiosk's clock decides when it ends.
            #expect(sent.level == "information" && sent.minutes == 120 && sent.expires == nil)
            #expect(try remote.bed.inspect { try $0.alerts.latest() }?.expires == Bed.start.addingTimeInterval(7200))
            let shown = await remote.run(["alert", "show"])
            #expect(shown.status == 0 && shown.out.contains("raised by accueil"))
            #expect(await remote.run(["alert", "withdraw"]).status == 0)
            let none = await remote.run(["alert", "show"])
            #expect(none.status == 1 && none.out.contains("no alert on screen"))
            let bad = await remote.run(["alert", "raise", "--level", "fire", "--title", "x"])
            #expect(bad.status == 2)
        }
    }
}
