import Foundation

extension KioskConfig {
    /// Reads and interprets the file at `path`.
    public static func load(path: String) throws(ConfigError) -> KioskConfig {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ConfigError(path: path, line: 0, message: "cannot read: \((error as NSError).localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(path: path, line: 0, message: "not valid UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// Interprets configuration text; unknown sections, unknown keys, repeated keys and
    /// bad values are errors naming the line.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> KioskConfig {
        let file = try ConfigFile.parse(text, path: path)
        var config = KioskConfig()
        config.path = path
        var seenSections: [String: Int] = [:]
        for section in file.sections {
            let id = section.argument.map { "\(section.name) \"\($0)\"" } ?? section.name
            if let first = seenSections[id] {
                throw ConfigError(path: path, line: section.line, message: "section [\(id)] already appears on line \(first)")
            }
            seenSections[id] = section.line
            var reader = SectionReader(section: section, path: path)
            try config.apply(&reader)
            try reader.finish()
        }
        let names = config.feeds.map(\.name)
        for (i, feed) in config.feeds.enumerated() where names[..<i].contains(feed.name) {
            throw ConfigError(path: path, line: feed.line, message: "feed \"\(feed.name)\" is defined twice")
        }
        try config.validateHTTP()
        return config
    }

    private mutating func apply(_ r: inout SectionReader) throws(ConfigError) {
        let s = r.section
        if s.argument != nil && s.name != "feed" && s.name != "token" {
            throw ConfigError(path: r.path, line: s.line, message: "[\(s.name)] takes no name")
        }
        switch s.name {
        case "venue":
            try r.string("name") { venue.name = $0 }
            try r.string("tagline") { venue.tagline = $0 }
            try r.string("logo") { venue.logo = $0.isEmpty ? nil : $0 }
            try r.value("accent") { venue.accent = try ConfigValue.rgbColor($0) }
            try r.value("time-zone") { venue.timeZone = try ConfigValue.timeZone($0) }
            try r.value("language") { venue.language = try ConfigValue.choice($0, as: Language.self) }
            try r.string("street-address") { venue.address.street = $0 }
            try r.string("postal-code") { venue.address.postalCode = $0 }
            try r.string("city") { venue.address.city = $0 }
            try r.string("country") { venue.address.country = $0 }
            try r.string("assembly-point") { venue.assemblyPoint = $0 }
        case "hours":
            let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
            for (i, day) in days.enumerated() {
                try r.value(day) { venue.hours.days[i] = try OpeningHours.parseDay($0) }
            }
        case "screen":
            try r.value("backend") { screen.backend = try ConfigValue.choice($0, as: DisplayBackend.self) }
            try r.string("terminal") { screen.terminal = $0 }
            try r.string("framebuffer") { screen.framebuffer = $0 }
            try r.value("mode") { screen.mode = try DisplayModeRequest.parse($0) }
            try r.string("console") { screen.console = ($0.isEmpty || $0 == "none") ? nil : $0 }
            try r.value("wake-before") { screen.wakeBefore = try ConfigValue.duration($0) }
            try r.value("colors") { screen.colors = try ConfigValue.choice($0, as: ColorPreference.self) }
            try r.value("panel-duration") { screen.panelDuration = try Self.positive(ConfigValue.duration($0), min: 3) }
            try r.value("directory-page-duration") { screen.directoryPageDuration = try Self.positive(ConfigValue.duration($0), min: 2) }
            try r.value("upcoming-days") { screen.upcomingDays = try ConfigValue.integer($0, in: 1...31) }
            try r.string("theme") { screen.theme = $0 }
            try r.value("rotation") { screen.rotation = try ConfigValue.rotation($0) }
            try r.value("picture-cache") { screen.pictureCacheBytes = try ConfigValue.byteSize($0, in: Screen.pictureCacheRange) }
        case "feeds":
            try r.value("offline-after") { feedSettings.offlineAfter = try Self.positive(ConfigValue.duration($0), min: 60) }
        case "feed":
            guard let name = s.argument else {
                throw ConfigError(path: r.path, line: s.line, message: "a feed needs a name: [feed \"programme\"]")
            }
            var url: String?
            var format: FeedFormat?
            try r.string("url") { url = $0 }
            try r.value("format") { format = try ConfigValue.choice($0, as: FeedFormat.self) }
            guard let url, !url.isEmpty else {
                throw ConfigError(path: r.path, line: s.line, message: "feed \"\(name)\" has no url")
            }
            guard let format = format ?? FeedFormat.guess(from: url) else {
                throw ConfigError(path: r.path, line: s.line, message: "feed \"\(name)\": say its format (ics, openagenda or json)")
            }
            var feed = Feed(name: name, url: url, format: format, line: s.line)
            try r.value("refresh") { feed.refresh = try Self.positive(ConfigValue.duration($0), min: 60) }
            try r.value("timeout") { feed.timeout = try Self.positive(ConfigValue.duration($0), min: 1) }
            try r.value("max-size") { feed.maxBytes = try ConfigValue.byteSize($0) }
            try r.string("key") { feed.key = $0.isEmpty ? nil : $0 }
            try r.value("language") { feed.language = try ConfigValue.choice($0, as: Language.self) }
            feeds.append(feed)
        case "state":
            try r.string("directory") { state.directory = $0 }
        case "log":
            try r.value("level") { log.level = try ConfigValue.choice($0, as: Log.Level.self) }
        case "reader", "checkin":
            try checkIn.apply(&r)
        case "http", "token":
            try applyHTTP(&r)
        default:
            throw ConfigError(path: r.path, line: s.line, message: "unknown section [\(s.name)] (known: venue, hours, screen, feeds, feed, state, log, reader, checkin, http, token)")
        }
    }

    private static func positive(_ value: TimeInterval, min: TimeInterval) throws(ConfigValueError) -> TimeInterval {
        guard value >= min else { throw ConfigValueError("must be at least \(Int(min)) s") }
        return value
    }
}

extension FeedFormat {
    /// The format a URL's ending suggests, if any.
    static func guess(from url: String) -> FeedFormat? {
        let lower = url.lowercased()
        if lower.hasSuffix(".ics") || lower.contains(".ics?") || lower.hasPrefix("webcal") { return .ics }
        if lower.contains("api.openagenda.com") { return .openagenda }
        if lower.hasSuffix(".json") { return .json }
        return nil
    }
}

/// Hands out the entries of one section by key and remembers which were used, so that
/// whatever is left over is reported as unknown.
struct SectionReader {
    let section: ConfigFile.Section
    let path: String
    private var used: Set<Int> = []

    init(section: ConfigFile.Section, path: String) {
        self.section = section
        self.path = path
    }

    mutating func value(_ key: String, _ apply: (String) throws -> Void) throws(ConfigError) {
        let matches = section.entries.indices.filter { section.entries[$0].key == key }
        guard let index = matches.first else { return }
        if matches.count > 1 {
            let second = section.entries[matches[1]]
            throw ConfigError(path: path, line: second.line, message: "'\(key)' is already set on line \(section.entries[index].line)")
        }
        used.insert(index)
        let entry = section.entries[index]
        do { try apply(entry.value) } catch {
            let message = (error as? ConfigValueError)?.message ?? "\(error)"
            throw ConfigError(path: path, line: entry.line, message: "\(key): \(message)")
        }
    }

    mutating func string(_ key: String, _ apply: (String) -> Void) throws(ConfigError) {
        try value(key) { apply($0) }
    }

    func finish() throws(ConfigError) {
        for (i, entry) in section.entries.enumerated() where !used.contains(i) {
            throw ConfigError(path: path, line: entry.line, message: "unknown key '\(entry.key)' in [\(section.name)]")
        }
    }
}
