/// An error a handler throws to answer with a given status: the server turns it into a
/// response whose body is `{"error": {"status": 413, "reason": "..."}}`.
///
/// `reason` is shown to the client, so it must not hold secrets (tokens, paths of the
/// state directory); log the details separately.
public struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    public var status: HTTPStatus
    public var reason: String
    /// Extra response headers (`Allow` for 405, `WWW-Authenticate` for 401,
    /// `Connection: close` after a framing error).
    public var headers: HTTPHeaders

    public init(_ status: HTTPStatus, _ reason: String, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.reason = reason
        self.headers = headers
    }

    /// 405 with the `Allow` header RFC 9110 section 15.5.6 requires.
    public static func methodNotAllowed(_ method: HTTPMethod, allowed: [HTTPMethod]) -> HTTPError {
        HTTPError(
            .methodNotAllowed, "method \(method.rawValue) is not allowed here",
            headers: ["Allow": allowed.map(\.rawValue).joined(separator: ", ")])
    }

    /// The JSON body: `{"error":{"status":CODE,"reason":"..."}}`.
    public var jsonBody: [UInt8] {
        Array("{\"error\":{\"status\":\(status.code),\"reason\":\(JSONText.quoted(reason))}}".utf8)
    }

    /// The response answering this error.
    public func response() -> HTTPResponse {
        var response = HTTPResponse(status: status, headers: headers, body: jsonBody)
        response.headers.set("Content-Type", "application/json; charset=utf-8")
        return response
    }

    public var description: String { "\(status.code) \(status.reasonPhrase): \(reason)" }
}

/// JSON string quoting (RFC 8259 section 7) for hand-written bodies.
public enum JSONText {
    /// `text` as a JSON string literal, quotes included; control characters escaped.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
