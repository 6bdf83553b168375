import Foundation
import Testing
import KioskCore
import KioskDisplay
import KioskStore
@testable import KioskDaemon

/// The staff page's sections over the real desk: programme uploads (the result first, in
/// French, with the event and line; the file kept; a colleague's programme replaced only
/// after asking), the programmes pushed, the alert, the screen's picture, the evacuation
/// list and the funders' chart.
@Suite(.serialized) struct StaffSectionsTests {
    typealias Bed = APITestBed

    static func calendar(_ events: [(uid: String, title: String, start: String)]) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//FR"]
        for e in events {
            lines += ["BEGIN:VEVENT", "UID:\(e.uid)", "DTSTAMP:20261120T090000Z", "DTSTART;TZID=Europe/Paris:\(e.start)",
                      "DURATION:PT2H", "SUMMARY:\(e.title)", "END:VEVENT"]
        }
        return (lines + ["END:VCALENDAR"]).joined(separator: "\r\n") + "\r\n"
    }

    static let good = calendar([("jeux@test", "Soirée jeux de société", "20261124T190000"), ("quiz@test", "Blind test", "20261124T210000")])

    // MARK: Programme

    @Test func anUploadAnswersWithItsResultFirstAndTheNameFromTheFile() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/programme")
        let response = try await client.upload("/staff/programme", file: ("Soirée Jeux (v2).ics", Self.good))
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/staff/programme")
        #expect(try bed.inspect { try $0.programme.sourceStatus(id: "push:soiree-jeux-v2") }?.eventCount == 2)
        _ = try await client.get("/staff/programme")
        // The page's first heading is the result.
        #expect(client.firstHeading == "2 événements prêts, aucune erreur")
        #expect(client.lastPage.contains("Le programme « soiree-jeux-v2 » est à l&#39;écran."))
        #expect(client.lastPage.range(of: "id=\"result\"")!.lowerBound < client.lastPage.range(of: "<nav")!.lowerBound)
        // The programmes pushed: who, when, how many, and a withdraw button.
        #expect(client.lastPage.contains("<li id=\"push-soiree-jeux-v2\"><strong>soiree-jeux-v2</strong><span class=\"meta\">2 événements · envoyé par accueil aujourd&#39;hui à 15:05</span>"))
        #expect(StaffPages.sourceName(fromFileName: "Programme ÉTÉ 2027 — Fête.JSON") == "programme-ete-2027-fete")
        #expect(StaffPages.sourceName(fromFileName: "../../!!!.ics") == "programme")
        #expect(StaffPages.sourceName(fromFileName: String(repeating: "a", count: 60) + ".ics").count == 40)
    }

    /// Finding: the report of a refused upload was 4,000 px below, in English parser text.
    /// A broken event is skipped (the readers keep the others, #12): the good ones are on
    /// screen, the broken one listed as an error in French with its title and line, and
    /// the file kept to correct and send again.
    @Test func anUploadWithABrokenEventListsItInFrenchWithTheEventAndLineAndKeepsTheFile() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/programme")
        let bad = Self.good.replacingOccurrences(of: "DTSTART;TZID=Europe/Paris:20261124T210000", with: "DTSTART;TZID=Europe/Paris:20261324T210000")
        let response = try await client.upload("/staff/programme", file: ("soiree.ics", bad), fields: [("name", "soiree")])
        #expect(response.status == .seeOther)
        #expect(try bed.inspect { try $0.programme.allEvents().filter { $0.source == "push:soiree" }.map(\.event.uid) } == ["jeux@test"])
        _ = try await client.get("/staff/programme")
        #expect(client.firstHeading == "1 événement prêt, 1 erreur")
        let page = client.lastPage
        #expect(page.contains("class=\"result result-warning\""))
        #expect(page.contains("Le programme « soiree » est à l&#39;écran sans les événements en erreur\u{00A0}: corrigez-les puis renvoyez le fichier."))
        #expect(page.contains("<ol class=\"issues\" id=\"report-errors\">\n<li><span class=\"where\">Ligne 14 · « Blind test »</span> : <span>événement ignoré : date de début (DTSTART) : « 20261324T210000 » n&#39;est pas une date valide (AAAAMMJJ ou AAAAMMJJTHHMMSS)</span></li>"))
        // The file is kept: it can be fetched back to correct, or sent again.
        #expect(page.contains("Le fichier « soiree.ics » est gardé"))
        let kept = try await client.get("/staff/programme/kept")
        #expect(kept.body == Array(bad.utf8))
        #expect(kept.headers["Content-Disposition"] == "attachment; filename=\"soiree.ics\"")
        // The corrected file goes through and the kept one is forgotten.
        _ = try await client.get("/staff/programme")
        _ = try await client.upload("/staff/programme", file: ("soiree.ics", Self.good), fields: [("name", "soiree")])
        #expect(try bed.inspect { try $0.programme.sourceStatus(id: "push:soiree") }?.eventCount == 2)
        #expect(try await client.get("/staff/programme/kept").status == .notFound)
    }

    /// A file refused whole (more than half of its events broken) changes nothing; the
    /// page says so first, names the first broken event, keeps the file and the name.
    @Test func aRefusedUploadChangesNothingAndKeepsTheFile() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/programme")
        let bad = Self.good.replacingOccurrences(of: "DTSTART;TZID=Europe/Paris:20261124T210000", with: "DTSTART;TZID=Europe/Paris:20261324T210000")
            .replacingOccurrences(of: "DTSTART;TZID=Europe/Paris:20261124T190000", with: "DTSTART;TZID=Europe/Paris:24/11/2026")
        let before = try bed.programmeState()
        let response = try await client.upload("/staff/programme", file: ("soiree.ics", bad), fields: [("name", "soiree")])
        #expect(response.status == .unprocessableContent)
        #expect(try bed.programmeState() == before)
        #expect(client.firstHeading == "0 événement prêt, 1 erreur")
        let page = client.lastPage
        #expect(page.contains("class=\"result result-error\""))
        #expect(page.contains("Rien n&#39;a changé. Corrigez le fichier puis renvoyez-le."))
        #expect(page.contains("<li><span class=\"where\">Ligne 7 · « Soirée jeux de société »</span> : <span>2 événements sur 2 sont invalides : le fichier est refusé. Le premier : date de début (DTSTART) : « 24/11/2026 » n&#39;est pas une date valide (AAAAMMJJ ou AAAAMMJJTHHMMSS)</span></li>"))
        #expect(page.contains("Le fichier « soiree.ics » est gardé"))
        #expect(page.contains("name=\"name\" value=\"soiree\""))
        #expect(try await client.get("/staff/programme/kept").body == Array(bad.utf8))
        let again = try await client.post("/staff/programme/resend", [])
        #expect(again.status == .unprocessableContent)
        #expect(client.firstHeading == "0 événement prêt, 1 erreur")
        #expect(try bed.programmeState() == before)
    }

    /// Finding: a second upload under the default name silently replaced a colleague's.
    @Test func replacingAColleaguesProgrammeAsksFirst() async throws {
        let bed = try await Bed()
        // "regie" pushed "soiree" through the API.
        #expect(await bed.send(.put, "/api/v1/programme/soiree", token: Bed.maintainerToken, text: Self.good, contentType: "text/calendar").status == .ok)
        bed.clock.advance(by: 600)
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/programme")
        #expect(client.lastPage.contains("2 événements · envoyé par regie aujourd&#39;hui à 15:05"))
        let mine = Self.calendar([("autre@test", "Atelier", "20261125T100000")])
        let before = try bed.programmeState()
        let asked = try await client.upload("/staff/programme", file: ("soiree.ics", mine))
        #expect(asked.status == .ok)
        #expect(client.firstHeading == "« soiree » a été envoyé par regie. Le remplacer par votre fichier\u{00A0}?")
        #expect(try bed.programmeState() == before)
        let replaced = try await client.post("/staff/programme/resend", [("replace", "1")])
        #expect(replaced.status == .seeOther)
        #expect(try bed.inspect { try $0.programme.allEvents().filter { $0.source == "push:soiree" }.map(\.event.uid) } == ["autre@test"])
        #expect(try bed.inspect { try $0.audit.entries() }.first?.actor == "accueil")
        // Pushing my own again does not ask.
        _ = try await client.get("/staff/programme")
        #expect(try await client.upload("/staff/programme", file: ("soiree.ics", mine)).status == .seeOther)
    }

    @Test func aPushedProgrammeIsWithdrawnAfterAConfirmation() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/programme")
        _ = try await client.upload("/staff/programme", file: ("jeux.ics", Self.good))
        _ = try await client.get("/staff/programme")
        let question = try await client.post("/staff/programme/withdraw", [("name", "jeux")])
        #expect(question.status == .ok)
        #expect(client.firstHeading == "Retirer le programme « jeux » de l&#39;écran\u{00A0}?")
        #expect(try bed.inspect { try $0.programme.sourceStatus(id: "push:jeux") } != nil)
        #expect(try await client.post("/staff/programme/withdraw", [("name", "jeux"), ("confirm", "1")]).status == .seeOther)
        #expect(try bed.inspect { try $0.programme.sourceStatus(id: "push:jeux") } == nil)
        _ = try await client.get("/staff/programme")
        #expect(client.firstHeading == "Programme « jeux » retiré.")
        #expect(client.lastPage.contains("Aucun programme envoyé pour l&#39;instant."))
    }

    @Test func uploadsAreCheckedBeforeReachingTheKiosk() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/programme")
        let csrf = try #require(client.csrfToken)
        var (headers, body) = PageClient.multipart([("csrf", nil, "nope"), ("name", nil, "a"), ("file", "x.ics", Self.good)])
        #expect(try await client.send(.post, "/staff/programme", headers: headers, body: body).status == .forbidden)
        (headers, body) = PageClient.multipart([("csrf", nil, csrf), ("name", nil, "Soirée!"), ("file", "x.ics", Self.good)])
        #expect(try await client.send(.post, "/staff/programme", headers: headers, body: body).status == .unprocessableContent)
        #expect(client.lastPage.contains("id=\"name-error\""))
        (headers, body) = PageClient.multipart([("csrf", nil, csrf), ("name", nil, ""), ("file", "", "")])
        #expect(try await client.send(.post, "/staff/programme", headers: headers, body: body).status == .unprocessableContent)
        #expect(client.firstHeading == "Choisissez un fichier.")
        #expect(try await client.post("/staff/programme", [("name", "a")]).status == .unsupportedMediaType)
        let broken = try await client.send(
            .post, "/staff/programme", headers: ["Content-Type": "multipart/form-data; boundary=zz"], body: Array("--zz\r\nno end".utf8))
        #expect(broken.status == .badRequest)
        #expect(try bed.inspect { try $0.programme.sourceStatuses() }.isEmpty)
    }

    /// Finding: an upload over the size limit came back as raw English JSON.
    @Test func transportErrorsAreFrenchPagesWithAWayBack() async throws {
        let bed = try await Bed()
        let page = try #require(bed.router.framingErrorResponse(HTTPError(.contentTooLarge, "body larger than 8388608 bytes"), target: "/staff/programme"))
        #expect(page.status == .contentTooLarge)
        #expect(page.headers["Content-Type"] == "text/html; charset=utf-8")
        let text = page.text
        #expect(text.contains("<h1>Fichier trop gros</h1>"))
        #expect(text.contains("au plus 8 Mo par envoi"))
        #expect(text.contains("href=\"/staff/programme\""))
        for (status, title) in [(HTTPStatus.lengthRequired, "Taille de l&#39;envoi inconnue"), (.requestTimeout, "Envoi trop lent"), (.badRequest, "Demande illisible")] {
            let answer = try #require(bed.router.framingErrorResponse(HTTPError(status, "x"), target: "/staff/notices"))
            #expect(answer.text.contains("<h1>\(title)</h1>"), "\(status)")
            #expect(answer.text.contains("href=\"/staff/notices\""))
        }
        // The API keeps its JSON errors.
        #expect(bed.router.framingErrorResponse(HTTPError(.contentTooLarge, "x"), target: "/api/v1/programme/a") == nil)
        #expect(bed.router.framingErrorResponse(HTTPError(.badRequest, "x"), target: nil) == nil)
    }

    // MARK: Alert

    /// Item 5: raised from the page in two taps (the level, "Afficher l'alerte") and a
    /// confirmation; on the screen at once; withdrawn after a confirmation.
    @Test func anAlertIsRaisedInTwoTapsAndAConfirmation() async throws {
        let bed = try await Bed { $0.venue.assemblyPoint = "Parking nord" }
        var client = try await bed.signedIn()
        #expect(client.lastPage.contains("href=\"/staff/alert?level=evacuation\""))
        _ = try await client.get("/staff/alert?level=evacuation")
        #expect(client.lastPage.contains("value=\"Évacuation du bâtiment\""))
        #expect(client.lastPage.contains("Point de rassemblement : Parking nord"))
        let form = [("level", "evacuation"), ("title", "Évacuation du bâtiment"), ("text", "Sortez par la sortie la plus proche."),
                    ("title_en", "Evacuate the building"), ("text_en", ""), ("duration", "none")]
        let asked = try await client.post("/staff/alert", form)
        #expect(asked.status == .ok)
        #expect(client.firstHeading == "Afficher cette alerte sur tous les écrans maintenant\u{00A0}?")
        #expect(client.lastPage.contains("Point de rassemblement : Parking nord"))
        #expect(try bed.inspect { try $0.alerts.latest() } == nil)
        let raised = try await client.post("/staff/alert", form + [("confirm", "1")])
        #expect(raised.status == .seeOther)
        let alert = try #require(try bed.inspect { try $0.alerts.latest() })
        #expect(alert.level == .evacuation && alert.title == "Évacuation du bâtiment" && alert.raisedBy == "accueil" && alert.expires == nil)
        #expect(alert.titleEnglish == "Evacuate the building" && alert.textEnglish == nil)
        #expect(try bed.inspect { try $0.audit.entries() }.contains { $0.action == "alert.raise" && $0.actor == "accueil" })
        // On the lobby's screen already (the desk reloads it before answering).
        let model = try #require(bed.display.lastModel)
        #expect(model.fills.first?.role == .alertEvacuation)
        #expect(model.runs.contains { $0.text == "ÉVACUATION" })
        #expect(model.runs.contains { $0.text == "Point de rassemblement : Parking nord" })
        _ = try await client.get("/staff/")
        #expect(client.firstHeading == "Alerte affichée : « Évacuation du bâtiment ».")
        #expect(client.lastPage.contains("<section class=\"alertbox evacuation\" id=\"alert-now\">"))
        // Withdrawn after a confirmation.
        _ = try await client.post("/staff/alert/withdraw", [])
        #expect(client.firstHeading == "Retirer l&#39;alerte de tous les écrans\u{00A0}?")
        #expect(try bed.inspect { try $0.alerts.latest() } != nil)
        #expect(try await client.post("/staff/alert/withdraw", [("confirm", "1")]).status == .seeOther)
        #expect(try bed.inspect { try $0.alerts.latest() } == nil)
        #expect(bed.display.lastModel?.fills.first?.role == .background)
    }

    @Test func alertFormErrorsComeBackFilledIn() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/alert?level=information")
        let response = try await client.post("/staff/alert", [("level", "information"), ("title", ""), ("text", String(repeating: "x", count: 300)), ("duration", "60")])
        #expect(response.status == .unprocessableContent)
        #expect(client.firstHeading == "L&#39;alerte n&#39;est pas affichée : corrigez les champs signalés.")
        #expect(client.lastPage.contains("id=\"title-error\""))
        #expect(client.lastPage.contains("id=\"text-error\""))
        #expect(try bed.inspect { try $0.alerts.latest() } == nil)
    }

    // MARK: Screen

    /// Finding: the preview was a 120-column `<pre>` cut on a phone and its "Programme mis à
    /// jour" ignored pushes.
    @Test func theScreenIsAPhoneSizedCompressedPictureWithTheTrueLastUpdate() async throws {
        let bed = try await Bed()
        #expect(await bed.send(.put, "/api/v1/programme/soiree", token: Bed.staffToken, text: Self.good, contentType: "text/calendar").status == .ok)
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/screen")
        #expect(client.lastPage.contains("<p id=\"last-update\">Programme mis à jour aujourd&#39;hui à 15:05 (soiree)</p>"))
        #expect(client.lastPage.contains("<details><summary>L&#39;écran en texte</summary>"))
        // The lobby's own footer counts the push too.
        let footer = bed.display.lastModel?.runs.map(\.text) ?? []
        #expect(footer.contains("Programme mis à jour à 15:05"))
        guard StaffScreenImage(assets: PixelAssets.locate()).isAvailable else { return }
        #expect(client.lastPage.contains("<img id=\"screen-image\" src=\"/staff/screen.png\" width=\"780\" height=\"439\""))
        let picture = try await client.get("/staff/screen.png")
        #expect(picture.status == .ok && picture.headers["Content-Type"] == "image/png")
        #expect(picture.body.count < 150_000, "\(picture.body.count) bytes")
        let decoded = try DeflateDecoding.png(picture.body)
        #expect(decoded.width == 780 && decoded.height == 439)
    }
}

/// Reads a PNG back with the deflate tests' inflater (KioskDisplayTests has its own).
enum DeflateDecoding {
    struct Failure: Error {}
    static func png(_ bytes: [UInt8]) throws -> (width: Int, height: Int) {
        guard Array(bytes.prefix(8)) == PNGEncoder.signature else { throw Failure() }
        func u32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        var i = 8, width = 0, height = 0
        while i < bytes.count {
            let length = u32(i), type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            guard UInt32(u32(i + 8 + length)) == CRC32.checksum(bytes[(i + 4)..<(i + 8 + length)]) else { throw Failure() }
            if type == "IHDR" { (width, height) = (u32(i + 8), u32(i + 12)) }
            i += 12 + length
        }
        return (width, height)
    }
}
