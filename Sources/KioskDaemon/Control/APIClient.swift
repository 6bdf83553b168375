import Foundation
import Glibc
import Synchronization

/// The client side of the staff HTTP API (docs/api.md), for `kioskctl --url`: one request
/// at a time, with the bearer token from a token file.
///
/// It reports what the server answered, whatever the status; turning a 4xx/5xx into an
/// error with the server's `reason` is ``APIResponse/checked(_:)``'s job, so that a
/// command can read the body of a 422 (a push's validation report) first.
struct APIClient: Sendable {
    /// `http://HOST:PORT` (a path prefix, if any, is kept).
    var baseURL: URL
    /// The bearer token, without `Bearer `; nil for the public endpoints.
    var token: String?
    var timeout: TimeInterval = 30

    /// Sends `method path` with `query` and an optional body; throws only when no answer
    /// came (connection refused, timeout, bad URL).
    func send(
        _ method: String, _ path: String, query: [URLQueryItem] = [], body: Data? = nil, contentType: String? = nil,
        accept: String = "application/json"
    ) async throws(APIClientError) -> APIResponse {
        guard var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) else {
            throw APIClientError(url: baseURL.absoluteString, reason: "not a URL")
        }
        let prefix = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        components.path = prefix + path
        if !query.isEmpty { components.queryItems = query }
        guard let url = components.url else { throw APIClientError(url: baseURL.absoluteString + path, reason: "not a URL") }
        var headers = ["Accept": accept, "User-Agent": "kioskctl/0.1"]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        if body != nil { headers["Content-Type"] = contentType ?? "application/octet-stream" }
        return try await HTTPClientTransport.perform(HTTPClientRequest(method: method, url: url, headers: headers, body: body, timeout: timeout))
    }
}

/// One HTTP request as kioskctl sends it (to the staff API, or the doctor's probe of a
/// feed).
public struct HTTPClientRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var body: Data?
    /// The whole exchange must end within it.
    public var timeout: TimeInterval

    public init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil, timeout: TimeInterval) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// Who carries kioskctl's HTTP requests. This module links no HTTP client (kioskd's
/// binary must not map FoundationNetworking, libcurl and the TLS library): kioskctl's
/// `main` installs the URLSession one (`URLSessionClient.install()`, in the kioskctl target)
/// before it runs a command.
public enum HTTPClientTransport {
    public typealias Perform = @Sendable (HTTPClientRequest) async throws(APIClientError) -> APIResponse
    private static let installed = Mutex<Perform?>(nil)

    public static func install(_ perform: @escaping Perform) {
        installed.withLock { $0 = perform }
    }

    static func perform(_ request: HTTPClientRequest) async throws(APIClientError) -> APIResponse {
        guard let perform = installed.withLock({ $0 }) else {
            throw APIClientError(url: request.url.absoluteString, reason: "this program has no HTTP client (only kioskctl has one)")
        }
        return try await perform(request)
    }
}

/// What the server answered: status, headers (names lower-cased) and body.
public struct APIResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    var text: String { String(decoding: body, as: UTF8.self) }
    var isSuccess: Bool { (200..<300).contains(status) }

    /// The body as one of the API's contract types (docs/api.md); keys this kioskctl does
    /// not know are ignored (a newer kiosk may add some).
    func decode<T: Decodable>(_ type: T.Type, _ what: String) throws(APIStatusError) -> T {
        do {
            return try APIContract.decoder().decode(type, from: body)
        } catch {
            throw APIStatusError(what: what, status: status, reason: "the answer is not the JSON expected (\(error)); is this a kiosk of the same version?")
        }
    }

    /// The `reason` of an error body (`{"error": {"status": 422, "reason": "…"}}`), else
    /// the first line of the body, else the status code.
    var reason: String {
        if let error = try? APIContract.decoder().decode(APIErrorBody.self, from: body) { return error.error.reason }
        let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return firstLine.isEmpty ? "no reason given" : String(firstLine.prefix(200))
    }

    /// Self when the status is 2xx, else an ``APIStatusError`` with the server's reason.
    func checked(_ what: String) throws(APIStatusError) -> APIResponse {
        guard isSuccess else { throw APIStatusError(what: what, status: status, reason: reason) }
        return self
    }
}

/// No answer from the server: it is down, the address is wrong, or it took too long.
public struct APIClientError: Error, Sendable, CustomStringConvertible {
    public var url: String
    public var reason: String

    public init(url: String, reason: String) {
        self.url = url
        self.reason = reason
    }

    public var description: String { "cannot reach \(url): \(reason) (is kioskd running with [http] listen set? check --url or $KIOSK_URL)" }
}

/// The server answered with an error status: its `reason`, and what to do about the
/// token for 401 and 403.
struct APIStatusError: Error, Sendable, CustomStringConvertible {
    var what: String
    var status: Int
    var reason: String

    var hint: String? {
        switch status {
        case 401: "the server did not accept the token: give --token-file FILE (or $KIOSK_TOKEN_FILE) holding a token whose sha256 is a [token \"NAME\"] of kiosk.conf (kioskctl token new)"
        case 403: "this token's role may not do that: residents, presence, attendance and audit need a maintainer token"
        default: nil
        }
    }

    var description: String {
        "\(what): HTTP \(status): \(reason)" + (hint.map { "\n  hint: \($0)" } ?? "")
    }
}

/// Where `kioskctl --url` reads its token: a file holding only the token (trailing
/// whitespace ignored). A file others may read is refused, as ssh refuses a private key
/// others may read: anyone on the board could push programmes with it.
struct APITokenFile: Sendable {
    var path: String

    func read() throws(APITokenFileError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw APITokenFileError(path: path, reason: String(cString: strerror(errno)))
        }
        if info.st_mode & S_IROTH != 0 {
            throw APITokenFileError(path: path, reason: "anyone on this machine can read it; run: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw APITokenFileError(path: path, reason: "cannot read it")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, !token.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw APITokenFileError(path: path, reason: "it should hold the token alone, on one line")
        }
        return token
    }
}

/// A token file that cannot be used (missing, readable by others, empty).
struct APITokenFileError: Error, Sendable, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "token file \(path): \(reason)" }
}
