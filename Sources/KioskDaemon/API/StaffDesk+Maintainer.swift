import Foundation
import KioskCore
import KioskStore

extension StaffDesk {
    // MARK: Residents (maintainer)

    public func residents(as principal: Principal) async throws -> [Resident] {
        try require(.maintainer, principal)
        return try await onQueue { store in try store.residents.all() }
    }

    /// Imports a directory in the formats of `kioskctl residents import`: CSV
    /// (`text/csv`) or JSON (`application/json`); nil media type: told apart by content.
    /// With `replace`, residents missing from the file are removed. A file with any
    /// invalid row changes nothing.
    public func importResidents(_ body: [UInt8], mediaType: String?, replace: Bool, as principal: Principal) async throws -> ResidentImportReport {
        try require(.maintainer, principal)
        if let mediaType, mediaType != "text/csv", mediaType != "application/json" {
            throw HTTPError(.unsupportedMediaType, "residents are text/csv or application/json, not \(mediaType)")
        }
        let actor = principal.name, now = clock.now()
        let report = try await onQueue { store -> ResidentImportReport in
            var report = ResidentImportReport()
            let entries: [ResidentImport.Entry]
            do {
                switch mediaType {
                case "text/csv":
                    guard let text = String(validating: body, as: UTF8.self) else {
                        report.errors = [.init(message: "the file is not UTF-8 text")]
                        return report
                    }
                    entries = try ResidentImport.entriesCSV(text)
                case "application/json": entries = try ResidentImport.entriesJSON(Data(body))
                default: entries = try ResidentImport.entries(Data(body))
                }
            } catch let error as ResidentImport.ImportError {
                report.errors = Self.issues(error)
                return report
            }
            // An upload names no files on the kiosk: logo URLs only (fetched by
            // `ResidentLogoFetcher`); a path is a warning and the resident is kept.
            let (residents, logoWarnings) = ResidentLogoImport(baseDirectory: nil, source: "upload", files: store.pictureFiles).residents(entries)
            report.warnings = logoWarnings.map { .init(line: $0.line, message: $0.line == nil ? $0.description : $0.message) }
            try store.database.transaction {
                if replace {
                    let summary = try store.residents.replaceAll(residents, at: now)
                    (report.added, report.updated, report.removed) = (summary.inserted, summary.updated, summary.deleted)
                } else {
                    var seen = Set<String>()
                    for resident in residents {
                        let isNew = try store.residents.get(id: resident.id) == nil && !seen.contains(resident.id)
                        seen.insert(resident.id)
                        try store.residents.upsert(resident, at: now)
                        if isNew { report.added += 1 } else { report.updated += 1 }
                    }
                }
                try store.audit.record(
                    actor: actor, action: "residents.import",
                    detail: "\(residents.count) rows: \(report.added) added, \(report.updated) updated, \(report.removed) removed\(replace ? " (replace)" : "")",
                    at: now)
            }
            // Logos no resident names any more go, records and files, once the import is
            // committed (a failure here is retried by the logo fetcher's next collection).
            _ = try? store.collectUnusedPictures()
            return report
        }
        if report.applied {
            logger.info("staff API: \(actor) imported residents (\(report.added) added, \(report.updated) updated, \(report.removed) removed)")
            await storeChanged()
        }
        return report
    }

    /// Every invalid row of a refused import, and how many more were not listed.
    static func issues(_ error: ResidentImport.ImportError) -> [ProgrammePushReport.Issue] {
        error.rows.map(issue) + [error.unlistedNote].compactMap { $0.map { .init(message: $0) } }
    }

    /// A `line 4` location becomes a line number; others stay in the message.
    static func issue(_ error: ResidentImport.ImportError) -> ProgrammePushReport.Issue {
        if error.location.hasPrefix("line "), let line = Int(error.location.dropFirst("line ".count)) {
            return .init(line: line, message: error.message)
        }
        return .init(message: "\(error.location): \(error.message)")
    }

    // MARK: Check-in (maintainer)

    /// Who is in the building now (the evacuation list).
    public func presence(as principal: Principal) async throws -> [PresenceEntry] {
        try require(.maintainer, principal)
        let now = clock.now()
        return try await onQueue { store in try store.checkIns.presence(at: now) }
    }

    /// Today in the venue's zone.
    public var today: CivilDate { CivilDate(clock.now(), in: config.venue.timeZone) }

    // MARK: Audit (maintainer)

    public func auditEntries(limit: Int, as principal: Principal) async throws -> [AuditLog.Entry] {
        try require(.maintainer, principal)
        return try await onQueue { store in try store.audit.entries(limit: limit) }
    }

}
