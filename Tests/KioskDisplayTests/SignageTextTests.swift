import Testing
import KioskCore
@testable import KioskDisplay

/// French spacing, line breaking and fitting of the pixel layout's text.
@Suite struct SignageTextTests {
    static let nbsp = "\u{00A0}", narrow = "\u{202F}"

    @Test(arguments: [
        ("Projection : courts-métrages", "Projection\u{00A0}: courts-métrages"),
        ("Projection: courts-métrages", "Projection\u{00A0}: courts-métrages"),
        ("Quoi ? Vraiment !", "Quoi\u{202F}? Vraiment\u{202F}!"),
        ("Pour qui?", "Pour qui\u{202F}?"),
        ("Quoi ?!", "Quoi\u{202F}?!"),
        ("Un ; deux", "Un\u{202F}; deux"),
        ("Exposition « Lumières »", "Exposition «\u{00A0}Lumières\u{00A0}»"),
        ("Exposition «Lumières»", "Exposition «\u{00A0}Lumières\u{00A0}»"),
        ("de 14:30 à 16:00", "de 14:30 à 16:00"),
        ("https://example.org/?id=3", "https://example.org/?id=3"),
        ("L'arbre Noir, aujourd'hui", "L\u{2019}arbre Noir, aujourd\u{2019}hui"),
        ("'Yo'", "'Yo'"),
        (": au début", ": au début"),
    ])
    func frenchSpacing(input: String, expected: String) {
        #expect(FrenchTypography.apply(input) == expected)
    }

    @Test func englishKeepsItsSpacingButGetsApostrophes() {
        #expect(FrenchTypography.apply("Who? Now: the 'Cafe' isn't open", french: false) == "Who? Now: the 'Cafe' isn\u{2019}t open")
    }

    @Test func breaksAtSpacesAndAfterHyphensOnly() {
        let tokens = TextFitter.tokens(of: "Atelier  courts-métrages «\u{00A0}ado\u{00A0}» -5 %")
        #expect(tokens.map(\.text) == ["Atelier", "courts-", "métrages", "«\u{00A0}ado\u{00A0}»", "-5", "%"])
        #expect(tokens.map(\.spaceAfter) == [true, false, true, true, true, false])
    }

    @Test func fittingUsesRealWidthsAndShrinksBeforeCutting() {
        let face = BoxTypeFace()
        let fitter = TextFitter(type: face)
        let styles = [TextStyle(weight: .bold, pixelSize: 40), TextStyle(weight: .bold, pixelSize: 30)]
        let short = fitter.fit("Café des résidents", styles: styles, width: 1000, maxLines: 2)
        #expect(short.lines == ["Café des résidents"] && short.style.pixelSize == 40 && !short.truncated)
        // Two lines at the larger size, broken after the hyphen.
        let hyphen = fitter.fit("Projection courts-métrages", styles: styles, width: face.width(of: "Projection courts-", style: styles[0]) + 1, maxLines: 2)
        #expect(hyphen.lines == ["Projection courts-", "métrages"])
        // Every line fits its width, measured whole.
        let long = fitter.fit(String(repeating: "Interminable ", count: 12), styles: styles, width: 600, maxLines: 2)
        #expect(long.truncated && long.style.pixelSize == 30 && long.lines.count == 2 && long.lines[1].hasSuffix("…"))
        for (line, width) in zip(long.lines, long.widths) {
            #expect(width <= 600 && face.width(of: line, style: long.style) == width)
        }
        // A word wider than the line is broken between characters only when cutting.
        let word = fitter.fit("Anticonstitutionnellement", styles: styles, width: 200, maxLines: 2)
        #expect(word.truncated && word.lines.count == 2 && word.widths.allSatisfy { $0 <= 200 })
        #expect(fitter.fit("", styles: styles, width: 100, maxLines: 2).lines.isEmpty)
    }

    @Test func kerningAcrossWordsNeverMakesALineTooWide() {
        // "AV" is kerned tighter than its letters' sum: lines are measured whole, so a line
        // built from the sum is checked (and shortened when needed).
        let face = BoxTypeFace()
        let fitter = TextFitter(type: face)
        let style = TextStyle(pixelSize: 20)
        for width in stride(from: 40.0, through: 300, by: 7) {
            let fitted = fitter.fit("AVAVA VAVAV AV TeTe Yo Yo To", styles: [style], width: width, maxLines: 5)
            for (line, w) in zip(fitted.lines, fitted.widths) { #expect(w <= width + 0.001 && face.width(of: line, style: style) == w) }
        }
    }

    @Test func pagesAreFilledEvenly() {
        // Nine notices of one height, seven to a page: two pages, five and four, not seven and two.
        let pages = SignageLayout.balancedPages(Array(repeating: 100, count: 9), gap: 10, capacity: 760)
        #expect(pages.map(\.count) == [5, 4])
        #expect(SignageLayout.balancedPages([50, 50], gap: 10, capacity: 500).map(\.count) == [2])
        #expect(SignageLayout.balancedPages([50, 900, 50], gap: 10, capacity: 500) == [[0, 2]])
    }
}
