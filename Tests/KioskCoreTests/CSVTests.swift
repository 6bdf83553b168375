import Testing
@testable import KioskCore

@Suite struct CSVTests {
    @Test func rfc4180Shapes() throws {
        let text = "a,b,c\r\n\"x, y\",\"he said \"\"hi\"\"\",\"two\nlines\"\r\n,,\n"
        let records = try CSV.parse(text)
        #expect(records == [["a", "b", "c"], ["x, y", "he said \"hi\"", "two\nlines"], ["", "", ""]])
    }

    @Test func bomAndMissingFinalNewline() throws {
        #expect(try CSV.parse("\u{FEFF}name\nDistorsion") == [["name"], ["Distorsion"]])
    }

    @Test func roundTrip() throws {
        let records = [["Café, bar", "\"quoted\"", "multi\r\nline", " padded "], ["plain", "", "é", "日本"]]
        #expect(try CSV.parse(CSV.format(records)) == records)
    }

    @Test func errorsSayWhere() {
        #expect(throws: CSV.ParseError(line: 2, message: "a quoted field is not closed")) { try CSV.parse("a\n\"open") }
        #expect(throws: CSV.ParseError.self) { try CSV.parse("a\"b\n") }
        #expect(throws: CSV.ParseError.self) { try CSV.parse("\"a\"b\n") }
    }

    @Test func residentImportFromDemoShapes() throws {
        let csv = "name,kind,sector,location,membership\nL'arbre Noir,association,Édition,\"Bât. A, 2e\",installed\nHugo,artiste,Vidéo,,associated\n"
        let residents = try ResidentImport.parseCSV(csv)
        #expect(residents.count == 2)
        #expect(residents[0].id == "l-arbre-noir")
        #expect(residents[0].location == "Bât. A, 2e")
        #expect(residents[1].membership == .associated)
        #expect(throws: ResidentImport.ImportError.self) { try ResidentImport.parseCSV("name,kind\nX,banque\n") }
        let json = #"{"residents":[{"name":"Zinc","kind":"entreprise","sector":"Jeu vidéo"}]}"#
        #expect(try ResidentImport.parse(Array(json.utf8).withUnsafeBytes { Data($0) }).first?.sector == "Jeu vidéo")
    }
}

import Foundation
