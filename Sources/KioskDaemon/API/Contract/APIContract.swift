import Foundation
import KioskCore

/// The staff API's bodies as types (docs/api.md): every request and response body of
/// `/api/v1/` and `/healthz` is one of the `Codable` types of this folder, written by
/// the server (`APIRouter`), read by kioskctl (`APIClient`) and used by the staff pages,
/// so the three cannot drift apart. docs/api.md is checked against them by a test
/// (`APIDocumentationTests`): each documented example decodes strictly into its type and
/// encodes back to the same JSON.
///
/// Conventions: keys sorted (stable bytes); instants RFC 3339 UTC with whole seconds
/// (`2026-11-24T18:00:00Z`); days `YYYY-MM-DD` strings on the venue's calendar; absent
/// optional values written as `null` (the types' `encode(to:)` says so). Request bodies
/// refuse unknown keys (a typo must not be lost silently); responses read by kioskctl
/// ignore keys they do not know (a newer server may add some).
public enum APIContract {
    /// Every body type docs/api.md must show an example of.
    public static let documentedTypes: [any APIBody.Type] = [
        APIErrorBody.self, ProgrammePushReport.self, ProgrammeSourceList.self, NoticeBody.self, NoticeList.self,
        NoticeRequest.self, ResidentList.self, ResidentImportReport.self, PresenceList.self, AttendanceBody.self,
        ScreenBody.self, AuditList.self, HealthBody.self, AlertBody.self, AlertRequest.self, PosterBody.self, PosterList.self,
    ]

    /// The encoder of every body.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601.format(date))
        }
        return encoder
    }

    /// The decoder of every body; `strict` refuses unknown keys in every type (requests
    /// are always strict).
    public static func decoder(strict: Bool = false) -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ISO8601.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text.prefix(40))' is not an RFC 3339 instant")
            }
            return date
        }
        if strict { decoder.userInfo[strictKeysKey] = true }
        return decoder
    }

    static let strictKeysKey = CodingUserInfoKey(rawValue: "kiosk.strictKeys")!

    /// The bytes of a body.
    public static func encode(_ body: some Encodable) -> [UInt8] {
        // Only the types of this folder reach this, and they always encode.
        (try? Array(encoder().encode(body))) ?? Array("{}".utf8)
    }

    /// A JSON response carrying `body`.
    public static func response(_ body: some Encodable, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json; charset=utf-8"], body: encode(body))
    }

    /// A request body: 400 when it is empty or not JSON, 422 naming the field when it is
    /// JSON of the wrong shape (a missing field, a wrong type, an unknown key).
    public static func decodeRequest<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws(HTTPError) -> T {
        guard !body.isEmpty else { throw HTTPError(.badRequest, "the request has no body; send a JSON object") }
        do {
            return try decoder(strict: true).decode(type, from: Data(body))
        } catch let error as DecodingError {
            if let reason = describe(error) { throw HTTPError(.unprocessableContent, reason) }
            throw HTTPError(.badRequest, "the body is not valid JSON")
        } catch let error as HTTPError {
            throw error
        } catch {
            throw HTTPError(.badRequest, "the body is not valid JSON")
        }
    }

    /// What was wrong with a JSON document of the wrong shape, naming the field; nil when
    /// the bytes are not JSON at all.
    static func describe(_ error: DecodingError) -> String? {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty { return "expected a JSON object" }
            return "\(path(context.codingPath)): expected \(describe(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(describe(type)), not null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return nil }  // not JSON
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "the body does not have the expected shape"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type: "a number"
        case is Date.Type: "an RFC 3339 instant"
        default: "a \(type)"
        }
    }
}

/// A body of the staff API: `Codable` with an example for docs/api.md's check.
public protocol APIBody: Codable, Sendable {
    /// The JSON documented in docs/api.md under `<!-- contract: NAME -->` has this name.
    static var contractName: String { get }
}

extension APIBody {
    public static var contractName: String { String(describing: Self.self) }
}

/// Any key of a JSON object, to list the keys a document has.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// Refusing unknown keys: request types always, every type when the decoder is strict.
enum StrictKeys {
    /// Throws when the object being decoded has a key not in `known`.
    static func check(_ decoder: any Decoder, known: some Sequence<String>, always: Bool = false) throws {
        guard always || decoder.userInfo[APIContract.strictKeysKey] as? Bool == true else { return }
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        let allowed = Set(known)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !allowed.contains($0) }) {
            throw HTTPError(.unprocessableContent, "\(unknown): unknown field (known: \(allowed.sorted().joined(separator: ", ")))")
        }
    }
}

/// Every error answer: `{"error": {"status": 422, "reason": "…"}}` (built by `HTTPError`).
public struct APIErrorBody: APIBody, Hashable {
    public struct Detail: Codable, Sendable, Hashable {
        public var status: Int
        public var reason: String
    }
    public var error: Detail

    public init(status: Int, reason: String) { error = Detail(status: status, reason: reason) }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: ["error"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        error = try c.decode(Detail.self, forKey: .error)
    }
}
