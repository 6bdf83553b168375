import Foundation
import Testing
@testable import KioskCore

@Suite struct ConfigTests {
    @Test func documentedDefaultFileParsesToDefaults() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../kiosk-config/kiosk.conf").standardized.path
        let config = try KioskConfig.load(path: path)
        #expect(config.venue.timeZone.identifier == "Europe/Paris")
        #expect(config.venue.language == .fr)
        #expect(config.screen.backend == .terminal)
        #expect(config.screen.panelDuration == 15)
        #expect(config.feedSettings.offlineAfter == 3 * 3600)
        #expect(config.feeds.isEmpty)
        #expect(config.venue.accent == nil)
        #expect(config.screen.rotation == .upright)
        #expect(config.screen.pictureCacheBytes == 6 << 20)
    }

    @Test func pictureCacheSize() throws {
        #expect(try KioskConfig.parse("[screen]\npicture-cache = 24M\n", path: "k.conf").screen.pictureCacheBytes == 24 << 20)
        #expect(try KioskConfig.parse("[screen]\npicture-cache = 2M\n", path: "k.conf").screen.pictureCacheBytes == 2 << 20)
        #expect(try KioskConfig.parse("[screen]\n", path: "k.conf").screen.pictureCacheBytes == KioskConfig().screen.pictureCacheBytes)
    }

    @Test func readsEverySection() throws {
        let text = """
        # comment
        [venue]
        name = "Le Mixeur"
        time-zone = America/Montreal
        language = en
        accent = #e4003A
        [hours]
        monday = 09:00-12:30, 14:00-19:00
        sunday = closed
        [screen]
        panel-duration = 1min 30s
        colors = mono
        rotation = 270
        [feed "agenda"]
        url = https://api.openagenda.com/v2/agendas/1/events
        key = abc
        refresh = 30min
        max-size = 5M
        [feed "ics"]
        url = programme.ics
        """
        let c = try KioskConfig.parse(text, path: "k.conf")
        #expect(c.venue.name == "Le Mixeur")
        #expect(c.venue.timeZone.identifier == "America/Montreal")
        #expect(c.venue.language == .en)
        #expect(c.venue.hours.days[0].count == 2)
        #expect(c.venue.hours.days[0][1].opens == TimeOfDay(hour: 14, minute: 0))
        #expect(c.venue.hours.days[6].isEmpty)
        #expect(c.screen.panelDuration == 90)
        #expect(c.screen.colors == .mono)
        #expect(c.venue.accent == 0xE4003A)
        #expect(c.screen.rotation == .threeQuarters)
        #expect(c.feeds.map(\.name) == ["agenda", "ics"])
        #expect(c.feeds[0].format == .openagenda)
        #expect(c.feeds[0].key == "abc")
        #expect(c.feeds[0].maxBytes == 5 << 20)
        #expect(c.feeds[1].format == .ics)
        #expect(c.venue.address.isEmpty && c.venue.assemblyPoint.isEmpty)
    }

    @Test func venueAddressAndAssemblyPoint() throws {
        let c = try KioskConfig.parse("""
            [venue]
            name = Le Mixeur
            street-address = 3 rue Javelin-Pagnon
            postal-code = 42000
            city = Saint-Étienne
            country = FR
            assembly-point = Parking nord, devant le portail
            """, path: "k.conf")
        #expect(c.venue.address == KioskConfig.PostalAddress(street: "3 rue Javelin-Pagnon", postalCode: "42000", city: "Saint-Étienne", country: "FR"))
        #expect(c.venue.assemblyPoint == "Parking nord, devant le portail")
    }

    /// Each bad file and the line its error must name.
    @Test(arguments: [
        ("[venue]\nname = x\ncolour = red\n", 3, "unknown key 'colour'"),
        ("[venue]\n\n\ntime-zone = Mars/Olympus\n", 4, "unknown time zone"),
        ("[screen]\npanel-duration = soon\n", 2, "not a duration"),
        ("[screen]\npanel-duration = 1\n", 2, "at least"),
        ("[hours]\nmonday = 19:00-09:00\n", 2, "closes before it opens"),
        ("[hours]\nfriday = 25:00-26:00\n", 2, "not a time of day"),
        ("[venue]\nname = a\nname = b\n", 3, "already set on line 2"),
        ("[screens]\n", 1, "unknown section"),
        ("name = x\n", 1, "before any [section]"),
        ("[venue]\njust words\n", 2, "expected 'key = value'"),
        ("[venue\n", 1, "closing ']'"),
        ("[feed \"a\"]\nformat = ics\n", 1, "has no url"),
        ("[feed \"a\"]\nurl = https://x/y\n", 1, "say its format"),
        ("[feed \"a\"]\nurl = a.ics\n[feed \"a\"]\nurl = b.ics\n", 3, "already appears on line 1"),
        ("[venue]\nlanguage = de\n", 2, "not one of: fr, en"),
        ("[screen]\nbackend = x11\n", 2, "not one of"),
        ("[log]\nlevel = loud\n", 2, "not one of"),
        ("[venue \"x\"]\n", 1, "takes no name"),
        ("[venue]\naccent = red\n", 2, "not a colour #RRGGBB"),
        ("[venue]\naccent = #12345\n", 2, "not a colour #RRGGBB"),
        ("[venue]\naccent = #12345G\n", 2, "not a colour #RRGGBB"),
        ("[screen]\nrotation = 45\n", 2, "0, 90, 180 or 270"),
        ("[screen]\n\nrotation = portrait\n", 3, "not a rotation"),
        ("[screen]\npicture-cache = lots\n", 2, "not a size"),
        ("[screen]\n\npicture-cache = 512K\n", 3, "from 2M to 128M"),
        ("[screen]\npicture-cache = 1G\n", 2, "from 2M to 128M"),
        ("[screen]\npicture-cache = 99999999999999999G\n", 2, "too large a size"),
    ])
    func errorsNameTheLine(text: String, line: Int, fragment: String) {
        do {
            _ = try KioskConfig.parse(text, path: "/etc/kiosk/kiosk.conf")
            Issue.record("expected an error for \(text.debugDescription)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.description.hasPrefix("/etc/kiosk/kiosk.conf:\(line): "))
            #expect(error.message.contains(fragment), "\(error)")
        }
    }

    @Test func durations() throws {
        #expect(try ConfigValue.duration("90") == 90)
        #expect(try ConfigValue.duration("15min") == 900)
        #expect(try ConfigValue.duration("1h 30min") == 5400)
        #expect(try ConfigValue.duration("500ms") == 0.5)
        #expect(try ConfigValue.duration("2d") == 172800)
        #expect(throws: ConfigValueError.self) { try ConfigValue.duration("3 fortnights") }
        #expect(throws: ConfigValueError.self) { try ConfigValue.duration("") }
    }

    @Test func openingHoursFollowWallClockAcrossDST() throws {
        var config = KioskConfig()
        config.venue.hours.days[6] = try OpeningHours.parseDay("09:00-12:00") // Sunday
        let zone = IANATimeZone(identifier: "Europe/Paris")!
        // 2026-03-29 is the spring-forward Sunday: 09:30 local is 07:30Z.
        #expect(config.venue.hours.isOpen(at: ISO8601.parse("2026-03-29T07:30:00Z")!, timeZone: zone))
        #expect(!config.venue.hours.isOpen(at: ISO8601.parse("2026-03-29T06:30:00Z")!, timeZone: zone))
        #expect(!config.venue.hours.isOpen(at: ISO8601.parse("2026-03-29T10:00:00Z")!, timeZone: zone))
    }
}
