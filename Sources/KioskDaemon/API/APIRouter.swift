import Foundation
import KioskCore
import KioskStore

/// Answers the staff API (`/api/v1/...`), `/healthz` and the open-data feeds
/// (`/feeds/programme.ics`, `/feeds/programme.json`) as docs/api.md describes them, and
/// hands `/staff` and `/staff/...` to the staff pages.
///
/// Order of checks for a request: path (404), method (405 with `Allow`), bearer token
/// (401 with `WWW-Authenticate`), role (403), media type (415), body (400 when it cannot
/// be read, 422 when it is read but invalid). Every error is the JSON body of
/// `HTTPError`. The router holds no state of its own besides the token table, which a
/// configuration reload replaces.
public struct APIRouter: HTTPHandler {
    public let desk: StaffDesk
    public let tokens: APITokenTable
    /// `/staff` and everything under it; nil answers 404 there.
    public let staffPages: (any HTTPHandler)?
    let logger: JournalLogger

    public init(desk: StaffDesk, tokens: APITokenTable, staffPages: (any HTTPHandler)? = nil, logger: JournalLogger) {
        self.desk = desk
        self.tokens = tokens
        self.staffPages = staffPages
        self.logger = logger
    }

    /// `WWW-Authenticate` of every 401 (RFC 6750 section 3).
    public static let authenticateChallenge = "Bearer realm=\"kiosk\""
    /// `Cache-Control` of the open-data feeds.
    public static let feedCacheControl = "public, max-age=300"

    /// A configuration reload: new tokens, new venue settings.
    public func apply(_ config: KioskConfig) {
        tokens.replace(with: config.tokens)
        desk.apply(config)
    }

    public func respond(to request: HTTPRequest, from peer: HTTPPeer) async throws -> HTTPResponse {
        guard let segments = request.pathSegments else { throw HTTPError(.badRequest, "the path is not correctly percent-encoded") }
        // Two credentials: which one counts would depend on the component reading them (a
        // proxy and we could disagree), so neither does (RFC 9110 section 5.3 allows a
        // field to repeat only when it is a list; Authorization is not).
        if request.headers.values("Authorization").count > 1 {
            throw HTTPError(.badRequest, "more than one Authorization header; send one")
        }
        if segments.first == "staff", let staffPages {
            return try await staffPages.respond(to: request, from: peer)
        }
        do {
            return try await route(request, segments: segments)
        } catch let error as DatabaseError where error.code.primary == .busy || error.code.primary == .locked {
            logger.warning("staff API: \(request.method) \(request.path): database busy: \(error)")
            throw HTTPError(.serviceUnavailable, "the database is busy; try again", headers: ["Retry-After": "1"])
        }
    }

    // MARK: Routing

