import Foundation

/// What the lobby has to say at one instant, before any layout: the answer to "what is on
/// now, later today, this week; who is here; what is on the board".
///
/// A pure function of its inputs (`LobbySnapshot.make`): no clock, no store, no display.
public struct LobbySnapshot: Sendable {
    /// One event line as a visitor reads it.
    public struct EventLine: Sendable, Hashable {
        public var uid: String
        /// "14:00 – 16:00", "Toute la journée", "jusqu'à 18:00".
        public var when: String
        public var title: String
        public var room: String
        public var category: String
        /// "Annulé", "Complet", "Reporté"... nil when confirmed.
        public var statusLabel: String?
        public var status: EventStatus
        /// Already started and still running.
        public var isRunning: Bool
        /// The event's picture, when one was fetched and decodes.
        public var picture: PictureRef? = nil
    }

    /// An event of the featured panel: its line and the day it is on ("Aujourd'hui",
    /// "Demain · samedi 5 décembre").
    public struct FeaturedEvent: Sendable, Hashable {
        public var event: EventLine
        public var day: String
        /// The event's picture (featured events are those with one).
        public var picture: PictureRef
    }

    /// A poster in its period: shown full panel on pixel screens, its title on terminals.
    public struct PosterLine: Sendable, Hashable {
        public var id: String
        public var title: String
        public var picture: PictureRef
    }

    /// One day of the "À venir" list.
    public struct Day: Sendable, Hashable {
        public var date: CivilDate
        public var heading: String
        public var events: [EventLine]
    }

    /// One notice as shown on the board.
    public struct NoticeLine: Sendable, Hashable {
        public var id: String
        /// "Offre · don", "Appel à projets".
        public var tag: String
        public var title: String
        public var body: String
        /// Deadline countdown, event date or author.
        public var detail: String
        public var urgent: Bool
        /// The deadline is today or tomorrow: the layout highlights `detail` (decided from
        /// the notice's date, in any language).
        public var deadlineIsNear: Bool = false
    }

    /// The staff alert as the screen says it (see `alert`).
    public struct Alert: Sendable, Hashable {
        public var level: ScreenAlert.Level
        /// "ÉVACUATION", "FERMETURE", "INFORMATION" in the screen's language.
        public var heading: String
        /// In the screen's language when given in it, else in French.
        public var title: String
        public var text: String
        /// "Point de rassemblement : parking nord" for an evacuation with one configured.
        public var assemblyPoint: String?
        /// The other language's title and text, when the alert has both languages.
        public var otherTitle: String?
        public var otherText: String?
        /// "Le Mixeur · 15:05": who and when, at the bottom.
        public var footer: String
    }

    /// One structure of the directory.
    public struct ResidentLine: Sendable, Hashable {
        public var name: String
        /// "Association · Audiovisuel".
        public var what: String
        /// "Bât. A, 2e étage" or "Membre associé".
        public var location: String
        /// First letter for alphabetical paging ("A", "B"...; "#" for digits).
        public var initial: String
        /// The resident's id (`Resident.id`).
        public var id: String = ""
        /// The resident's logo, when one is held and decodes (pixel screens show it).
        public var logo: PictureRef? = nil

        public init(name: String, what: String, location: String, initial: String, id: String = "", logo: PictureRef? = nil) {
            self.name = name
            self.what = what
            self.location = location
            self.initial = initial
            self.id = id
            self.logo = logo
        }
    }

