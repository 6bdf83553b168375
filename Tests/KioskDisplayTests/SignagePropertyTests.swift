import Foundation
import Testing
import KioskTestSupport
import KioskCore
@testable import KioskDisplay

/// Properties of the pixel layout over random programmes (`RandomProgramme`), measured
/// with the shipped fonts, at every screen size the issue names and every rotation:
/// nothing leaves its box, nothing overlaps, every title and room is shown whole unless two
/// lines at the smallest size cannot hold it, and today's events are all shown or counted.
@Suite struct SignagePropertyTests {
    static let engine = try! TypeEngine(fontsDirectory: RepositoryAssets.fonts)
    /// Panels of the issue; each is laid out upright and turned a quarter (the turned
    /// picture is what 90 and 270 lay out; 180 lays out as 0).
    static let panels = [(1280, 720), (1024, 768), (1920, 1080), (3840, 2160), (1080, 1920)]
    static let instant = ISO8601.parse("2026-11-24T14:05:07Z")!

    /// Every problem found in `scene`, as sentences (empty: the properties hold).
    static func problems(in scene: PixelScene, snapshot: LobbySnapshot, layout: SignageLayout) -> [String] {
        var problems: [String] = []
        let bounds = scene.bounds
        let g = SignageLayout.Geometry(metrics: .init(width: scene.width, height: scene.height))
        let setter = layout.typesetter(g, snapshot.strings)
        for (index, layer) in scene.layers.enumerated() {
            let texts = layer.texts
            for t in texts {
                if !bounds.contains(t.frame) { problems.append("\"\(t.text)\" \(t.frame) leaves the screen") }
                if t.x < Double(t.frame.x) || t.x + t.width > Double(t.frame.maxX) { problems.append("\"\(t.text)\" is wider than its frame") }
                // Inside one region: the lobby's parts, or the overlay card.
                let names: [SceneRegion.Name] = index == 0 ? [.header, .banner, .today, .panel, .footer] : [.overlay]
                let inside = scene.regions.contains { names.contains($0.name) && $0.frame.contains(t.frame) }
                if !inside { problems.append("\"\(t.text)\" \(t.frame) is in no region of layer \(index)") }
            }
            for i in texts.indices {
                for j in texts.indices where j > i && texts[i].frame.touches(texts[j].frame) {
                    problems.append("\"\(texts[i].text)\" \(texts[i].frame) overlaps \"\(texts[j].text)\" \(texts[j].frame)")
                }
            }
            for box in layer.boxes where !bounds.contains(box.frame) { problems.append("box \(box.frame) leaves the screen") }
        }

        // Titles and rooms whole, or cut only where the smallest size on two lines cannot hold them.
        var events: [String: LobbySnapshot.EventLine] = [:]
        for e in snapshot.happeningNow + snapshot.laterToday + snapshot.upcoming.flatMap(\.events) { events[e.uid] = e }
        var lines: [String: [(line: Int, text: SceneText)]] = [:]
        for t in scene.layers[0].texts {
            switch t.tag {
            case .eventTitle(let uid, let section, let line): lines["title|\(uid)|\(section)", default: []].append((line, t))
            case .eventRoom(let uid, let section, let line): lines["room|\(uid)|\(section)", default: []].append((line, t))
            default: break
            }
        }
        for (key, parts) in lines {
            let fields = key.split(separator: "|", maxSplits: 2).map(String.init)
            guard let e = events[fields[1]] else { problems.append("an event line of an unknown uid \(fields[1])"); continue }
            let sorted = parts.sorted { $0.line < $1.line }
            if sorted.count > 2 { problems.append("\(key) takes \(sorted.count) lines") }
            let source = fields[0] == "title" ? e.title : [e.statusLabel ?? "", e.room, e.category].filter { !$0.isEmpty }.joined(separator: " · ")
            let expected = setter.prepare(source)
            let shown = sorted.map(\.text.text).reduce("") { joined, line in
                joined.isEmpty ? line : (joined.hasSuffix("-") || joined.hasSuffix("\u{2010}") ? joined + line : joined + " " + line)
            }
            let collapse = { (s: String) in s.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
            if sorted.last?.text.isTruncated == true {
                // Cut: the smallest size on two lines of that width must not hold it.
                let first = sorted[0].text
                let region = scene.regions.first { $0.frame.contains(first.frame) }!.frame
                let width = Double(region.maxX - g.columnPad) - first.x
                let smallest = fields[0] == "title" ? g.scale.titleMinimum : g.scale.detailMinimum
                let style = TextStyle(weight: first.style.weight, pixelSize: smallest)
                if setter.fitter.holds(expected, style: style, width: width, maxLines: 2) {
                    problems.append("\(key) cut with … though two lines of \(Int(width)) px at \(smallest) px hold it: \"\(expected)\"")
                }
                let kept = String(shown.dropLast())
                if !collapse(expected).hasPrefix(collapse(kept).trimmingCharacters(in: .whitespaces)) && !kept.isEmpty {
                    problems.append("\(key) shows \"\(shown)\", not a beginning of \"\(expected)\"")
                }
            } else if collapse(shown) != collapse(expected) {
                problems.append("\(key) shows \"\(shown)\" for \"\(expected)\"")
            }
        }

        // Today: every event shown, or counted in "+ N autres événements".
        if snapshot.clockTrusted, let today = scene.region(.today) {
            let uids = Set(scene.layers[0].texts.compactMap { t -> String? in
                if case .eventTitle(let uid, let section, 0) = t.tag, section == snapshot.strings.now || section == snapshot.strings.laterToday, today.contains(t.frame) { return uid }
                return nil
            })
            let more = scene.layers[0].texts.filter { today.contains($0.frame) && $0.text.hasPrefix("+ ") }
                .compactMap { Int($0.text.dropFirst(2).prefix { $0.isNumber }) }.first ?? 0
            let total = snapshot.happeningNow.count + snapshot.laterToday.count
            if uids.count + more != total { problems.append("today shows \(uids.count) events and counts \(more) more, of \(total)") }
        }
        return problems
    }

    /// Seconds of work: on a thread of its own (`offThePool`), so that other tests' handlers
    /// and timers have the cooperative pool.
    @Test(arguments: 0..<4)
    func randomProgrammesKeepEveryTextInItsBoxWholeAndApart(seed: Int) async throws {
        await offThePool {
            var random = RandomProgramme(seed: UInt64(seed) &* 7919 &+ 17)
            let snapshot = random.snapshot(instant: Self.instant)
            let layout = SignageLayout(type: Self.engine)
            for (index, (width, height)) in Self.panels.enumerated() {
                for rotation in [ScreenRotation.upright, .quarter] {
                    let picture = rotation.pictureSize(panelWidth: width, height: height)
                    let metrics = SignageLayout.Metrics(width: picture.width, height: picture.height, shift: seed % 3)
                    // The panel turns from one size to the next (the week ahead, the directory,
                    // the notices…), so that every panel is checked at several sizes.
                    var at = snapshot.instant
                    let turns = (index * 2 + (rotation == .upright ? 0 : 1) + seed) % 3
                    if turns > 0 {
                        let panels = layout.panelRotation(snapshot, metrics: metrics)
                        for _ in 0..<turns { at = panels.nextChange(after: at) ?? at }
                    }
                    do {
                        var moved = snapshot
                        moved.instant = at
                        var scene = layout.layout(moved, metrics: metrics)
                        if random.chance(0.5) {
                            let welcome = WelcomeMessage(tone: random.chance(0.5) ? .welcome : .attention, headline: random.title(maxLength: 90), detail: random.chance(0.5) ? random.title(maxLength: 80) : nil)
                            layout.addCheckIn(CheckInOverlay(welcome: welcome, today: random.title(maxLength: 100), readerNotice: random.chance(0.5) ? "Lecteur de badges déconnecté" : nil), to: &scene, metrics: metrics, strings: snapshot.strings)
                        }
                        let found = Self.problems(in: scene, snapshot: moved, layout: layout)
                        #expect(found.isEmpty, "seed \(seed), \(picture.width)x\(picture.height) at \(at): \(found.prefix(5).joined(separator: "; "))")
                    }
                }
            }
        }
    }

    @Test func fiftyEventsTodayAreCountedWhenTheyDoNotFit() throws {
        var random = RandomProgramme(seed: 99)
        var snapshot = random.snapshot(instant: Self.instant)
        let template = try #require(RasterFixtures.snapshot().laterToday.first)
        let many = (0..<50).map { i in
            var e = template
            e.uid = "m\(i)"
            e.title = random.title(maxLength: 80)
            e.room = "Salle \(i)"
            return e
        }
        snapshot.clockTrusted = true
        snapshot.laterToday = many
        snapshot.happeningNow = []
        let layout = SignageLayout(type: Self.engine)
        for (width, height) in Self.panels {
            let scene = layout.layout(snapshot, metrics: .init(width: width, height: height))
            #expect(Self.problems(in: scene, snapshot: snapshot, layout: layout).isEmpty)
            #expect(scene.layers[0].texts.contains { $0.text.hasPrefix("+ ") && $0.text.contains("autres événements") }, "\(width)x\(height)")
        }
    }

    @Test func aTitleNoTwoLinesCanHoldIsCutAtTheSmallestSizeOnly() throws {
        let layout = SignageLayout(type: Self.engine)
        var snapshot = RasterFixtures.snapshot()
        let long = String(repeating: "Interminable ", count: 20) + "fin"
        snapshot.laterToday[0].title = long
        snapshot.laterToday[1].title = "Projection : courts-métrages d’animation"
        let scene = layout.layout(snapshot, metrics: .init(width: 1920, height: 1080))
        let cut = scene.layers[0].texts.filter { if case .eventTitle(let uid, _, _) = $0.tag { return uid == snapshot.laterToday[0].uid }; return false }
        #expect(cut.count == 2)
        #expect(cut.last?.isTruncated == true && cut.last?.text.hasSuffix("…") == true)
        #expect(cut.allSatisfy { abs($0.style.pixelSize - TypeScale(width: 1920, height: 1080).titleMinimum) < 0.001 })
        let whole = scene.layers[0].texts.filter { if case .eventTitle(let uid, _, _) = $0.tag { return uid == snapshot.laterToday[1].uid }; return false }
        #expect(!whole.isEmpty && whole.allSatisfy { !$0.isTruncated })
        #expect(Self.problems(in: scene, snapshot: snapshot, layout: layout).isEmpty)
    }
}
