import Foundation
import KioskCore

/// The evacuation list (maintainer): who is in the building now, large on a phone and
/// printable on paper (the page's links and buttons are left out of the print).
extension StaffPages {
    static let presenceRoutes: [Route] = [
        Route(path: ["presence"], methods: [.get], access: .maintainer) { pages, context in await pages.presence(context) },
    ]

    func presence(_ context: Context) async -> HTTPResponse {
        let session = context.signedIn
        do {
            let present = try await desk.presence(as: session.principal).map(PresenceBody.init)
            return Self.page(context.renderer.presencePage(session, present: present))
        } catch {
            let (message, status) = Self.describe(error, context.strings)
            return Self.page(context.renderer.message(message, session: session), status: status)
        }
    }
}

extension StaffPageRenderer {
    func presencePage(_ session: StaffSessions.Session, present: [PresenceBody]) -> String {
        document(title: strings.presenceTitle, session: session) {
            let sorted = present.sorted { $0.name.lowercased() < $1.name.lowercased() }
            var html = """
            <h1>\(e(strings.presenceTitle))</h1>
            <p id="present-count"><strong>\(e(strings.presentCount(present.count, time(now))))</strong> · \(e(strings.lobby.longDate(days.civilDate(of: now))))</p>
            <p class="hint noprint">\(e(strings.presenceHelp))</p>

            """
            guard !sorted.isEmpty else { return html + "<p>\(e(strings.nobodyIn))</p>\n" }
            html += "<section><ul class=\"plain people\" id=\"present\">\n"
            for person in sorted {
                html += "<li><strong>\(e(person.name))</strong> <span class=\"since\">\(e(strings.role(person.role))) · \(e(strings.since(time(person.since))))</span></li>\n"
            }
            return html + "</ul></section>\n"
        }
    }
}
