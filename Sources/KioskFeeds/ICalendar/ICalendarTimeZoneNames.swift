import Foundation
import KioskCore

/// Maps the TZIDs found in real feeds to IANA zone names.
///
/// Tried in order: a Windows zone name as Outlook and Exchange write them
/// (`Romance Standard Time`, CLDR's windowsZones mapping, territory "001", all 139 zones);
/// an IANA name; a name prefixed with a path (`/citadel.org/20190101_1/Europe/Paris`: the
/// longest IANA suffix wins); a Windows display name, `(UTC+01:00) Brussels, Copenhagen,
/// Madrid, Paris` or as older Outlook wrote it `(GMT+10:00) Canberra, Melbourne, Sydney`
/// (the offset and the cities are compared with CLDR's display names; with no city in
/// common, a whole-hour offset becomes a fixed `Etc/GMT` zone); a name the system zone database has
/// (`CET`) in the zone database.
public enum ICalendarTimeZoneNames {
    /// One Windows zone of CLDR's table (`ICalendarTimeZoneNames+Windows.swift`).
    struct WindowsZone: Sendable {
        var name: String
        /// `(UTC+10:00) Canberra, Melbourne, Sydney`.
        var displayName: String
        /// The IANA zone of territory "001".
        var zone: String
        var territories: [String: [String]]
    }

    /// A display name read: its offset from UTC in seconds and its places, lowercased.
    struct DisplayName: Sendable {
        var offset: Int
        var places: Set<String>
        var zone: String
    }

    /// The IANA name for `tzid`, or nil when none is known (then a VTIMEZONE is needed).
    public static func ianaName(for tzid: String) -> String? {
        var name = tzid.trimmingCharacters(in: .whitespaces)
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
        if name.isEmpty || name.utf8.count > 200 { return nil }
        if let windows = windowsZones[name] ?? windowsZonesLowercased[name.lowercased()] { return windows }
        if IANATimeZone(identifier: name) != nil, name.contains("/") || name == "UTC" || name == "GMT" { return name }
        if name.contains("/") {
            var parts = name.split(separator: "/").map(String.init)
            while parts.count > 1 {
                parts.removeFirst()
                let candidate = parts.joined(separator: "/")
                if candidate.contains("/"), IANATimeZone(identifier: candidate) != nil { return candidate }
            }
        }
        if let zone = zone(forDisplayName: name) { return zone }
        if IANATimeZone(identifier: name) != nil { return name }
        return nil
    }

    /// CLDR's table, read from `windowsZoneData`.
    static let windowsZoneTable: [WindowsZone] = windowsZoneData.split(separator: "\n").compactMap { line in
        let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4 else { return nil }
        var territories: [String: [String]] = [:]
        for entry in fields[3].split(separator: ";") {
            let parts = entry.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { territories[String(parts[0])] = parts[1].split(separator: " ").map(String.init) }
        }
        return WindowsZone(name: fields[0], displayName: fields[1], zone: fields[2], territories: territories)
    }

    /// Windows zone name -> IANA name (territory "001"), every zone of CLDR's table.
    public static let windowsZones: [String: String] = {
        var map: [String: String] = [:]
        for zone in windowsZoneTable { map[zone.name] = zone.zone }
        map["Coordinated Universal Time"] = "UTC"  // older Exchange wording
        return map
    }()

    static let windowsZonesLowercased: [String: String] = {
        var map: [String: String] = [:]
        for (name, zone) in windowsZones { map[name.lowercased()] = zone }
        return map
    }()

    static let displayNames: [DisplayName] = windowsZoneTable.compactMap { zone in
        parseDisplayName(zone.displayName).map { DisplayName(offset: $0.offset, places: $0.places, zone: zone.zone) }
    }

    /// `(UTC+10:00) Canberra, Melbourne, Sydney` -> (36000, {"canberra", "melbourne",
    /// "sydney"}); `(GMT)` and `(UTC)` are offset 0. Places are split on commas, colons and
    /// " - "; nil when the text does not start with such a parenthesis.
    static func parseDisplayName(_ text: String) -> (offset: Int, places: Set<String>)? {
        let lower = text.lowercased()
        guard lower.hasPrefix("(utc") || lower.hasPrefix("(gmt"), let close = lower.firstIndex(of: ")") else { return nil }
        let inside = lower[lower.index(lower.startIndex, offsetBy: 4)..<close].trimmingCharacters(in: .whitespaces)
        var offset = 0
        if !inside.isEmpty {
            let sign: Int
            switch inside.first {
            case "+": sign = 1
            case "-", "−": sign = -1
            default: return nil
            }
            let digits = inside.dropFirst().split(separator: ":")
            guard (1...2).contains(digits.count), let h = Int(digits[0]), h <= 14,
                  let m = digits.count == 2 ? Int(digits[1]) : 0, m < 60 else { return nil }
            offset = sign * (h * 3600 + m * 60)
        }
        let rest = lower[lower.index(after: close)...]
        var places = Set<String>()
        for part in rest.replacingOccurrences(of: " - ", with: ",").split(whereSeparator: { $0 == "," || $0 == ":" }) {
            let place = part.trimmingCharacters(in: .whitespaces)
            if !place.isEmpty { places.insert(place) }
        }
        return (offset, places)
    }

    /// The zone of a Windows display name: the CLDR display name with the same offset and
    /// the most places in common; with none in common, `Etc/GMT` for a whole-hour offset.
    static func zone(forDisplayName text: String) -> String? {
        guard let (offset, places) = parseDisplayName(text) else { return nil }
        var best: (shared: Int, zone: String)?
        for candidate in displayNames where candidate.offset == offset {
            let shared = candidate.places.intersection(places).count
            if shared > 0, shared > (best?.shared ?? 0) { best = (shared, candidate.zone) }
        }
        if let best { return best.zone }
        guard offset % 3600 == 0, (-12...14).contains(offset / 3600) else { return nil }
        let hours = offset / 3600
        // Etc/GMT names count the other way: Etc/GMT-10 is ten hours east of UTC.
        return hours == 0 ? "UTC" : "Etc/GMT" + (hours > 0 ? "-" : "+") + String(abs(hours))
    }
}
