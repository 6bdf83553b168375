import Synchronization

/// The widths one layout asks for, and the text it prepares, remembered for the rest of
/// that layout: the same words and lines are measured again for every column split tried
/// and every size step. Made for one layout and dropped after it, so it holds no more
/// than that layout's text.
final class WidthMemo: TextMeasuring {
    private struct Key: Hashable {
        var text: String
        var style: TextStyle
    }

    let type: any TextMeasuring
    private let widths = Mutex<[Key: Double]>([:])
    private let prepared = Mutex<[String: String]>([:])

    init(_ type: any TextMeasuring) { self.type = type }

    func width(of text: String, style: TextStyle) -> Double {
        let key = Key(text: text, style: style)
        if let known = widths.withLock({ $0[key] }) { return known }
        let measured = type.width(of: text, style: style)
        widths.withLock { $0[key] = measured }
        return measured
    }

    func lineMetrics(_ style: TextStyle) -> LineMetrics { type.lineMetrics(style) }

    /// `make(text)`, worked out once per text.
    func prepared(_ text: String, _ make: (String) -> String) -> String {
        if let known = prepared.withLock({ $0[text] }) { return known }
        let value = make(text)
        prepared.withLock { $0[text] = value }
        return value
    }
}
