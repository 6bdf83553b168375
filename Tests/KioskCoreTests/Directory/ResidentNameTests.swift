import Foundation
import Testing
@testable import KioskCore

/// Residents' slugs and sort keys fold accents and case without a locale (no ICU), and
/// give what the French locale gave.
@Suite struct ResidentNameTests {
    @Test func slugsAndSortKeysFoldAccentsAndCase() {
        #expect(Resident.slug("Pâtisserie Dupré-Lefèvre") == "patisserie-dupre-lefevre")
        #expect(Resident.slug("L'Arbre Noir") == "l-arbre-noir")
        #expect(Resident.slug("東京") == "resident")
        let names = ["Zoë", "Émile", "eric", "Ångström", "ÇA VA", "Œuvre"]
        #expect(names.map { Resident(name: $0).sortKey } == ["zoe", "emile", "eric", "angstrom", "ca va", "œuvre"])
    }

    @Test func foldingIsTheFrenchLocalesOverLatinLetters() {
        // Every Latin-1 and Latin Extended-A/B letter, lower and upper, against Foundation
        // with the French locale (what the code did before).
        for value in 0xC0...0x24F {
            guard let scalar = Unicode.Scalar(value), scalar.properties.isAlphabetic else { continue }
            let text = String(scalar) + String(scalar).uppercased() + " x"
            #expect(Resident.fold(text) == text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "fr_FR")), "U+\(String(value, radix: 16))")
        }
    }
}
