import Foundation
import KioskCore

/// What the staff pages need from the rest of the daemon: token checks, notices, programme
/// pushes and the screen text, each done on behalf of a signed-in principal (whose name
/// goes into the audit log).
///
/// The pages hold no store of their own; the daemon passes the API service here (see
/// `StaffAPIBackend`), tests pass a fake. Errors thrown as `HTTPError` with a 4xx status
/// are shown to the user with their reason; any other error shows a generic message.
public protocol StaffBackend: Sendable {
    /// The venue's name, language and time zone, read on every page (they follow a reload).
    func venue() async -> StaffVenue
    /// The principal `token` belongs to, or nil when no configured token matches.
    func principal(forToken token: String) async -> StaffPrincipal?
    /// The notices shown now, most urgent first as the screen orders them.
    func liveNotices(as principal: StaffPrincipal) async throws -> [Notice]
    /// Stores a new notice (id and posting time chosen by the backend).
    func postNotice(_ draft: StaffNoticeDraft, as principal: StaffPrincipal) async throws -> Notice
    /// Removes a notice; false when there was none with that id.
    func withdrawNotice(id: String, as principal: StaffPrincipal) async throws -> Bool
    /// Validates a programme file and, unless `checkOnly`, makes it the source
    /// `push:NAME` (all its events or none).
    func pushProgramme(name: String, file: [UInt8], checkOnly: Bool, as principal: StaffPrincipal) async throws -> StaffProgrammeReport
    /// What the lobby screen shows now, as plain text (the terminal rendering).
    func screenText(as principal: StaffPrincipal) async throws -> String
    /// Whether `screenImage` can draw (the page links the picture only then).
    func drawsScreenImage() async -> Bool
    /// The lobby now as a PNG picture, or nil when this kiosk cannot draw one.
    func screenImage(as principal: StaffPrincipal) async throws -> [UInt8]?
}

extension StaffBackend {
    /// Backends draw no picture unless they say otherwise.
    public func drawsScreenImage() async -> Bool { false }
    public func screenImage(as principal: StaffPrincipal) async throws -> [UInt8]? { nil }
}

/// The venue facts a page is written with.
public struct StaffVenue: Sendable, Hashable {
    public var name: String
    public var language: Language
    public var timeZone: TimeZone

    public init(name: String, language: Language, timeZone: TimeZone) {
        self.name = name
        self.language = language
        self.timeZone = timeZone
    }
}

/// Who signed in: the token's name (written in the audit log) and its role.
public struct StaffPrincipal: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable {
        case staff, maintainer
    }
    public var name: String
    public var role: Role

    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }
}

/// A notice as the form describes it, already checked field by field by the page.
public struct StaffNoticeDraft: Sendable, Hashable {
    public var kind: Notice.Kind
    public var title: String
    public var body: String
    public var author: String
    public var terms: Notice.Terms?
    public var deadline: CivilDate?
    public var eventDate: CivilDate?
    /// End of the display period (the page computes it from "shown for N days").
    public var expires: Date
    public var urgent: Bool

    public init(
        kind: Notice.Kind, title: String, body: String = "", author: String = "", terms: Notice.Terms? = nil,
        deadline: CivilDate? = nil, eventDate: CivilDate? = nil, expires: Date, urgent: Bool = false
    ) {
        self.kind = kind
        self.title = title
        self.body = body
        self.author = author
        self.terms = terms
        self.deadline = deadline
        self.eventDate = eventDate
        self.expires = expires
        self.urgent = urgent
    }
}

/// The validation report of a programme push, as the API answers it.
public struct StaffProgrammeReport: Sendable, Hashable {
    /// One problem in the file; `line` is nil when the format has no lines to point at.
    public struct Problem: Sendable, Hashable {
        public var line: Int?
        public var message: String
        public init(line: Int?, message: String) {
            self.line = line
            self.message = message
        }
    }
    public var source: String
    public var format: String
    public var applied: Bool
    public var eventsRead: Int
    public var errors: [Problem]
    public var warnings: [Problem]

    public init(source: String, format: String, applied: Bool, eventsRead: Int, errors: [Problem] = [], warnings: [Problem] = []) {
        self.source = source
        self.format = format
        self.applied = applied
        self.eventsRead = eventsRead
        self.errors = errors
        self.warnings = warnings
    }
}