    public var instant: Date
    public var venueName: String
    public var tagline: String
    /// False when the wall clock cannot be believed: nothing is labelled "Aujourd'hui".
    public var clockTrusted: Bool
    /// The venue's date at `instant` (meaningful only when `clockTrusted`).
    public var today: CivilDate
    /// "mardi 24 novembre" (empty when the clock is not trusted).
    public var dateLine: String
    /// "15:42" (empty when the clock is not trusted).
    public var clockLine: String
    public var happeningNow: [EventLine]
    public var laterToday: [EventLine]
    public var upcoming: [Day]
    public var residents: [ResidentLine]
    public var notices: [NoticeLine]
    /// "Programme mis à jour à 14:05" / "Hors ligne depuis 3 h" / nil when no feed.
    public var freshness: String?
    public var isOffline: Bool
    /// Whether the building is open now (by the configured hours).
    public var isOpen: Bool
    public var strings: LobbyStrings
    /// The staff alert in force at `instant` (a closure, an evacuation, urgent
    /// information), ready to draw; nil when there is none.
    ///
    /// **Every layout must draw it alone, full screen, over everything else** — panels,
    /// notices, the directory and the check-in welcome — filled with `alert.level.fillRole`
    /// and written in `alert.level.textRole` (high contrast in every theme): the
    /// heading, the title large, the text, the assembly point of an evacuation, the other
    /// language's version, then `footer`. A badge scan under an alert is still recorded;
    /// its welcome is at most a line at the bottom. `validUntil` ends when the alert does.
    /// The cell layout (`LobbyLayout+Alert`) and the pixel layout (`SignageLayout+Alert`)
    /// both do.
    public var alert: Alert?
    /// Until when this snapshot stands: made again at any instant in [`instant`,
    /// `validUntil`) from the same inputs, it would differ only in `instant`. The next
    /// minute at the latest (the clock line), sooner when an event starts or ends, a
    /// notice goes up or down, or the clock becomes believable.
    public var validUntil: Date = .distantFuture
    /// The venue's logo (`[venue] logo`), when it decodes.
    public var logo: PictureRef? = nil
    /// The next events with a picture, at most `LobbySnapshot.maximumFeatured`, soonest first.
    public var featured: [FeaturedEvent] = []
    /// The posters in their period now, in the order they were posted.
    public var posters: [PosterLine] = []

    /// Events the featured panel turns through.
    public static let maximumFeatured = 3
}

/// A picture the screen can show: the key its source reads it by (for the daemon, the
/// file's path), and its size once upright (possibly as decoded at a reduced scale: what
/// matters is the shape), which lets the layout give it a box of its shape.
public struct PictureRef: Sendable, Hashable {
    public var key: String
    public var width: Int
    public var height: Int

    public init(key: String, width: Int, height: Int) {
        self.key = key
        self.width = max(1, width)
        self.height = max(1, height)
    }

    /// Width over height.
    public var aspect: Double { Double(width) / Double(height) }
}

/// Facts about the programme sources the snapshot reports on the screen.
public struct ProgrammeFreshness: Sendable, Hashable {
    /// Latest successful fetch of any source, if ever.
    public var lastSuccess: Date?
    /// True when at least one source is configured and every source's latest attempt failed.
    public var allFailing: Bool
    /// Pulled sources are configured.
    public var hasPulledSources: Bool
    /// The programme's last change, pushes included: what "Programme mis à jour à" says
    /// (a push-only kiosk shows the line once something was pushed). The clock's
    /// trust and "offline" go by `lastSuccess` only (a push does not prove the network).
    public var lastChange: Date?

    public init(lastSuccess: Date? = nil, allFailing: Bool = false, hasPulledSources: Bool = false, lastChange: Date? = nil) {
        self.lastSuccess = lastSuccess
        self.allFailing = allFailing
        self.hasPulledSources = hasPulledSources
        self.lastChange = lastChange
    }
}

/// Decides whether the wall clock can be believed (boards without an RTC boot in 1970,
/// or at the time of their last shutdown).
public enum ClockSanity {
    /// No kiosk built from this source runs before this instant (2026-11-01T00:00:00Z).
    public static let earliestPlausible = Date(timeIntervalSince1970: 1_793_491_200)

    /// The clock is trusted when it is after the build floor and not before the last
    /// successful fetch (allowing five minutes of skew between server and board).
    public static func isTrustworthy(_ now: Date, lastSuccessfulFetch: Date?, floor: Date = earliestPlausible) -> Bool {
        if now < floor { return false }
        if let last = lastSuccessfulFetch, now < last.addingTimeInterval(-300) { return false }
        return true
    }
}
