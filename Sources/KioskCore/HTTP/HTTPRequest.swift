/// A complete HTTP/1.x request as `HTTPRequestParser` delivers it: head, whole body
/// (de-chunked), trailers, and whether the connection may carry another request.
public struct HTTPRequest: Sendable, Hashable {
    public var method: HTTPMethod
    /// The request-target exactly as sent (origin-form `/path?query`, `*`, or absolute-form).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// The content, after removing chunked framing. Empty when there is none.
    public var body: [UInt8]
    /// Trailer fields of a chunked body (RFC 9112 section 7.1.2), kept apart from `headers`.
    public var trailers: HTTPHeaders
    /// False when the client asked to close (`Connection: close`) or spoke HTTP/1.0 without
    /// `Connection: keep-alive` (RFC 9112 section 9.3).
    public var keepAlive: Bool

    public init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [], trailers: HTTPHeaders = HTTPHeaders(), keepAlive: Bool = true
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        self.trailers = trailers
        self.keepAlive = keepAlive
    }

    /// The path of the target, still percent-encoded: `/a%20b` for `/a%20b?x=1`, and the
    /// path part of an absolute-form target (`/` when it has none).
    public var path: String {
        var rest = Substring(target)
        if let q = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<q] }
        for scheme in ["http://", "https://"] where rest.lowercased().hasPrefix(scheme) {
            let afterScheme = rest.dropFirst(scheme.count)
            guard let slash = afterScheme.firstIndex(of: "/") else { return "/" }
            return String(afterScheme[slash...])
        }
        return String(rest)
    }

    /// The query string after `?` (without `#fragment`), or nil when there is no `?`.
    public var query: String? {
        guard let q = target.firstIndex(of: "?") else { return nil }
        var rest = target[target.index(after: q)...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        return String(rest)
    }
}
