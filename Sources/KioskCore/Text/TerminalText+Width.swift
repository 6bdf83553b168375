extension TerminalText {
    /// The number of terminal columns `text` occupies once normalised to NFC: the sum of
    /// `width(of:)` over its grapheme clusters.
    public static func width(of text: String) -> Int {
        var total = 0
        for character in normalized(text) { total += width(of: character) }
        return total
    }

    /// The number of columns one grapheme cluster occupies: 0, 1 or 2.
    ///
    /// - 0: a cluster made only of zero-width scalars (combining marks, format characters
    ///   such as U+200B or U+200D, Hangul medial vowels and final consonants) or of
    ///   control characters (which `sanitized(_:)` removes anyway).
    /// - 2: a cluster whose base character is East Asian Wide or Fullwidth (CJK, kana,
    ///   Hangul syllables, fullwidth forms, most emoji) or has the Emoji_Presentation
    ///   property; an emoji made of several emoji joined with U+200D (👩‍💻), one with the
    ///   emoji variation selector U+FE0F (❤️), a flag made of two regional indicators.
    /// - 1: everything else, including a base letter with combining marks ("e\u{301}").
    ///
    /// This follows what common terminals (xterm, VTE, the Linux console with a Unicode
    /// font) do; East Asian *Ambiguous* characters count as narrow.
    public static func width(of character: Character) -> Int {
        var base: Unicode.Scalar?
        var regionalIndicators = 0
        var hasEmojiSelector = false
        var hasJoiner = false
        for scalar in character.unicodeScalars {
            switch scalar.value {
            case 0xFE0F: hasEmojiSelector = true
            case 0x200D: hasJoiner = true
            case 0x1F1E6...0x1F1FF: regionalIndicators += 1
            default: break
            }
            if base == nil && !isZeroWidth(scalar) { base = scalar }
        }
        guard let base else { return 0 }
        if base.properties.generalCategory == .control { return 0 }
        if regionalIndicators >= 2 { return 2 }
        if isWide(base) { return 2 }
        if (hasEmojiSelector || hasJoiner) && base.properties.isEmoji { return 2 }
        return 1
    }

    /// Scalars that take no column of their own.
    static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1160...0x11FF, 0xD7B0...0xD7FF: return true  // Hangul jungseong and jongseong
        case 0x00AD: return false  // SOFT HYPHEN is shown by terminals
        default: break
        }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return false
        }
    }

    /// East Asian Wide (W) or Fullwidth (F), or an emoji presented as a picture by default.
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x1100 { return false }
        if scalar.properties.isEmojiPresentation { return true }
        // Binary search over the sorted, disjoint ranges.
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = wideRanges[mid]
            if v < range.lowerBound {
                high = mid - 1
            } else if v > range.upperBound {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }

    /// Code points whose East_Asian_Width is W or F (Unicode 14.0, EastAsianWidth.txt),
    /// with unassigned code points between two wide ranges folded in (they are reserved
    /// for more of the same script), and planes 2 and 3 whole. Generated from the Unicode
    /// Character Database; newer emoji are also caught by `isEmojiPresentation`, which the
    /// standard library answers from its own, more recent tables.
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC,
        0x23F0...0x23F0, 0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615,
        0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE,
        0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
        0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755,
        0x2757...0x2757, 0x2795...0x2797, 0x27B0...0x27B0, 0x27BF...0x27BF,
        0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55, 0x2E80...0x303E,
        0x3041...0x3247, 0x3250...0x4DBF, 0x4E00...0xA4C6, 0xA960...0xA97C,
        0xAC00...0xD7A3, 0xF900...0xFAD9, 0xFE10...0xFE19, 0xFE30...0xFE6B,
        0xFF01...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x1B2FB, 0x1F004...0x1F004,
        0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F320,
        0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA,
        0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E,
        0x1F440...0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E,
        0x1F550...0x1F567, 0x1F57A...0x1F57A, 0x1F595...0x1F596, 0x1F5A4...0x1F5A4,
        0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2,
        0x1F6D5...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7F0,
        0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF, 0x1FA70...0x1FAF6,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
