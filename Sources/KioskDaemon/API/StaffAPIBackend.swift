import Foundation
import KioskCore

/// The staff pages' `StaffBackend` over the same `StaffDesk` and token table as the API:
/// a notice posted or a programme pushed from `/staff/` is validated, stored, audited and
/// shown exactly as one sent to `/api/v1/`.
public struct StaffAPIBackend: StaffBackend {
    public let desk: StaffDesk
    public let tokens: APITokenTable

    public init(desk: StaffDesk, tokens: APITokenTable) {
        self.desk = desk
        self.tokens = tokens
    }

    public func venue() async -> StaffVenue {
        let venue = desk.config.venue
        return StaffVenue(name: venue.name, language: venue.language, timeZone: venue.timeZone)
    }

    public func principal(forToken token: String) async -> StaffPrincipal? {
        guard let principal = tokens.principal(presenting: token) else { return nil }
        return StaffPrincipal(name: principal.name, role: principal.role == .maintainer ? .maintainer : .staff)
    }

    public func liveNotices(as principal: StaffPrincipal) async throws -> [Notice] {
        try await desk.notices(all: false, as: Self.principal(principal))
    }

    public func postNotice(_ draft: StaffNoticeDraft, as principal: StaffPrincipal) async throws -> Notice {
        let checked = try NoticeDraft(
            kind: draft.kind, title: draft.title, body: draft.body, author: draft.author, terms: draft.terms,
            deadline: draft.deadline, eventDate: draft.eventDate, expires: draft.expires, urgent: draft.urgent)
        return try await desk.createNotice(checked, as: Self.principal(principal))
    }

    public func withdrawNotice(id: String, as principal: StaffPrincipal) async throws -> Bool {
        try await desk.deleteNotice(id: id, as: Self.principal(principal))
    }

    public func pushProgramme(name: String, file: [UInt8], checkOnly: Bool, as principal: StaffPrincipal) async throws -> StaffProgrammeReport {
        let report = try await desk.pushProgramme(name: name, body: file, mediaType: nil, dryRun: checkOnly, as: Self.principal(principal))
        func problems(_ issues: [ProgrammePushReport.Issue]) -> [StaffProgrammeReport.Problem] {
            issues.map { StaffProgrammeReport.Problem(line: $0.line, message: $0.message) }
        }
        return StaffProgrammeReport(
            source: report.source, format: report.format ?? "", applied: report.applied, eventsRead: report.eventsRead,
            errors: problems(report.errors), warnings: problems(report.warnings))
    }

    public func screenText(as principal: StaffPrincipal) async throws -> String {
        try await desk.screen(as: Self.principal(principal)).text
    }

    static func principal(_ p: StaffPrincipal) -> Principal {
        Principal(name: p.name, role: p.role == .maintainer ? .maintainer : .staff)
    }
}
