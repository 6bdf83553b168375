import Foundation
import Testing
import KioskCore
@testable import KioskDisplay

/// The pixel layout highlights a notice's deadline from the data (today or tomorrow), as
/// the terminal layout does: an English screen highlights the same notices as a French
/// one, and a notice whose text merely starts with the words is not highlighted.
@Suite struct SignageNoticeHighlightTests {
    static let engine = try! TypeEngine(fontsDirectory: RepositoryAssets.fonts)
    func at(_ iso: String) -> Date { ISO8601.parse(iso)! }

    /// Roles of the notice details on the first layout (over three minutes of rotation)
    /// that shows the notice board, by notice title.
    func detailRoles(_ language: Language) -> [String: ScreenRole]? {
        var config = KioskConfig()
        config.venue.name = "Le Mixeur"
        config.venue.language = language
        let posted = at("2026-11-20T08:00:00Z"), expires = at("2026-12-31T00:00:00Z")
        let notices = [
            Notice(id: "soon", kind: .call, title: "Residency call", author: "Distorsion", deadline: CivilDate(year: 2026, month: 11, day: 25), posted: posted, expires: expires),
            Notice(id: "later", kind: .call, title: "Festival call", author: "Labora", deadline: CivilDate(year: 2026, month: 12, day: 1), posted: posted, expires: expires),
            Notice(id: "today", kind: .call, title: "Grant call", deadline: CivilDate(year: 2026, month: 11, day: 24), posted: posted, expires: expires),
            // An author whose name reads like a deadline, and no deadline at all.
            Notice(id: "words", kind: .information, title: "Open studio", author: "Dernier Cri", posted: posted, expires: expires),
        ]
        let inputs = LobbySnapshot.Inputs(
            occurrences: [], residents: [], notices: notices,
            freshness: ProgrammeFreshness(lastSuccess: at("2026-11-24T14:00:00Z"), hasPulledSources: true))
        let layout = SignageLayout(config: config, type: Self.engine)
        for second in stride(from: 0, to: 180, by: 5) {
            let snapshot = LobbySnapshot.make(at: at("2026-11-24T14:05:00Z").addingTimeInterval(Double(second)), inputs: inputs, config: config)
            let scene = layout.layout(snapshot, metrics: .init(width: 1920, height: 1080))
            let texts: [SceneText] = scene.layers[0].texts
            guard texts.contains(where: { $0.text.contains("Residency call") }) else { continue }
            var roles: [String: ScreenRole] = [:]
            for line in snapshot.notices where !line.detail.isEmpty {
                // The detail's first line as set (the typesetter changes spaces and
                // apostrophes, and may break it in two).
                func plain(_ s: String) -> String { String(s.unicodeScalars.filter { !$0.properties.isWhitespace }.map { $0 == "\u{2019}" ? "'" : Character($0) }) }
                let whole = plain(line.detail)
                let detail = texts.first { (t: SceneText) -> Bool in
                    let shown = plain(t.text)
                    return shown.count >= min(8, whole.count) && whole.hasPrefix(shown) && (t.role == ScreenRole.cancelled || t.role == ScreenRole.muted)
                }
                if let detail { roles[line.title] = detail.role }
            }
            return roles
        }
        return nil
    }

    @Test(arguments: [Language.fr, .en]) func nearDeadlinesAreHighlightedInEitherLanguage(_ language: Language) throws {
        let roles = try #require(detailRoles(language), "the notice board was never shown")
        #expect(roles["Residency call"] == .cancelled)
        #expect(roles["Grant call"] == .cancelled)
        #expect(roles["Festival call"] == .muted)
        #expect(roles["Open studio"] == .muted)
    }
}
