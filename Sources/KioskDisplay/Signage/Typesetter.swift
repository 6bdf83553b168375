import KioskCore

/// Text of the lobby set and placed in pixels: data cleaned (control characters out, NFC),
/// French spacing applied, fitted (`TextFitter`) and turned into `SceneText` lines with
/// their baselines and clip frames.
struct Typesetter: Sendable {
    let fitter: TextFitter
    let scale: TypeScale
    /// Roles the theme draws bold whatever the layout asks (`PixelStyle.bold`).
    let emphasis: Set<ScreenRole>
    let french: Bool

    var type: any TextMeasuring { fitter.type }

    /// A style for `role`: bold when asked or when the theme emphasises the role.
    func style(_ size: Double, _ weight: FontWeight = .regular, role: ScreenRole, tabular: Bool = false) -> TextStyle {
        TextStyle(weight: emphasis.contains(role) ? .bold : weight, pixelSize: size, tabularFigures: tabular)
    }

    /// Styles from `largest` down to `smallest` (three steps).
    func styles(_ largest: Double, _ smallest: Double, _ weight: FontWeight = .regular, role: ScreenRole, tabular: Bool = false) -> [TextStyle] {
        TypeScale.steps(from: largest, to: smallest).map { style($0, weight, role: role, tabular: tabular) }
    }

    /// Text from data as it is set: without control characters, in NFC, French spacing.
    func prepare(_ text: String) -> String {
        let french = self.french
        let make = { (text: String) in FrenchTypography.apply(TerminalText.sanitized(text), french: french) }
        return (type as? WidthMemo)?.prepared(text, make) ?? make(text)
    }

    func lineBox(_ style: TextStyle) -> LineBox { LineBox(type.lineMetrics(style), size: style.pixelSize) }

    /// `text` (from data: prepared here) fitted to `width` on at most `maxLines` lines.
    func set(_ text: String, _ styles: [TextStyle], width: Double, maxLines: Int) -> TextFitter.Fitted {
        fitter.fit(prepare(text), styles: styles, width: max(0, width), maxLines: maxLines)
    }

    func set(_ text: String, _ style: TextStyle, width: Double, maxLines: Int = 1) -> TextFitter.Fitted {
        set(text, [style], width: width, maxLines: maxLines)
    }

    /// The height `fitted` takes when placed.
    func height(_ fitted: TextFitter.Fitted) -> Int {
        fitted.isEmpty ? 0 : lineBox(fitted.style).pitch * fitted.lines.count
    }

    /// The lines of `fitted` placed in a box of `width` from `x`, the first line's box at
    /// `top`; `tag` names each line by its index.
    func place(
        _ fitted: TextFitter.Fitted, role: ScreenRole, x: Double, width: Double, top: Int,
        alignment: TextAlignment = .leading, tag: (Int) -> SceneTag = { _ in .other }
    ) -> [SceneText] {
        guard !fitted.isEmpty else { return [] }
        let box = lineBox(fitted.style)
        var texts: [SceneText] = []
        for (i, (line, w)) in zip(fitted.lines, fitted.widths).enumerated() {
            let left: Double
            switch alignment {
            case .leading: left = x
            case .center: left = x + max(0, (width - w) / 2)
            case .trailing: left = x + max(0, width - w)
            }
            let baseline = top + box.ascent + i * box.pitch
            let x0 = Int(left.rounded(.down)) - box.pad
            let x1 = Int((left + w).rounded(.up)) + box.pad
            let frame = PixelRect(x: x0, y: baseline - box.ascent, width: x1 - x0, height: box.pitch)
            texts.append(SceneText(
                text: line, style: fitted.style, role: role, x: left, baseline: Double(baseline), width: w, frame: frame,
                tag: tag(i), isTruncated: fitted.truncated && i == fitted.lines.count - 1))
        }
        return texts
    }

    /// One line at a given baseline (headers align several sizes on one baseline).
    func place(_ fitted: TextFitter.Fitted, role: ScreenRole, x: Double, width: Double, baseline: Int, alignment: TextAlignment = .leading, tag: SceneTag = .other) -> [SceneText] {
        guard !fitted.isEmpty else { return [] }
        let top = baseline - lineBox(fitted.style).ascent
        return place(fitted, role: role, x: x, width: width, top: top, alignment: alignment, tag: { _ in tag })
    }
}

/// Pixels from the type scale's fractional units.
extension TypeScale {
    /// `units` of the scale in whole pixels (at least 1).
    func px(_ units: Double) -> Int { max(1, Int((units * unit).rounded())) }
}
