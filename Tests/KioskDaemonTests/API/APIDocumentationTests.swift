import Foundation
import Testing
@testable import KioskDaemon

/// docs/api.md is checked against the contract types: every JSON example marked
/// `<!-- contract: TYPE -->` decodes into TYPE refusing unknown keys, and encodes back to
/// the same JSON (so a field added to a type, renamed, or made optional shows up as a
/// difference); every type of `APIContract.documentedTypes` has an example.
@Suite struct APIDocumentationTests {
    static var documentation: String {
        get throws {
            let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../docs/api.md").standardized.path
            return try String(contentsOfFile: path, encoding: .utf8)
        }
    }

    /// (type name, JSON text) of every marked example, in order.
    static func examples(_ text: String) -> [(String, String)] {
        var found: [(String, String)] = []
        var rest = Substring(text)
        while let marker = rest.range(of: "<!-- contract: ") {
            let afterMarker = rest[marker.upperBound...]
            guard let end = afterMarker.range(of: " -->"),
                let open = afterMarker.range(of: "```json\n"),
                let close = afterMarker[open.upperBound...].range(of: "\n```")
            else { break }
            found.append((String(afterMarker[..<end.lowerBound]), String(afterMarker[open.upperBound..<close.lowerBound])))
            rest = afterMarker[close.upperBound...]
        }
        return found
    }

    static func roundTrip<T: APIBody>(_ type: T.Type, _ json: Data) throws -> Data {
        try APIContract.encoder().encode(try APIContract.decoder(strict: true).decode(T.self, from: json))
    }

    @Test func everyExampleDecodesStrictlyAndEncodesBackTheSame() throws {
        let examples = Self.examples(try Self.documentation)
        #expect(examples.count >= APIContract.documentedTypes.count)
        let types = Dictionary(uniqueKeysWithValues: APIContract.documentedTypes.map { ($0.contractName, $0) })
        for (name, json) in examples {
            guard let type = types[name] else {
                Issue.record("docs/api.md shows an example of \(name), which is not a contract type")
                continue
            }
            let written = Data(json.utf8)
            let encoded: Data
            do { encoded = try Self.roundTrip(type, written) } catch {
                Issue.record("the \(name) example of docs/api.md does not decode: \(error)")
                continue
            }
            let expected = try JSONSerialization.jsonObject(with: written) as? NSObject
            let actual = try JSONSerialization.jsonObject(with: encoded) as? NSObject
            #expect(expected == actual, "the \(name) example differs from the type's encoding:\n\(String(decoding: encoded, as: UTF8.self))")
        }
        for name in types.keys where !examples.contains(where: { $0.0 == name }) {
            Issue.record("docs/api.md has no example of \(name)")
        }
    }

    @Test func theCheckWouldCatchAnUndocumentedField() throws {
        // An example missing a field the type writes (null) is a difference...
        let json = #"{"id": "a-1", "level": "closure", "title": "x", "text": "", "titleEnglish": null, "textEnglish": null, "raised": "2026-11-24T14:05:00Z", "raisedBy": "accueil"}"#
        let encoded = try Self.roundTrip(AlertBody.self, Data(json.utf8))
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? NSObject != JSONSerialization.jsonObject(with: encoded) as? NSObject)
        // ...and an example with a field the type does not have does not decode.
        #expect(throws: (any Error).self) {
            try Self.roundTrip(AlertBody.self, Data(json.replacingOccurrences(of: "\"raisedBy\"", with: "\"colour\": 1, \"raisedBy\"").utf8))
        }
    }
}
