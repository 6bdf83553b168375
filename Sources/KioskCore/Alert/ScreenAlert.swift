import Foundation

/// An alert raised by staff that takes over every display of the kiosk: a closure, an
/// evacuation, urgent information. While it is in force the screen shows it alone, full
/// screen, in high contrast, over the panels and the welcomes (badge scans are still
/// recorded), until it is withdrawn or expires.
///
/// Stored (it survives a restart) and audited; one alert at a time: raising one replaces
/// the alert in force.
public struct ScreenAlert: Sendable, Hashable, Codable {
    /// How serious it is: decides the colours and the heading on screen.
    public enum Level: String, Sendable, Hashable, Codable, CaseIterable {
        /// Something everyone should know now ("Le concert commence en salle 2").
        case information
        /// The building or part of it is closed ("Fermeture exceptionnelle à 16 h").
        case closure
        /// Leave the building: the screen adds the assembly point of `[venue] assembly-point`.
        case evacuation
    }

    public static let maxTitleLength = 80
    public static let maxTextLength = 280

    /// `a-` and 8 hex digits.
    public var id: String
    public var level: Level
    /// In French (the venue's first language).
    public var title: String
    public var text: String
    /// The English version, shown under the French one (or first on an English screen).
    public var titleEnglish: String?
    public var textEnglish: String?
    /// When it was raised (whole seconds).
    public var raised: Date
    /// The token name (or `kioskctl:USER`) that raised it.
    public var raisedBy: String
    /// When it stops being shown by itself; nil: until withdrawn.
    public var expires: Date?

    public init(
        id: String, level: Level, title: String, text: String, titleEnglish: String? = nil, textEnglish: String? = nil,
        raised: Date, raisedBy: String, expires: Date? = nil
    ) {
        self.id = id
        self.level = level
        self.title = title
        self.text = text
        self.titleEnglish = titleEnglish
        self.textEnglish = textEnglish
        self.raised = raised
        self.raisedBy = raisedBy
        self.expires = expires
    }

    /// Shown at `instant`: raised at or before it and not expired.
    public func isInForce(at instant: Date) -> Bool {
        raised <= instant && (expires.map { instant < $0 } ?? true)
    }
}