    private func route(_ request: HTTPRequest, segments: [String]) async throws -> HTTPResponse {
        switch segments {
        case ["healthz"]:
            try allow(request, [.get])
            return await health()
        case ["feeds", "programme.ics"]:
            try allow(request, [.get])
            return try await feed(.iCalendar, request)
        case ["feeds", "programme.json"]:
            try allow(request, [.get])
            return try await feed(.jsonLD, request)
        default:
            break
        }
        if segments.first == "staff" { throw HTTPError(.notFound, "the staff pages are not available") }
        guard (3...4).contains(segments.count), segments[0] == "api", segments[1] == "v1" else {
            throw HTTPError(.notFound, "no such resource: \(request.path.prefix(200))")
        }
        let item: String? = segments.count == 4 ? segments[3] : nil
        switch (segments[2], item) {
        case ("programme", nil):
            try allow(request, [.get])
            let principal = try authenticate(request)
            let sources = try await desk.programmeSources(as: principal)
            return APIJSON.response(["sources": sources.map(StaffDesk.json)])
        case ("programme", let name?):
            try allow(request, [.put, .delete])
            let principal = try authenticate(request)
            if request.method == .delete {
                guard try await desk.removeProgramme(name: name, as: principal) else {
                    throw HTTPError(.notFound, "no pushed programme named '\(name.prefix(60))'")
                }
                return HTTPResponse(status: .noContent)
            }
            let query = try queryFields(request)
            let report = try await desk.pushProgramme(
                name: name, body: request.body, mediaType: try mediaType(request), dryRun: try flag(query, "dry-run"), as: principal)
            return APIJSON.response(report.json, status: report.errors.isEmpty ? .ok : .unprocessableContent)
        case ("notices", nil):
            try allow(request, [.get, .post])
            let principal = try authenticate(request)
            if request.method == .post {
                let draft = try await noticeDraft(request)
                let notice = try await desk.createNotice(draft, as: principal)
                var response = APIJSON.response(StaffDesk.json(notice), status: .created)
                response.headers.set("Location", "/api/v1/notices/" + PercentEncoding.encode(notice.id))
                return response
            }
            let notices = try await desk.notices(all: try flag(try queryFields(request), "all"), as: principal)
            return APIJSON.response(["notices": notices.map(StaffDesk.json)])
        case ("posters", let id):
            try allow(request, id == nil ? [.get, .post] : [.get, .delete])
            let principal = try authenticate(request)
            return try await PosterRoutes(desk: desk).respond(
                request, item: id, principal: principal, query: try queryFields(request), mediaType: try mediaType(request))
        case ("notices", let id?):
            try allow(request, [.get, .put, .delete])
            let principal = try authenticate(request)
            let missing = HTTPError(.notFound, "no notice '\(id.prefix(60))'")
            switch request.method {
            case .delete:
                guard try await desk.deleteNotice(id: id, as: principal) else { throw missing }
                return HTTPResponse(status: .noContent)
            case .put:
                let draft = try await noticeDraft(request)
                guard let notice = try await desk.replaceNotice(id: id, with: draft, as: principal) else { throw missing }
                return APIJSON.response(StaffDesk.json(notice))
            default:
                guard let notice = try await desk.notice(id: id, as: principal) else { throw missing }
                return APIJSON.response(StaffDesk.json(notice))
            }
        case ("residents", nil):
            try allow(request, [.get, .post])
            let principal = try authenticate(request)
            if request.method == .post {
                let replace = try flag(try queryFields(request), "replace")
                let report = try await desk.importResidents(request.body, mediaType: try mediaType(request), replace: replace, as: principal)
                return APIJSON.response(report.json, status: report.applied ? .ok : .unprocessableContent)
            }
            return APIJSON.response(["residents": try await desk.residents(as: principal).map(StaffDesk.json)])
        case ("presence", nil):
            try allow(request, [.get])
            let principal = try authenticate(request)
            return APIJSON.response(["present": try await desk.presence(as: principal).map(StaffDesk.json)])
        case ("attendance", nil):
            try allow(request, [.get])
            return try await attendance(request, principal: try authenticate(request))
        case ("screen", nil):
            try allow(request, [.get])
            let principal = try authenticate(request)
            let format = try queryFields(request)["format"] ?? "text"
            guard format == "text" || format == "json" else { throw HTTPError(.badRequest, "format must be text or json") }
            let screen = try await desk.screen(as: principal)
            return format == "json" ? APIJSON.response(StaffDesk.json(screen.model)) : .text(screen.text)
        case ("audit", nil):
            try allow(request, [.get])
            let principal = try authenticate(request)
            let limitText = try queryFields(request)["limit"] ?? "100"
            guard let limit = Int(limitText), (1...1000).contains(limit) else { throw HTTPError(.badRequest, "limit must be a number from 1 to 1000") }
            return APIJSON.response(["entries": try await desk.auditEntries(limit: limit, as: principal).map(StaffDesk.json)])
        default:
            throw HTTPError(.notFound, "no such resource: \(request.path.prefix(200))")
        }
    }

    // MARK: Endpoints

