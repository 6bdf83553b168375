import Foundation

/// A structure of the venue's *pépinière*: company, association, artist or other.
public struct Resident: Sendable, Hashable, Codable, Identifiable {
    /// What kind of structure it is (French terms as the venues use them).
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case entreprise, association, artiste, autre
    }

    /// Installed in the building, or an associated member elsewhere in the city.
    public enum Membership: String, Sendable, Hashable, Codable, CaseIterable {
        case installed, associated
    }

    /// Where the resident's logo comes from (the directory import's `logo` column).
    public enum Logo: Sendable, Hashable, Codable {
        /// An http(s) URL, fetched by the daemon's feed helper and stored by content hash.
        case url(String)
        /// A picture file read at import, stored by content hash (`<state>/pictures/<hash>`).
        case stored(hash: String)

        /// The logo as a directory import's `logo` cell that gives it back: the URL, or
        /// `sha256:<hash>` for a stored picture (a path read at import is not kept; the
        /// picture itself is, and an import on the same kiosk takes it by its hash).
        public var importCell: String {
            switch self {
            case .url(let url): return url
            case .stored(let hash): return Self.storedPrefix + hash
            }
        }

        /// What `importCell` puts before a stored picture's hash.
        public static let storedPrefix = "sha256:"
    }

    /// Stable identifier (a slug of the name unless the import gives one).
    public var id: String
    public var name: String
    public var kind: Kind
    /// Activity sector ("Audiovisuel", "Design graphique", "Spectacle vivant").
    public var sector: String
    /// Where in the building ("Bât. B, 2e étage, bureau 12"); empty for associated members.
    public var location: String
    public var membership: Membership
    public var summary: String
    public var website: String
    /// The logo, or nil: none (the column absent or empty, or a file that could not be used).
    public var logo: Logo?

    public init(
        id: String? = nil, name: String, kind: Kind = .entreprise, sector: String = "",
        location: String = "", membership: Membership = .installed, summary: String = "",
        website: String = "", logo: Logo? = nil
    ) {
        self.id = id ?? Resident.slug(name)
        self.name = name
        self.kind = kind
        self.sector = sector
        self.location = location
        self.membership = membership
        self.summary = summary
        self.website = website
        self.logo = logo
    }

    /// Lower-case ASCII slug of a name ("L'arbre Noir" -> "l-arbre-noir").
    public static func slug(_ name: String) -> String {
        let folded = Resident.fold(name)
        var out = ""
        var lastDash = true
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                out.unicodeScalars.append(scalar)
                lastDash = false
            } else if !lastDash {
                out.append("-")
                lastDash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "resident" : out
    }

    /// Key that sorts names the way a French reader expects (accents and case ignored).
    public var sortKey: String { Resident.fold(name) }

    /// `name` without accents, in lower case. Without a locale: creating `Locale("fr_FR")`
    /// makes Foundation load ICU's data (about 0.6 MB of the daemon's pages), and for French
    /// the folding is the same (only Turkish, Azeri and Lithuanian case rules differ).
    static func fold(_ name: String) -> String {
        name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
    }
}
