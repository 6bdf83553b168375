import Foundation
import Testing
import KioskCore
import KioskFeeds

/// Where each event of a JSON programme starts, for reports a coordinator reads beside the
/// file in an editor.
@Suite struct JSONElementLinesTests {
    static func lines(_ text: String) -> [Int] { JSONElementLines.ofEvents(Array(text.utf8)) }

    /// A hand-written native programme: the root object's `events` list, with strings that
    /// hold brackets, commas, escaped quotes and a key named `events` further down.
    @Test func aHandWrittenProgramme() {
        let text = """
            {
              "timeZone": "Europe/Paris",
              "note": "not [this], nor {this}, nor \\"events\\": [1, 2]",
              "events": [
                {"uid": "a", "title": "Atelier [complet], \\"petit\\"", "categories": ["x", "y"]},

                {
                  "uid": "b",
                  "title": "Concert",
                  "meta": {"events": [1, 2, 3]}
                }, {"uid": "c"}
                ,
                "not an object"
              ],
              "after": {"events": []}
            }
            """
        #expect(Self.lines(text) == [5, 7, 11, 13])
    }

    @Test func aRootArrayAndAnOpenAgendaAnswerOnOneLine() {
        #expect(Self.lines("[\n  {\"uid\": \"a\"},\n  {\"uid\": \"b\"}\n]\n") == [2, 3])
        #expect(Self.lines(#"{"total":2,"events":[{"uid":1,"title":{"fr":"A"}},{"uid":2}],"after":null}"#) == [1, 1])
        #expect(Self.lines("[]") == [] && Self.lines(#"{"events": []}"#) == [])
    }

    /// No list, a list named twice, a document that does not close, or not JSON at all:
    /// no lines, rather than lines that may belong to another list.
    @Test func nothingWhereTheListIsNotPlain() {
        #expect(Self.lines(#"{"programme": [{"uid": "a"}]}"#) == [])
        #expect(Self.lines(#"{"events": [{"uid": "a"}], "events": [{"uid": "b"}]}"#) == [])
        #expect(Self.lines(#"{"events": 4}"#) == [])
        #expect(Self.lines("{\"events\": [{\"uid\": \"a\"}, {\"uid") == [])
        #expect(Self.lines("]]]") == [] && Self.lines("") == [] && Self.lines("BEGIN:VCALENDAR") == [])
    }

    /// The decoder gives a JSON event's warnings its line, for the push report, the source's
    /// stored status and `kioskctl sources` alike; a document on one line gives none.
    @Test func theDecodersWarningsCarryTheLine() throws {
        let options = FeedDecoder.Options(venueTimeZone: IANATimeZone(identifier: "Europe/Paris")!)
        let native = """
            {"events": [
              {"uid": "a", "title": "Atelier", "start": "2026-12-01T10:00"},
              {"uid": "b", "title": "Concert", "start": "2026-12-02T20:00",
               "status": "maybe"},
              "stray"
            ]}
            """
        let decoded = try FeedDecoder.decode(Array(native.utf8), format: .json, options: options)
        #expect(decoded.warnings.map(\.line) == [3, 5], "\(decoded.warnings)")
        let openAgenda = """
            {"total": 2, "events": [
              {"uid": 1, "title": {"fr": "Atelier"}, "status": 9,
               "timings": [{"begin": "2026-12-01T10:00:00+01:00", "end": "2026-12-01T12:00:00+01:00"}]},
              {"uid": 2, "title": {"fr": "Bal"},
               "timings": [{"begin": "2026-12-03T20:00:00+01:00", "end": "2026-12-03T23:00:00+01:00"}]}
            ]}
            """
        let agenda = try FeedDecoder.decode(Array(openAgenda.utf8), format: .openagenda, options: options)
        #expect(!agenda.warnings.isEmpty && agenda.warnings.allSatisfy { $0.line == 2 }, "\(agenda.warnings)")
        let flat = try FeedDecoder.decode(Array(native.replacingOccurrences(of: "\n", with: " ").utf8), format: .json, options: options)
        #expect(flat.warnings.count == 2 && flat.warnings.allSatisfy { $0.line == nil })
    }
}
