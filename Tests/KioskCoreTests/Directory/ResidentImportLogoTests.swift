import Foundation
import Testing
@testable import KioskCore

/// The directory import's `logo` column, in the shapes a venue's spreadsheet saves: Excel
/// and LibreOffice "CSV UTF-8" in a French locale (BOM, `;`, quoted fields, CRLF), the
/// same with commas, and JSON.
@Suite struct ResidentImportLogoTests {
    /// What LibreOffice Calc writes for "Texte CSV", UTF-8, separator `;`, quote all text
    /// cells, and what Excel's "CSV UTF-8 (délimité par des points-virgules)" writes: a
    /// BOM, CRLF line ends, a quoted cell holding the separator and a line break.
    static let frenchExport = "\u{FEFF}nom;type;secteur;lieu;membre;description;site;logo\r\n"
        + "\"Distorsion\";\"association\";\"Arts numériques\";\"Bât. A; atelier 3\";\"installé\";\"Festival\r\net résidences\";\"\";\"logos/distorsion.png\"\r\n"
        + "360 secondes;entreprise;Audiovisuel;Bât. A, 1er étage;installé;Films;https://360.example;https://cdn.example.org/360.png\r\n"
        + "Labora;entreprise;Design;;associé;;;\r\n"
        + ";;;;;;;\r\n"
        + "\"Le Normographe\";entreprise;Graphisme;;;;;   \r\n"

    @Test func aFrenchSpreadsheetExportWithLogos() throws {
        let entries = try ResidentImport.entries(Data(Self.frenchExport.utf8))
        #expect(entries.map(\.resident.name) == ["Distorsion", "360 secondes", "Labora", "Le Normographe"])
        #expect(entries[0].resident.location == "Bât. A; atelier 3")
        #expect(entries[0].resident.summary == "Festival\r\net résidences")
        #expect(entries[1].resident.location == "Bât. A, 1er étage", "a comma inside a ;-separated cell is text")
        #expect(entries.map(\.logo) == ["logos/distorsion.png", "https://cdn.example.org/360.png", "", ""])
        // The line each record starts on: Distorsion's quoted line break moves the rest down.
        #expect(entries.map(\.location) == ["line 2", "line 4", "line 5", "line 7"])
        #expect(entries[2].resident.membership == .associated)
        // The parser itself leaves logos to the daemon.
        #expect(entries.allSatisfy { $0.resident.logo == nil })
    }

    @Test func commasAndTheColumnAbsentOrEmpty() throws {
        let absent = "name,kind\r\nZinc,entreprise\r\n"
        #expect(try ResidentImport.entries(Data(absent.utf8)).map(\.logo) == [""])
        let empty = "\u{FEFF}name,logo,kind\r\nZinc,,entreprise\r\n\"Sonolab\",\"\",entreprise\r\n"
        let entries = try ResidentImport.entries(Data(empty.utf8))
        #expect(entries.map(\.logo) == ["", ""] && entries.map(\.resident.kind) == [.entreprise, .entreprise])
        let json = #"{"residents":[{"name":"Zinc","logo":"https://x.example/z.png"},{"name":"Sonolab","logo":null}]}"#
        let fromJSON = try ResidentImport.entries(Data(json.utf8))
        #expect(fromJSON.map(\.logo) == ["https://x.example/z.png", ""] && fromJSON.map(\.location) == ["residents[0]", "residents[1]"])
    }

    @Test func theSeparatorIsTheHeadersOwn() throws {
        #expect(CSV.separator(guessedFrom: "name;kind;sector\r\na,b;c") == ";")
        #expect(CSV.separator(guessedFrom: "name,kind,sector\r\na;b;c;d;e") == ",")
        #expect(CSV.separator(guessedFrom: "\"a;b;c\",name\r\n") == ",", "separators inside quotes do not count")
        #expect(CSV.separator(guessedFrom: "name\r\n") == ",")
        // A bad row in a ;-separated file names its line.
        #expect(throws: ResidentImport.ImportError(location: "line 3", message: "kind 'banque' is not one of entreprise, association, artiste, autre")) {
            try ResidentImport.parseCSV("name;kind\r\nZinc;entreprise\r\nX;banque\r\n")
        }
    }
}
