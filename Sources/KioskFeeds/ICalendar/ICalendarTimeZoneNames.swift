import Foundation

/// Maps the TZIDs found in real feeds to IANA zone names.
///
/// Tried in order: the name itself; a name prefixed with a path
/// (`/citadel.org/20190101_1/Europe/Paris`: the longest IANA suffix wins); a Windows zone
/// name as Outlook and Exchange write them (`Romance Standard Time`), from the CLDR
/// windowsZones table's "001" territory for the zones a French venue meets; an Outlook
/// display name (`(UTC+01:00) Brussels, Copenhagen, Madrid, Paris`).
public enum ICalendarTimeZoneNames {
    /// The IANA name for `tzid`, or nil when none is known (then a VTIMEZONE is needed).
    public static func ianaName(for tzid: String) -> String? {
        let name = tzid.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { return nil }
        if let windows = windowsZones[name] { return windows }
        if TimeZone(identifier: name) != nil, name.contains("/") || name == "UTC" || name == "GMT" { return name }
        if name.contains("/") {
            var parts = name.split(separator: "/").map(String.init)
            while parts.count > 1 {
                parts.removeFirst()
                let candidate = parts.joined(separator: "/")
                if candidate.contains("/"), TimeZone(identifier: candidate) != nil { return candidate }
            }
        }
        let lower = name.lowercased()
        for (needle, zone) in displayNames where lower.contains(needle) { return zone }
        if TimeZone(identifier: name) != nil { return name }
        return nil
    }

    /// Windows zone name -> IANA name.
    public static let windowsZones: [String: String] = [
        "Romance Standard Time": "Europe/Paris",
        "W. Europe Standard Time": "Europe/Berlin",
        "Central Europe Standard Time": "Europe/Budapest",
        "Central European Standard Time": "Europe/Warsaw",
        "GMT Standard Time": "Europe/London",
        "Greenwich Standard Time": "Atlantic/Reykjavik",
        "UTC": "UTC",
        "Coordinated Universal Time": "UTC",
        "E. Europe Standard Time": "Europe/Chisinau",
        "FLE Standard Time": "Europe/Kiev",
        "GTB Standard Time": "Europe/Bucharest",
        "Turkey Standard Time": "Europe/Istanbul",
        "Russian Standard Time": "Europe/Moscow",
        "Morocco Standard Time": "Africa/Casablanca",
        "W. Central Africa Standard Time": "Africa/Lagos",
        "South Africa Standard Time": "Africa/Johannesburg",
        "Egypt Standard Time": "Africa/Cairo",
        "Israel Standard Time": "Asia/Jerusalem",
        "Arab Standard Time": "Asia/Riyadh",
        "Arabian Standard Time": "Asia/Dubai",
        "India Standard Time": "Asia/Kolkata",
        "China Standard Time": "Asia/Shanghai",
        "Tokyo Standard Time": "Asia/Tokyo",
        "Korea Standard Time": "Asia/Seoul",
        "Singapore Standard Time": "Asia/Singapore",
        "AUS Eastern Standard Time": "Australia/Sydney",
        "New Zealand Standard Time": "Pacific/Auckland",
        "Mauritius Standard Time": "Indian/Mauritius",
        "Atlantic Standard Time": "America/Halifax",
        "Eastern Standard Time": "America/New_York",
        "Central Standard Time": "America/Chicago",
        "Mountain Standard Time": "America/Denver",
        "US Mountain Standard Time": "America/Phoenix",
        "Pacific Standard Time": "America/Los_Angeles",
        "Alaskan Standard Time": "America/Anchorage",
        "Hawaiian Standard Time": "Pacific/Honolulu",
        "Canada Central Standard Time": "America/Regina",
        "SA Pacific Standard Time": "America/Bogota",
        "SA Eastern Standard Time": "America/Cayenne",
        "SA Western Standard Time": "America/La_Paz",
        "E. South America Standard Time": "America/Sao_Paulo",
        "Pacific SA Standard Time": "America/Santiago",
        "Central America Standard Time": "America/Guatemala",
        "Mexico Standard Time": "America/Mexico_City",
        "Central Standard Time (Mexico)": "America/Mexico_City",
    ]

    /// Fragments of Outlook display names -> IANA name.
    static let displayNames: [(String, String)] = [
        ("brussels, copenhagen, madrid, paris", "Europe/Paris"),
        ("amsterdam, berlin, bern, rome, stockholm, vienna", "Europe/Berlin"),
        ("belgrade, bratislava, budapest, ljubljana, prague", "Europe/Budapest"),
        ("sarajevo, skopje, warsaw, zagreb", "Europe/Warsaw"),
        ("dublin, edinburgh, lisbon, london", "Europe/London"),
        ("eastern time (us & canada)", "America/New_York"),
        ("central time (us & canada)", "America/Chicago"),
        ("mountain time (us & canada)", "America/Denver"),
        ("pacific time (us & canada)", "America/Los_Angeles"),
    ]
}
