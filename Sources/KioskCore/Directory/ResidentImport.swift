import Foundation

/// Reads a resident directory from CSV (header row naming the columns) or JSON (an array
/// of objects, or `{"residents": [...]}`), as staff export it from a spreadsheet.
///
/// Columns/keys: `name` (required), `kind` (entreprise, association, artiste, autre),
/// `sector`, `location`, `membership` (installed, associated), `summary`, `website`, `id`,
/// `logo` (a picture file's path, an http(s) URL, or `sha256:HASH` for a picture the kiosk
/// stores, as the residents list shows it; what it names is checked by the daemon,
/// `ResidentLogoImport`, and a bad one is a warning, never an error).
/// English kind names (company, artist, other) are accepted too. CSV is comma- or
/// semicolon-separated (a header with more `;` than `,` outside quotes: a spreadsheet
/// saved in a French locale), with or without a UTF-8 BOM, CRLF or LF.
public enum ResidentImport {
    /// One resident as read, with its `logo` cell as written and where it was read.
    public struct Entry: Sendable, Hashable {
        public var resident: Resident
        /// The `logo` cell, trimmed; empty when the column is absent or the cell empty.
        public var logo: String
        /// "line 4" (CSV: the line the record starts on) or "residents[3]" (JSON).
        public var location: String
    }

    /// A file that cannot be imported: where and why. A file with invalid rows is refused
    /// whole, and every invalid row is said at once (the first here, the others in
    /// `further`, up to `reportedRows`), so a spreadsheet is mended in one pass.
    public struct ImportError: Error, Sendable, Equatable, CustomStringConvertible {
        public var location: String
        public var message: String
        /// The invalid rows after this one, in file order, at most `reportedRows - 1`.
        public var further: [ImportError] = []
        /// Invalid rows beyond the `reportedRows` listed.
        public var unlisted = 0

        public init(location: String, message: String) {
            self.location = location
            self.message = message
        }

        /// This row and the further ones, each without its own list.
        public var rows: [ImportError] {
            [ImportError(location: location, message: message)] + further
        }

        /// "20 more invalid rows" when some were not listed.
        public var unlistedNote: String? {
            unlisted > 0 ? "\(unlisted) more invalid row\(unlisted == 1 ? "" : "s")" : nil
        }

        public var description: String {
            (rows.map { "\($0.location): \($0.message)" } + [unlistedNote].compactMap { $0 }).joined(separator: "\n")
        }
    }

    /// Invalid rows listed at most in one `ImportError`; past them they are only counted.
    public static let reportedRows = 50

    /// Collects the invalid rows of one file (see `ImportError`).
    struct RowErrors {
        private var first: ImportError?

        mutating func add(_ error: ImportError) {
            guard var gathered = first else {
                first = error
                return
            }
            if gathered.further.count < ResidentImport.reportedRows - 1 { gathered.further.append(error) } else { gathered.unlisted += 1 }
            first = gathered
        }

        func check() throws(ImportError) {
            if let first { throw first }
        }
    }

    public static func parse(_ data: Data) throws(ImportError) -> [Resident] {
        try entries(data).map(\.resident)
    }

    public static func parseCSV(_ text: String) throws(ImportError) -> [Resident] {
        try entriesCSV(text).map(\.resident)
    }

    public static func parseJSON(_ data: Data) throws(ImportError) -> [Resident] {
        try entriesJSON(data).map(\.resident)
    }

    /// The residents of a CSV or JSON document (told apart by content), with their logos.
    public static func entries(_ data: Data) throws(ImportError) -> [Entry] {
        let first = data.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) })
        if first == UInt8(ascii: "[") || first == UInt8(ascii: "{") { return try entriesJSON(data) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ImportError(location: "file", message: "not UTF-8 text")
        }
        return try entriesCSV(text)
    }

    public static func entriesCSV(_ text: String) throws(ImportError) -> [Entry] {
        let records: [(line: Int, fields: [String])]
        do { records = try CSV.parseRecords(text, separator: CSV.separator(guessedFrom: text)) } catch {
            throw ImportError(location: "line \(error.line)", message: error.message)
        }
        guard let header = records.first?.fields else { return [] }
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard columns.contains("name") || columns.contains("nom") else {
            throw ImportError(location: "line 1", message: "the header row must name a 'name' column")
        }
        var residents: [Entry] = []
        var errors = RowErrors()
        for (line, record) in records.dropFirst() {
            if record.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            var fields: [String: String] = [:]
            for (j, value) in record.enumerated() where j < columns.count { fields[columns[j]] = value }
            if record.count > columns.count {
                errors.add(ImportError(location: "line \(line)", message: "\(record.count) fields for \(columns.count) columns"))
                continue
            }
            do {
                residents.append(Entry(resident: try resident(from: fields, location: "line \(line)"), logo: logo(fields), location: "line \(line)"))
            } catch {
                errors.add(error)
            }
        }
        try errors.check()
        return residents
    }

    public static func entriesJSON(_ data: Data) throws(ImportError) -> [Entry] {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw ImportError(location: "JSON", message: "not valid JSON (\((error as NSError).localizedDescription))")
        }
        let items: [Any]
        if let array = object as? [Any] { items = array } else if let dict = object as? [String: Any], let array = dict["residents"] as? [Any] { items = array } else {
            throw ImportError(location: "JSON", message: "expected an array of residents or {\"residents\": [...]}")
        }
        var residents: [Entry] = []
        var errors = RowErrors()
        items: for (i, item) in items.enumerated() {
            guard let dict = item as? [String: Any] else {
                errors.add(ImportError(location: "residents[\(i)]", message: "expected an object"))
                continue
            }
            var fields: [String: String] = [:]
            for (k, v) in dict.sorted(by: { $0.key < $1.key }) {
                if let s = v as? String { fields[k.lowercased()] = s } else if v is NSNull { continue } else {
                    errors.add(ImportError(location: "residents[\(i)].\(k)", message: "expected a string"))
                    continue items
                }
            }
            do {
                residents.append(Entry(resident: try resident(from: fields, location: "residents[\(i)]"), logo: logo(fields), location: "residents[\(i)]"))
            } catch {
                errors.add(error)
            }
        }
        try errors.check()
        return residents
    }

    static func logo(_ fields: [String: String]) -> String {
        (fields["logo"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func resident(from f: [String: String], location: String) throws(ImportError) -> Resident {
        func value(_ keys: String...) -> String {
            for k in keys { if let v = f[k]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty { return v } }
            return ""
        }
        let name = value("name", "nom")
        guard !name.isEmpty else { throw ImportError(location: location, message: "the name is empty") }
        let kindText = value("kind", "type").lowercased()
        let kind: Resident.Kind
        switch kindText {
        case "", "entreprise", "company", "société": kind = .entreprise
        case "association", "asso": kind = .association
        case "artiste", "artist": kind = .artiste
        case "autre", "other": kind = .autre
        default: throw ImportError(location: location, message: "kind '\(kindText)' is not one of entreprise, association, artiste, autre")
        }
        let membershipText = value("membership", "membre").lowercased()
        let membership: Resident.Membership
        switch membershipText {
        case "", "installed", "installé", "installe": membership = .installed
        case "associated", "associé", "associe": membership = .associated
        default: throw ImportError(location: location, message: "membership '\(membershipText)' is not installed or associated")
        }
        let id = value("id")
        return Resident(
            id: id.isEmpty ? nil : id, name: name, kind: kind, sector: value("sector", "secteur"),
            location: value("location", "lieu", "emplacement"), membership: membership,
            summary: value("summary", "description"), website: value("website", "site"))
    }
}
