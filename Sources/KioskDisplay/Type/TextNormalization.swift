/// Unicode normalisation of text before it is set, without ICU: the standard library's own
/// NFC (the one `String` comparison uses), reached through `String._nfcCodeUnits`.
///
/// NFC composes "e" + U+0301 into "é" (one glyph of the font rather than a letter and a
/// loose accent) and maps singletons such as U+212B ANGSTROM SIGN to "Å". Text whose
/// scalars are all below U+0300 is already NFC and is returned as it is.
public enum TextNormalization {
    public static func nfc(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value < 0x300 }) { return text }
        return String(decoding: text._nfcCodeUnits, as: UTF8.self)
    }

    /// Scalars that are drawn as nothing and take no room (HarfBuzz's "default ignorable"
    /// set, as far as Latin text meets it): controls, the soft hyphen, zero-width spaces and
    /// joiners, directional marks, the byte-order mark, variation selectors.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0xAD, 0x34F, 0x61C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B...0x180F,
             0x200B...0x200F, 0x202A...0x202E, 0x2060...0x206F, 0x3164, 0xFE00...0xFE0F, 0xFEFF, 0xFFA0,
             0xFFF0...0xFFF8, 0xE0000...0xE0FFF:
            return true
        default:
            return false
        }
    }
}
