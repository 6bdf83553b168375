import Foundation
import Testing
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
}
