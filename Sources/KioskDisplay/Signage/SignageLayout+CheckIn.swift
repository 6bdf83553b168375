import KioskCore

extension SignageLayout {
    /// Adds what the badge check-in shows to a laid-out lobby: the welcome in a card over
    /// everything (a layer of its own: the lobby beneath is left as it was), green for a
    /// welcome or a farewell, in the attention colour for an unknown badge or a scan that
    /// could not be recorded; and the reader's trouble in the middle of the footer.
    public func addCheckIn(_ checkIn: CheckInOverlay, to scene: inout PixelScene, metrics m: Metrics, strings: LobbyStrings) {
        let g = Geometry(metrics: m)
        if scene.region(.alert) != nil {
            addCheckInUnderAlert(checkIn, to: &scene, g: g, strings: strings)
            return
        }
        guard min(g.width, g.height) >= Self.minimumShortSide else { return }
        let setter = typesetter(g, strings)
        let s = g.scale
        if let notice = checkIn.readerNotice, let footer = scene.region(.footer) {
            let style = setter.style(s.footer, role: .footer)
            let side = Int(Double(g.contentWidth) * Self.footerSideShare)
            let gap = s.px(2.0)
            let width = Double(max(0, g.contentWidth - 2 * side - 2 * gap))
            let fitted = setter.set(notice, style, width: width)
            let top = footer.y + (footer.height - setter.lineBox(style).pitch) / 2
            scene.layers[0].texts += setter.place(fitted, role: .footer, x: Double(g.contentLeft + side + gap), width: width, top: top, alignment: .center)
        }
        guard let welcome = checkIn.welcome else { return }
        let attention = welcome.tone == .attention
        let titleRole: ScreenRole = attention ? .attention : .overlayTitle
        let textRole: ScreenRole = attention ? .attention : .overlayText
        let cardRole: ScreenRole = attention ? .attention : .overlay

        let cardWidth = g.twoColumns ? min(g.contentWidth, max(g.width * 3 / 5, s.px(70))) : g.contentWidth
        let pad = s.px(3.2)
        let inner = Double(cardWidth - 2 * pad)
        let headline = setter.set(welcome.headline, setter.styles(s.overlayTitle, s.overlayTitle * 0.7, .bold, role: titleRole), width: inner, maxLines: 2)
        var small: [TextFitter.Fitted] = []
        for line in [welcome.detail, checkIn.today] {
            guard let line, !line.isEmpty else { continue }
            small.append(setter.set(line, setter.styles(s.overlayText, s.detail, role: textRole), width: inner, maxLines: 2))
        }
        let smallGap = s.px(1.6)
        let height = 2 * pad + setter.height(headline) + small.reduce(0) { $0 + smallGap + setter.height($1) }
        let card = PixelRect(x: (g.width - cardWidth) / 2, y: max(0, (g.height - height) / 2), width: cardWidth, height: min(height, g.height))
        var layer = SceneLayer()
        layer.boxes.append(SceneBox(card, .background(cardRole), shape: .rounded(radius: s.px(1.8))))
        var y = card.y + pad
        let x = Double(card.x + pad)
        layer.texts += setter.place(headline, role: titleRole, x: x, width: inner, top: y, alignment: .center)
        y += setter.height(headline)
        for fitted in small {
            y += smallGap
            layer.texts += setter.place(fitted, role: textRole, x: x, width: inner, top: y, alignment: .center)
            y += setter.height(fitted)
        }
        layer.texts.removeAll { !card.contains($0.frame) }
        scene.layers.append(layer)
        scene.regions.append(SceneRegion(.overlay, card))
    }
}