    private func health() async -> HTTPResponse {
        let report = await desk.health()
        if let problem = report.problem { logger.error("healthz: the store cannot be read: \(problem)") }
        var response = APIJSON.response(report.json, status: report.storeReadable ? .ok : .serviceUnavailable)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    private func feed(_ format: ProgrammeExportFormat, _ request: HTTPRequest) async throws -> HTTPResponse {
        let export = try await desk.exportProgramme(format)
        // Open data: a partner's web page on any origin may read the feeds (no credentials
        // are involved: they are public).
        let headers: HTTPHeaders = ["ETag": export.etag, "Cache-Control": Self.feedCacheControl, "Access-Control-Allow-Origin": "*"]
        if Self.noneMatch(request.headers.listValues("If-None-Match"), etag: export.etag) {
            return HTTPResponse(status: .notModified, headers: headers)
        }
        var response = HTTPResponse(status: .ok, headers: headers, body: export.body)
        response.headers.set("Content-Type", export.contentType)
        return response
    }

    private func attendance(_ request: HTTPRequest, principal: Principal) async throws -> HTTPResponse {
        let query = try queryFields(request)
        func day(_ name: String) throws(HTTPError) -> CivilDate? {
            guard let text = query[name] else { return nil }
            guard let date = CivilDate(iso: text) else { throw HTTPError(.badRequest, "\(name) must be a day YYYY-MM-DD") }
            return date
        }
        let today = desk.today
        let from = try day("from") ?? today
        let to = try day("to") ?? from
        guard from <= to else { throw HTTPError(.badRequest, "from must not be after to") }
        guard to.dayNumber - from.dayNumber <= 3660 else { throw HTTPError(.badRequest, "at most ten years at a time") }
        let byText = query["by"] ?? "day"
        guard let grouping = AttendanceGrouping(rawValue: byText) else {
            throw HTTPError(.badRequest, "by must be one of \(AttendanceGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let rows = try await desk.attendance(from: from, through: to, by: grouping, as: principal)
        let body = try await desk.offPool { () throws -> [UInt8] in
            let rows = try JSONSerialization.jsonObject(with: try AttendanceReport.json(rows, groupedBy: grouping))
            return APIJSON.encode(["from": from.description, "to": to.description, "by": grouping.rawValue, "rows": rows])
        }
        return HTTPResponse(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: body)
    }

    // MARK: Request pieces

    /// Throws 405 unless the method is one of `methods` (HEAD goes with GET).
    private func allow(_ request: HTTPRequest, _ methods: [HTTPMethod]) throws(HTTPError) {
        var allowed = methods
        if methods.contains(.get) { allowed.insert(.head, at: allowed.firstIndex(of: .get)! + 1) }
        let method = request.method == .head && methods.contains(.get) ? HTTPMethod.head : request.method
        guard allowed.contains(method) else { throw HTTPError.methodNotAllowed(request.method, allowed: allowed) }
    }

    /// The principal of the request's bearer token, or 401.
    private func authenticate(_ request: HTTPRequest) throws(HTTPError) -> Principal {
        let header = request.headers["Authorization"]
        guard let principal = tokens.principal(authorization: header) else {
            let reason = header == nil ? "this needs a token: Authorization: Bearer TOKEN" : "the token is not valid"
            throw HTTPError(.unauthorized, reason, headers: ["WWW-Authenticate": Self.authenticateChallenge])
        }
        return principal
    }

    private func queryFields(_ request: HTTPRequest) throws(HTTPError) -> HTTPFormFields {
        guard let fields = request.queryFields else { throw HTTPError(.badRequest, "the query string is not correctly percent-encoded") }
        return fields
    }

    /// A yes/no query parameter: absent, `0`, `false`, `no` are false; `1`, `true`, `yes`
    /// and an empty value (`?all`) are true.
    private func flag(_ fields: HTTPFormFields, _ name: String) throws(HTTPError) -> Bool {
        guard let value = fields[name]?.lowercased() else { return false }
        switch value {
        case "", "1", "true", "yes": return true
        case "0", "false", "no": return false
        default: throw HTTPError(.badRequest, "\(name) must be 1 or 0")
        }
    }

    /// The media type of `Content-Type`, lowercased, without parameters; nil when absent.
    private func mediaType(_ request: HTTPRequest) throws(HTTPError) -> String? {
        guard let value = request.headers["Content-Type"] else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard type.split(separator: "/").count == 2 else { throw HTTPError(.badRequest, "Content-Type '\(value.prefix(60))' is not a media type") }
        return type
    }

    /// A notice from a JSON body (`application/json`, or no Content-Type), decoded off the
    /// cooperative pool (a body may be as large as `[http] max-body`).
    private func noticeDraft(_ request: HTTPRequest) async throws -> NoticeDraft {
        if let type = try mediaType(request), type != "application/json" {
            throw HTTPError(.unsupportedMediaType, "a notice is application/json, not \(type)")
        }
        let body = request.body, zone = desk.config.venue.timeZone
        return try await desk.offPool { try NoticeDraft.parse(try APIJSON.object(from: body), timeZone: zone) }
    }

    /// Whether `If-None-Match` matches `etag` (RFC 9110 section 13.1.2: weak comparison, `*`
    /// matches any current representation).
    static func noneMatch(_ conditions: [String], etag: String) -> Bool {
        let opaque = { (tag: String) in tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag }
        return conditions.contains { $0 == "*" || opaque($0) == opaque(etag) }
    }
}
