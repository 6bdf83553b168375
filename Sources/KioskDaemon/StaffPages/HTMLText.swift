/// Text made safe for HTML: every piece of data a staff page shows goes through
/// `HTMLText.escape` before it is written into markup, in element content and in quoted
/// attribute values alike.
///
/// `&`, `<`, `>`, `"` and `'` become character references (enough for content and for
/// attributes quoted with either quote, per the HTML standard's serialisation rules); C0
/// controls other than tab, LF and CR, and DEL, are dropped because HTML forbids them in
/// text.
enum HTMLText {
    static func escape(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
