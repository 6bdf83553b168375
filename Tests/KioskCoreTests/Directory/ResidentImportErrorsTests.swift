import Foundation
import Testing
@testable import KioskCore

/// A directory with invalid rows is refused whole, and says every invalid row at once,
/// by the line it starts on in the file, so a coordinator mends the spreadsheet in one
/// pass instead of one row per attempt.
@Suite struct ResidentImportErrorsTests {
    /// A French spreadsheet export (`;`, CRLF, a quoted cell with a line break) with three
    /// bad rows among good ones: an unknown kind, an empty name, one cell too many.
    @Test func everyInvalidRowOfASpreadsheetIsSaidByItsLine() {
        let csv = "nom;type;description\r\n"
            + "Distorsion;association;\"Festival\r\net résidences\"\r\n"  // lines 2-3
            + "Zinc;banque;Prêts\r\n"  // line 4
            + "360 secondes;entreprise;Films\r\n"  // line 5
            + ";artiste;Sans nom\r\n"  // line 6
            + ";;\r\n"  // line 7: blank, skipped
            + "Labora;entreprise;Design;en trop\r\n"  // line 8
        #expect(throws: Self.refusal([
            ("line 4", "kind 'banque' is not one of entreprise, association, artiste, autre"),
            ("line 6", "the name is empty"),
            ("line 8", "4 fields for 3 columns"),
        ])) { try ResidentImport.entries(Data(csv.utf8)) }
    }

    @Test func everyInvalidItemOfAJSONDirectoryIsSaid() {
        let json = #"{"residents": [{"name": "Zinc", "kind": "banque"}, "Labora", {"name": "Sonolab"}, {"name": "Fertil", "sector": 4}]}"#
        #expect(throws: Self.refusal([
            ("residents[0]", "kind 'banque' is not one of entreprise, association, artiste, autre"),
            ("residents[1]", "expected an object"),
            ("residents[3].sector", "expected a string"),
        ])) { try ResidentImport.entries(Data(json.utf8)) }
    }

    /// A file of bad rows lists the first `reportedRows` and counts the rest.
    @Test func aFileOfBadRowsListsFiftyAndCountsTheRest() throws {
        let csv = "name,kind\n" + (1...70).map { "R\($0),banque\n" }.joined()
        do {
            _ = try ResidentImport.entries(Data(csv.utf8))
            Issue.record("a file of bad rows was imported")
        } catch {
            #expect(error.rows.count == ResidentImport.reportedRows)
            #expect(error.rows.first?.location == "line 2" && error.rows.last?.location == "line \(ResidentImport.reportedRows + 1)")
            #expect(error.unlisted == 70 - ResidentImport.reportedRows)
            #expect(error.description.hasSuffix("\n20 more invalid rows"))
            #expect(error.description.split(separator: "\n").count == ResidentImport.reportedRows + 1)
        }
    }

    static func refusal(_ rows: [(String, String)]) -> ResidentImport.ImportError {
        var error = ResidentImport.ImportError(location: rows[0].0, message: rows[0].1)
        error.further = rows.dropFirst().map { ResidentImport.ImportError(location: $0.0, message: $0.1) }
        return error
    }
}
