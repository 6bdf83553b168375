/// Why a request could not be read, with the status to answer (RFC 9110 / RFC 9112).
///
/// After any of these the byte stream can no longer be framed: answer with
/// `httpError.response()` and close the connection.
public struct HTTPRequestParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure; each maps to one status code.
    public enum Kind: Sendable, Hashable {
        /// 400: request line, header syntax, framing, chunk syntax.
        case malformed
        /// 411: a POST/PUT/PATCH with neither Content-Length nor chunked body.
        case lengthRequired
        /// 413: declared or accumulated body above `Limits.maxBodyBytes`.
        case contentTooLarge
        /// 414: request-target above `Limits.maxTargetBytes`.
        case uriTooLong
        /// 431: header section (or trailers) above the byte or count limit.
        case headerFieldsTooLarge
        /// 501: a method or transfer coding we do not implement.
        case notImplemented
        /// 505: an HTTP version other than 1.0 or 1.1.
        case versionNotSupported
    }

    public var kind: Kind
    /// What was wrong, for the client and the log (ASCII, no request bytes echoed raw).
    public var reason: String
    /// Offset in the connection's byte stream where the problem was found.
    public var byteOffset: Int

    public init(_ kind: Kind, _ reason: String, byteOffset: Int = 0) {
        self.kind = kind
        self.reason = reason
        self.byteOffset = byteOffset
    }

    public var status: HTTPStatus {
        switch kind {
        case .malformed: return .badRequest
        case .lengthRequired: return .lengthRequired
        case .contentTooLarge: return .contentTooLarge
        case .uriTooLong: return .uriTooLong
        case .headerFieldsTooLarge: return .requestHeaderFieldsTooLarge
        case .notImplemented: return .notImplemented
        case .versionNotSupported: return .httpVersionNotSupported
        }
    }

    /// The error as an answer that also closes the connection.
    public var httpError: HTTPError {
        var error = HTTPError(status, reason)
        error.headers.set("Connection", "close")
        return error
    }

    public var description: String { "HTTP \(status.code) at byte \(byteOffset): \(reason)" }
}
