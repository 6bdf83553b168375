import Foundation
import KioskCore

/// The screen page: the picture of the lobby scaled to the phone, when the programme last
/// changed (pushes included), and the screen as text folded away.
extension StaffPages {
    static let screenRoutes: [Route] = [
        Route(path: ["screen"], methods: [.get], access: .staff) { pages, context in await pages.screen(context) },
        Route(path: ["screen.png"], methods: [.get], access: .staff) { pages, context in await pages.screenPicture(context) },
    ]

    func screen(_ context: Context) async -> HTTPResponse {
        let session = context.signedIn
        do {
            let text = try await desk.screen(as: session.principal).text
            let picture = try await desk.screenPicture(as: session.principal, images: screenImage)
            let change = try await desk.lastProgrammeChange(as: session.principal)
            return Self.page(context.renderer.screenPage(
                session, text: text, picture: picture.map { ($0.width, $0.height) }, lastChange: change))
        } catch {
            let (message, status) = Self.describe(error, context.strings)
            return Self.page(context.renderer.message(message, session: session), status: status)
        }
    }

    func screenPicture(_ context: Context) async -> HTTPResponse {
        do {
            guard let picture = try await desk.screenPicture(as: context.signedIn.principal, images: screenImage) else {
                return Self.page(context.renderer.message(context.strings.noPicture, session: context.signedIn), status: .notFound)
            }
            var response = HTTPResponse(status: .ok, headers: ["Content-Type": "image/png"], body: picture.png)
            Self.addSecurityHeaders(&response)
            return response
        } catch {
            let (message, status) = Self.describe(error, context.strings)
            return Self.page(context.renderer.message(message, session: context.signedIn), status: status)
        }
    }
}

extension StaffPageRenderer {
    func screenPage(_ session: StaffSessions.Session, text: String, picture: (width: Int, height: Int)?, lastChange: (at: Date, source: String)?) -> String {
        document(title: strings.screenTitle, session: session) {
            let update = lastChange.map { change in
                strings.lastUpdate(when(change.at), change.source.hasPrefix("push:") ? String(change.source.dropFirst(5)) : change.source)
            } ?? strings.neverUpdated
            var html = "<h1>\(e(strings.screenTitle))</h1>\n<p id=\"last-update\">\(e(update))</p>\n"
            if let picture {
                html += "<img id=\"screen-image\" src=\"/staff/screen.png\" width=\"\(picture.width)\" height=\"\(picture.height)\" alt=\"\(e(strings.screenImageAlt))\">\n"
            } else {
                html += "<p class=\"hint\">\(e(strings.noPicture))</p>\n"
            }
            html += """
            <p class="hint">\(e(strings.screenHelp))</p>
            <details><summary>\(e(strings.screenText))</summary>
            <pre id="screen-text">\(e(text))</pre>
            </details>

            """
            return html
        }
    }
}
