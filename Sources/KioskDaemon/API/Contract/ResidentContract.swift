import Foundation
import KioskCore

/// A resident structure of the directory (`GET /api/v1/residents`).
public struct ResidentBody: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    /// `entreprise`, `association`, `artiste`, `autre`.
    public var kind: String
    public var sector: String
    public var location: String
    /// `installed` or `associated`.
    public var membership: String
    public var summary: String
    public var website: String
    /// The logo as an import takes it back (`Resident.Logo.importCell`): its http(s) URL,
    /// or `sha256:<hash>` for a picture read from a file at import; empty: none. Absent
    /// from the answers of kiosks before it (read as empty).
    public var logo: String

    public init(_ r: Resident) {
        id = r.id
        name = r.name
        kind = r.kind.rawValue
        sector = r.sector
        location = r.location
        membership = r.membership.rawValue
        summary = r.summary
        website = r.website
        logo = r.logo?.importCell ?? ""
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        kind = try c.decode(String.self, forKey: .kind)
        sector = try c.decode(String.self, forKey: .sector)
        location = try c.decode(String.self, forKey: .location)
        membership = try c.decode(String.self, forKey: .membership)
        summary = try c.decode(String.self, forKey: .summary)
        website = try c.decode(String.self, forKey: .website)
        logo = try c.decodeIfPresent(String.self, forKey: .logo) ?? ""
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case id, name, kind, sector, location, membership, summary, website, logo }
}

/// `GET /api/v1/residents`.
public struct ResidentList: APIBody, Hashable {
    public var residents: [ResidentBody]
    public init(residents: [ResidentBody]) { self.residents = residents }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: ["residents"])
        residents = try decoder.container(keyedBy: CodingKeys.self).decode([ResidentBody].self, forKey: .residents)
    }
}

/// The answer to a residents import (`POST /api/v1/residents`): `200` applied, `422`
/// refused (nothing changed) with every invalid row (`ResidentImport.ImportError`).
public struct ResidentImportReport: APIBody, Hashable {
    public var added = 0
    public var updated = 0
    public var removed = 0
    /// Why the file was refused; empty when applied.
    public var errors: [ProgrammePushReport.Issue] = []
    /// What was applied with a loss: a logo left out (the resident is kept without it).
    public var warnings: [ProgrammePushReport.Issue] = []

    public init() {}

    public var applied: Bool { errors.isEmpty }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        added = try c.decode(Int.self, forKey: .added)
        updated = try c.decode(Int.self, forKey: .updated)
        removed = try c.decode(Int.self, forKey: .removed)
        errors = try c.decode([ProgrammePushReport.Issue].self, forKey: .errors)
        warnings = try c.decodeIfPresent([ProgrammePushReport.Issue].self, forKey: .warnings) ?? []
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case added, updated, removed, errors, warnings }
}
