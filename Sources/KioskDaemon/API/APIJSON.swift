import Foundation
import KioskCore

/// JSON bodies of the staff API: written with sorted keys (stable bytes), read strictly.
///
/// Values are built as Foundation property lists (`[String: Any]`, `NSNull()` for null)
/// because `JSONSerialization` is what reads them back in kioskctl and the tests.
public enum APIJSON {
    /// The bytes of `object`, keys sorted, slashes unescaped.
    public static func encode(_ object: Any) -> [UInt8] {
        // Only property-list values built here reach this; a failure is a programming error.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Array(data)
    }

    /// A `200`-style JSON response.
    public static func response(_ object: Any, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json; charset=utf-8"], body: encode(object))
    }

    /// A JSON object from a request body: 400 when it is not JSON, 422 when it is JSON but
    /// not an object.
    public static func object(from body: [UInt8]) throws(HTTPError) -> [String: Any] {
        guard !body.isEmpty else { throw HTTPError(.badRequest, "the request has no body; send a JSON object") }
        let value: Any
        do { value = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) } catch {
            throw HTTPError(.badRequest, "the body is not valid JSON")
        }
        guard let object = value as? [String: Any] else { throw HTTPError(.unprocessableContent, "expected a JSON object") }
        return object
    }

    /// An RFC 3339 UTC timestamp, `2026-11-24T18:00:00Z`, or null.
    static func timestamp(_ date: Date?) -> Any { date.map(ISO8601.format) ?? NSNull() }

    /// A JSON `true`/`false` as `JSONSerialization` delivers it; nil for numbers (which
    /// Foundation would otherwise also convert to Bool) and anything else.
    public static func bool(_ value: Any) -> Bool? {
        if let flag = value as? Bool, !(value is NSNumber) { return flag }
        guard let number = value as? NSNumber, String(cString: number.objCType) == "c" else { return nil }
        return number.boolValue
    }

    /// A value or null.
    static func orNull(_ value: Any?) -> Any { value ?? NSNull() }
}
