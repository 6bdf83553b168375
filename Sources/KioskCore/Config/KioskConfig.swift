import Foundation

/// Language of the screen. French first.
public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    case fr, en
}

/// How the lobby is drawn.
public enum DisplayBackend: String, Sendable, Hashable, CaseIterable {
    /// ANSI/VT100 on a terminal (stdout or a tty device).
    case terminal
    /// The Linux framebuffer (`/dev/fbN`, "fbdev").
    case framebuffer
    /// DRM/KMS (`/dev/dri/cardN`): dumb buffers, page flips, DPMS, hot-plug.
    case drm
    /// A pixel screen: DRM when a card under `/dev/dri/` has a connected connector, else
    /// the framebuffer (the choice is logged).
    case auto

    /// Whether the lobby is drawn in pixels (framebuffer, DRM or either).
    public var isPixelScreen: Bool { self != .terminal }
}

/// Colour use on a terminal.
public enum ColorPreference: String, Sendable, Hashable, CaseIterable {
    case auto, truecolor, ansi256 = "256", ansi16 = "16", mono
}

/// The whole configuration of one kiosk, read from `kiosk.conf`.
///
/// Every field has a default so that a file with only `[venue] name = ...` works.
public struct KioskConfig: Sendable {
    /// `[venue]`: who we are.
    public struct Venue: Sendable {
        public var name = "Tiers-lieu"
        /// A short line under the name ("Pôle des industries créatives").
        public var tagline = ""
        /// Path of a logo image for the framebuffer (PNG not required yet; unused on terminals).
        public var logo: String?
        /// The venue's brand colour, `0xRRGGBB` (`accent = #RRGGBB`): the header band of the
        /// pixel displays, with a text colour chosen for it; nil keeps the theme's.
        public var accent: UInt32?
        /// Europe/Paris unless the config names another; UTC only if the system has no
        /// zone files at all (the Debian package depends on `tzdata`).
        public var timeZone = IANATimeZone(identifier: "Europe/Paris") ?? .utc
        public var language = Language.fr
        public var hours = OpeningHours.always
        /// `street-address`, `postal-code`, `city`, `country`: the postal address published
        /// in the open-data feed (empty parts are left out).
        public var address = PostalAddress()
        /// `assembly-point`: where people gather in an evacuation (shown by an evacuation
        /// alert); empty when not configured.
        public var assemblyPoint = ""
    }

    /// A postal address as schema.org `PostalAddress` has it.
    public struct PostalAddress: Sendable, Hashable {
        public var street = ""
        public var postalCode = ""
        public var city = ""
        /// ISO 3166-1 alpha-2 (`FR`) or a name.
        public var country = ""

        public init(street: String = "", postalCode: String = "", city: String = "", country: String = "") {
            self.street = street
            self.postalCode = postalCode
            self.city = city
            self.country = country
        }

        public var isEmpty: Bool { street.isEmpty && postalCode.isEmpty && city.isEmpty && country.isEmpty }
    }

    /// `[screen]`: how the lobby is shown.
    public struct Screen: Sendable {
        public var backend = DisplayBackend.terminal
        /// `stdout`, or a tty path such as `/dev/tty1`.
        public var terminal = "stdout"
        /// Framebuffer device for the framebuffer backend.
        public var framebuffer = "/dev/fb0"
        /// The DRM backend's mode (`mode = 1920x1080@60`); nil: the connector's preferred mode.
        public var mode: DisplayModeRequest?
        /// Virtual console switched to graphics mode while the framebuffer backend draws
        /// (`KDSETMODE`); nil (`console = none`) leaves the console alone.
        public var console: String? = "/dev/tty1"
        /// How long before the first event of the day the framebuffer screen wakes when the
        /// building is closed (`ScreenSchedule`).
        public var wakeBefore: TimeInterval = 1800
        public var colors = ColorPreference.auto
        /// Seconds each rotating panel stays (programme, residents, notices).
        public var panelDuration: TimeInterval = 15
        /// Seconds each page of the resident directory stays.
        public var directoryPageDuration: TimeInterval = 10
        /// How many days ahead the "À venir" panel looks.
        public var upcomingDays = 7
        /// Theme name under `assets/themes/`.
        public var theme = "default"
        /// How the picture is turned on the panel (pixel displays).
        public var rotation = ScreenRotation.upright
        /// `picture-cache`: bytes of pictures kept decoded at display size (pixel displays:
        /// logos, event pictures, posters), within `pictureCacheRange`.
        public var pictureCacheBytes = 6 << 20
        /// What `picture-cache` may be: room for the featured picture and a poster at
        /// 1920x1080, and not so much that the cache alone could crowd a 1 GB board.
        public static let pictureCacheRange = (2 << 20)...(128 << 20)
    }

    /// `[feed "name"]`: one programme source pulled over HTTP(S) or read from a file.
    public struct Feed: Sendable, Hashable {
        public var name: String
        public var url: String
        public var format: FeedFormat
        public var refresh: TimeInterval = 900
        public var timeout: TimeInterval = 20
        public var maxBytes = 20 << 20
        /// OpenAgenda public key, sent in the `key:` header.
        public var key: String?
        /// Language asked of multilingual feeds (defaults to the venue's).
        public var language: Language?
        /// Where the `[feed]` header stands, for messages.
        public var line: Int

        public init(name: String, url: String, format: FeedFormat, line: Int = 0) {
            self.name = name
            self.url = url
            self.format = format
            self.line = line
        }
    }

    /// `[feeds]`: settings shared by all sources.
    public struct Feeds: Sendable {
        /// After this long without any successful fetch the screen says "Hors ligne".
        public var offlineAfter: TimeInterval = 3 * 3600
    }

    /// `[state]`: where the database lives.
    public struct State: Sendable {
        /// `$STATE_DIRECTORY` from systemd wins over this when set, and `--state-dir` over
        /// both (`StateLocation`).
        public var directory = "/var/lib/kiosk"
    }

    /// `[log]`.
    public struct Log: Sendable {
        public enum Level: String, Sendable, CaseIterable, Comparable {
            case debug, info, notice, warning, error
            var rank: Int { Level.allCases.firstIndex(of: self)! }
            public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
        }
        public var level = Level.info
    }

    public var venue = Venue()
    public var screen = Screen()
    public var feeds: [Feed] = []
    public var feedSettings = Feeds()
    public var state = State()
    public var log = Log()
    /// `[reader]` and `[checkin]`: the badge reader and the check-in rules.
    public var checkIn = CheckInSettings()
    /// `[http]`: the staff API server (`KioskConfig+HTTP.swift`).
    public var http = HTTP()
    /// `[token "NAME"]`: who may call the staff API.
    public var tokens: [Token] = []
    /// The file this came from (for messages and reloads).
    public var path = "(defaults)"

    public init() {}
}
