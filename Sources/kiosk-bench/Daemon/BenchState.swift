import Foundation
import KioskCore
import KioskFeeds
import KioskStore

/// A state directory and configuration for a benchmark or long-run daemon: residents,
/// people with badges, and a calendar file the daemon pulls as its `[feed "programme"]`.
///
/// The staff API listens on a free port of 127.0.0.1 (port 0), so that runs side by side
/// do not fight over 8080. Badges are `tag(i)` = `B0` + 8 hex digits, RDM6300 ids the pty writer can frame.
/// The programme is not stored here: the daemon ingests the file itself on its first
/// pull, as after any change of the feed, so its memory includes one real ingest.
struct BenchState {
    var directory: String
    var events = 2_000
    var residents = 500
    var badges = 1_500

    var stateDirectory: String { directory + "/state" }
    var calendarPath: String { directory + "/programme.ics" }
    var configPath: String { directory + "/kiosk.conf" }
    var readerLink: String { directory + "/badge-reader" }

    static func tag(_ i: Int) -> String { String(format: "B0%08X", i) }

    /// An RDM6300 frame: STX, the 10 hex digits, their XOR as 2 hex digits, ETX.
    static func rdm6300Frame(_ id: String) -> [UInt8] {
        let digits = Array(id.utf8)
        var checksum: UInt8 = 0
        for i in stride(from: 0, to: 10, by: 2) {
            checksum ^= UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16)!
        }
        return [0x02] + digits + Array(String(format: "%02X", checksum).utf8) + [0x03]
    }

    /// Writes the calendar, the configuration and the store (residents, people, badges).
    func create(extraConfig: String = "", feedURL: String? = nil, feedRefresh: String = "15min", backend: String = "framebuffer") throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let calendar = BenchCalendarGenerator(events: events, seed: BenchCalendarGenerator.defaultSeed, anchor: BenchCalendarGenerator.defaultAnchor).generate()
        try Data(calendar.utf8).write(to: URL(fileURLWithPath: calendarPath))
        try Data("""
            [venue]
            name = La Fabrique
            time-zone = Europe/Paris
            language = fr

            [screen]
            backend = \(backend)
            console = none

            [feed "programme"]
            url = \(feedURL ?? calendarPath)
            format = ics
            refresh = \(feedRefresh)

            [log]
            level = debug

            [http]
            listen = 127.0.0.1:0

            [reader]
            device = \(readerLink)
            protocol = rdm6300
            debounce = 0s

            [checkin]
            welcome-duration = 4s
            \(extraConfig)
            """.utf8).write(to: URL(fileURLWithPath: configPath))

        let zone = IANATimeZone(identifier: "Europe/Paris")!
        let store = try StateStore(stateDirectory: stateDirectory, timeZone: zone)
        let now = Date()
        let sectors = ["Audiovisuel", "Design graphique", "Spectacle vivant", "Arts numériques", "Édition", "Architecture"]
        let kinds: [Resident.Kind] = [.entreprise, .association, .artiste, .autre]
        let list = (0..<residents).map { i in
            Resident(
                id: "resident-\(i)", name: "Structure résidente n°\(i + 1)", kind: kinds[i % kinds.count], sector: sectors[i % sectors.count],
                location: i % 5 == 4 ? "" : "Bât. \(["A", "B", "C"][i % 3]), \(i % 4 + 1)e étage, bureau \(100 + i)",
                membership: i % 5 == 4 ? .associated : .installed, summary: "Activité de la structure \(i + 1), en quelques mots pour l'annuaire.")
        }
        _ = try store.residents.replaceAll(list, at: now)
        let ledger = store.checkIns
        try store.database.transaction {
            for i in 0..<badges {
                let person = try ledger.addPerson(
                    firstName: String(format: "Prénom%04d", i), lastName: "Nom", role: .member,
                    residentID: residents > 0 ? "resident-\(i % residents)" : nil, at: now)
                try ledger.enrol(tag: Self.tag(i), personID: person.id, at: now)
            }
        }
    }
}
