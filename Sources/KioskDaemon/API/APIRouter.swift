import Foundation
import KioskCore
import KioskStore

/// Answers the staff API (`/api/v1/...`), `/healthz` and the open-data feeds
/// (`/feeds/programme.ics`, `/feeds/programme.json`) as docs/api.md describes them, and
/// hands `/staff` and `/staff/...` to the staff pages.
///
/// Routes are a table (`APIRoute`): each area adds its own in a file of its own
/// (`APIRouter+Routes.swift` holds the core; a new resource appends its list to
/// `APIRouter.routes`). Order of checks for a request: path (404), method (405 with
/// `Allow`), bearer token (401 with `WWW-Authenticate`; 429 after too many wrong tokens
/// from one address), role (403), then the route itself: media type (415), body (400
/// when it cannot be read, 422 when it is read but invalid). Every error is the JSON body
/// of `HTTPError` (`APIErrorBody`). Bodies are the `Codable` types of `Contract/`.
public struct APIRouter: HTTPHandler {
    public let desk: StaffDesk
    public let tokens: APITokenTable
    /// Wrong tokens per client address (shared with the staff page's sign-in form).
    public let throttle: SignInThrottle
    /// `/staff` and everything under it; nil answers 404 there.
    public let staffPages: (any HTTPHandler)?
    let logger: JournalLogger

    public init(
        desk: StaffDesk, tokens: APITokenTable, throttle: SignInThrottle = SignInThrottle(), staffPages: (any HTTPHandler)? = nil,
        logger: JournalLogger
    ) {
        self.desk = desk
        self.tokens = tokens
        self.throttle = throttle
        self.staffPages = staffPages
        self.logger = logger
    }

    /// `WWW-Authenticate` of every 401 (RFC 6750 section 3).
    public static let authenticateChallenge = "Bearer realm=\"kiosk\""
    /// `Cache-Control` of the open-data feeds.
    public static let feedCacheControl = "public, max-age=300"

    /// Every route of the API, the public endpoints and the feeds.
    static let routes: [APIRoute] = coreRoutes + alertRoutes + posterRoutes

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
        if segments.first == "staff" {
            guard let staffPages else { throw HTTPError(.notFound, "the staff pages are not available") }
            return try await staffPages.respond(to: request, from: peer)
        }
        do {
            return try await route(request, segments: segments, peer: peer)
        } catch let error as DatabaseError where error.code.primary == .busy || error.code.primary == .locked {
            logger.warning("staff API: \(request.method) \(request.path): database busy: \(error)")
            throw HTTPError(.serviceUnavailable, "the database is busy; try again", headers: ["Retry-After": "1"])
        }
    }

    /// Errors about unfinished requests to `/staff/...` are pages in the venue's language
    /// (a coordinator's upload over the size limit); elsewhere the JSON error.
    public func framingErrorResponse(_ error: HTTPError, target: String?) -> HTTPResponse? {
        guard let target, let staffPages, HTTPRequest(method: .get, target: target).path.hasPrefix("/staff") else { return nil }
        return staffPages.framingErrorResponse(error, target: target)
    }

    private func route(_ request: HTTPRequest, segments: [String], peer: HTTPPeer) async throws -> HTTPResponse {
        guard let (route, parameters) = Self.routes.lazy.compactMap({ r in r.match(segments).map { (r, $0) } }).first else {
            throw HTTPError(.notFound, "no such resource: \(request.path.prefix(200))")
        }
        try Self.allow(request, route.methods)
        var principal: Principal?
        if let role = route.role {
            let who = try authenticate(request, peer: peer)
            guard who.may(role) else {
                throw HTTPError(.forbidden, "token \"\(who.name)\" has the \(who.role.rawValue) role; this needs \(role.rawValue)")
            }
            principal = who
        }
        return try await route.handle(self, APIRequest(http: request, parameters: parameters, principal: principal))
    }

    // MARK: Request pieces

    /// Throws 405 unless the method is one of `methods` (HEAD goes with GET).
    static func allow(_ request: HTTPRequest, _ methods: [HTTPMethod]) throws(HTTPError) {
        var allowed = methods
        if methods.contains(.get), !methods.contains(.head) { allowed.insert(.head, at: allowed.firstIndex(of: .get)! + 1) }
        guard allowed.contains(request.method) else { throw HTTPError.methodNotAllowed(request.method, allowed: allowed) }
    }

    /// The principal of the request's bearer token, or 401; 429 while the address is
    /// blocked for too many wrong tokens (logged at warning with the address, never the
    /// token).
    private func authenticate(_ request: HTTPRequest, peer: HTTPPeer) throws(HTTPError) -> Principal {
        let header = request.headers["Authorization"]
        let challenge: HTTPHeaders = ["WWW-Authenticate": Self.authenticateChallenge]
        guard let header else { throw HTTPError(.unauthorized, "this needs a token: Authorization: Bearer TOKEN", headers: challenge) }
        let now = desk.clock.now(), address = peer.host
        if case .blocked(let seconds) = throttle.check(address, now: now) {
            throw HTTPError(
                .tooManyRequests, "too many wrong tokens from \(address); try again in \(seconds) s", headers: ["Retry-After": String(seconds)])
        }
        guard let principal = tokens.principal(authorization: header) else {
            let (recent, blocked) = throttle.recordFailure(address, now: now)
            logger.warning("staff API: wrong token from \(address) for \(request.method) \(request.path.prefix(80)) (\(recent) in the last minute)"
                + (blocked.map { "; \(address) blocked for \($0) s" } ?? ""))
            throw HTTPError(.unauthorized, "the token is not valid", headers: challenge)
        }
        return principal
    }

    /// Whether `If-None-Match` matches `etag` (RFC 9110 section 13.1.2: weak comparison, `*`
    /// matches any current representation).
    static func noneMatch(_ conditions: [String], etag: String) -> Bool {
        let opaque = { (tag: String) in tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag }
        return conditions.contains { $0 == "*" || opaque($0) == opaque(etag) }
    }
}

/// One entry of the router's table: a path pattern, its methods, the role it needs, and
/// what answers it.
public struct APIRoute: Sendable {
    /// Path segments; `{}` matches any one segment, handed to `handle` in order.
    public var path: [String]
    public var methods: [HTTPMethod]
    /// The least role of the bearer token; nil: public (no token).
    public var role: APIRole?
    public var handle: @Sendable (APIRouter, APIRequest) async throws -> HTTPResponse

    public init(
        _ path: String, _ methods: [HTTPMethod], role: APIRole?, handle: @escaping @Sendable (APIRouter, APIRequest) async throws -> HTTPResponse
    ) {
        self.path = path.split(separator: "/").map(String.init)
        self.methods = methods
        self.role = role
        self.handle = handle
    }

    /// The `{}` segments when `segments` match; nil otherwise.
    func match(_ segments: [String]) -> [String]? {
        guard segments.count == path.count else { return nil }
        var parameters: [String] = []
        for (pattern, segment) in zip(path, segments) {
            if pattern == "{}" {
                guard !segment.isEmpty else { return nil }
                parameters.append(segment)
            } else if pattern != segment {
                return nil
            }
        }
        return parameters
    }
}

/// A request as a route sees it: the HTTP request, the path's `{}` segments, and the
/// authenticated principal (nil on public routes).
public struct APIRequest: Sendable {
    public var http: HTTPRequest
    public var parameters: [String]
    public var principal: Principal?

    /// The principal of a route that has a role (the router checked it).
    public var caller: Principal {
        get throws(HTTPError) {
            guard let principal else { throw HTTPError(.unauthorized, "this needs a token") }
            return principal
        }
    }

    public func query() throws(HTTPError) -> HTTPFormFields {
        guard let fields = http.queryFields else { throw HTTPError(.badRequest, "the query string is not correctly percent-encoded") }
        return fields
    }

    /// A yes/no query parameter: absent, `0`, `false`, `no` are false; `1`, `true`, `yes`
    /// and an empty value (`?all`) are true.
    public func flag(_ name: String) throws(HTTPError) -> Bool {
        guard let value = try query()[name]?.lowercased() else { return false }
        switch value {
        case "", "1", "true", "yes": return true
        case "0", "false", "no": return false
        default: throw HTTPError(.badRequest, "\(name) must be 1 or 0")
        }
    }

    /// The media type of `Content-Type`, lowercased, without parameters; nil when absent.
    public func mediaType() throws(HTTPError) -> String? {
        guard let value = http.headers["Content-Type"] else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard type.split(separator: "/").count == 2 else { throw HTTPError(.badRequest, "Content-Type '\(value.prefix(60))' is not a media type") }
        return type
    }

    /// A JSON request body of type `T` (`application/json`, or no Content-Type): 415 for
    /// another type, 400/422 as `APIContract.decodeRequest` says.
    public func body<T: Decodable & Sendable>(_ type: T.Type, desk: StaffDesk) async throws -> T {
        if let type = try mediaType(), type != "application/json" {
            throw HTTPError(.unsupportedMediaType, "this takes application/json, not \(type)")
        }
        let bytes = http.body
        // Off the cooperative pool: a body may be as large as `[http] max-body`.
        return try await desk.offPool { try APIContract.decodeRequest(T.self, from: bytes) }
    }
}

extension HTTPPeer {
    /// The address without its port: what per-client limits count.
    public var host: String {
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<close])
        }
        guard let colon = address.lastIndex(of: ":") else { return address }
        return String(address[..<colon])
    }
}
