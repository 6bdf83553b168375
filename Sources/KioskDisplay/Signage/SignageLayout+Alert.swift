import KioskCore

extension SignageLayout {
    /// A staff alert over the whole screen (`LobbySnapshot.alert`), as the cell layout
    /// draws it on a terminal: the level's colour everywhere, and centred in its text
    /// colour the heading, the title large (three lines at most, shrinking before it is
    /// cut), the text, the assembly point of an evacuation, the other language's version;
    /// the footer (who, when) at the bottom, with a line kept above it for a badge's
    /// welcome (`addCheckIn`). What does not fit is left out, the other language first,
    /// then the text, then the assembly point; the heading and the title stay.
    func layoutAlert(_ alert: LobbySnapshot.Alert, g: Geometry, setter: Typesetter) -> PixelScene {
        let s = g.scale
        let fill = alert.level.fillRole, role = alert.level.textRole
        var scene = PixelScene(width: g.width, height: g.height)
        scene.layers[0].boxes.append(SceneBox(g.bounds, .background(fill)))
        scene.regions.append(SceneRegion(.alert, g.bounds))
        let width = Double(g.contentWidth), x = Double(g.contentLeft)
        let bottom = alertBottom(g, setter: setter, role: role)

        struct Block {
            var fitted: [TextFitter.Fitted]
            /// Lower is kept longer.
            var priority: Int
        }
        var blocks: [Block] = []
        func add(_ priority: Int, _ parts: TextFitter.Fitted?...) {
            let fitted = parts.compactMap { $0 }.filter { !$0.isEmpty }
            if !fitted.isEmpty { blocks.append(Block(fitted: fitted, priority: priority)) }
        }
        add(0, setter.set(alert.heading, setter.style(s.heading, .bold, role: role), width: width))
        add(0, setter.set(alert.title, setter.styles(8 * s.unit, s.heading, .bold, role: role), width: width, maxLines: 3))
        add(2, setter.set(alert.text, setter.styles(s.overlayText, s.detail, role: role), width: width, maxLines: 6))
        if let place = alert.assemblyPoint {
            add(1, setter.set(place, setter.styles(s.heading, s.overlayText, .bold, role: role), width: width, maxLines: 2))
        }
        add(3, alert.otherTitle.map { setter.set($0, setter.styles(s.time, s.detail, .bold, role: role), width: width, maxLines: 2) },
            alert.otherText.map { setter.set($0, setter.styles(s.detail, s.detailMinimum, role: role), width: width, maxLines: 3) })

        let gap = s.px(2.4)
        func height(_ list: [Block]) -> Int {
            list.reduce(0) { $0 + $1.fitted.reduce(0) { $0 + setter.height($1) } } + gap * max(0, list.count - 1)
        }
        let top = g.margin, available = max(0, bottom.welcomeTop - gap - top)
        while height(blocks) > available, let drop = blocks.indices.filter({ blocks[$0].priority > 0 }).max(by: { blocks[$0].priority < blocks[$1].priority }) {
            blocks.remove(at: drop)
        }
        var y = top + max(0, (available - height(blocks)) / 2)
        for block in blocks {
            for fitted in block.fitted {
                scene.layers[0].texts += setter.place(fitted, role: role, x: x, width: width, top: y, alignment: .center)
                y += setter.height(fitted)
            }
            y += gap
        }
        let footer = setter.set(alert.footer, bottom.footerStyle, width: width)
        scene.layers[0].texts += setter.place(footer, role: role, x: x, width: width, top: bottom.footerTop, alignment: .center)
        // A screen too small for all of it: nothing paints outside the screen.
        scene.layers[0].texts.removeAll { !g.bounds.contains($0.frame) }
        return scene
    }

    /// The two lines at the bottom of an alert: the footer, and above it the room for a
    /// badge's welcome.
    func alertBottom(_ g: Geometry, setter: Typesetter, role: ScreenRole) -> (welcomeTop: Int, welcomeStyle: TextStyle, footerTop: Int, footerStyle: TextStyle) {
        let s = g.scale
        let footerStyle = setter.style(s.footer, role: role)
        let welcomeStyle = setter.style(s.overlayText, .bold, role: role)
        let footerTop = max(0, g.height - s.px(1.6) - setter.lineBox(footerStyle).pitch)
        let welcomeTop = max(0, footerTop - s.px(1.2) - setter.lineBox(welcomeStyle).pitch)
        return (welcomeTop, welcomeStyle, footerTop, footerStyle)
    }

    /// Under a staff alert a badge scan is recorded as usual; its welcome is one line
    /// above the alert's footer, in the alert's colours, never a card over the alert.
    func addCheckInUnderAlert(_ checkIn: CheckInOverlay, to scene: inout PixelScene, g: Geometry, strings: LobbyStrings) {
        guard let welcome = checkIn.welcome,
              let fill = scene.layers.first?.boxes.first.flatMap({ box -> ScreenRole? in
                  if case .background(let role) = box.paint { return role } else { return nil }
              }),
              let level = ScreenAlert.Level.level(ofFill: fill)
        else { return }
        let setter = typesetter(g, strings)
        let bottom = alertBottom(g, setter: setter, role: level.textRole)
        let text = [welcome.headline, welcome.detail ?? ""].filter { !$0.isEmpty }.joined(separator: " — ")
        let width = Double(g.contentWidth)
        let line = setter.set(text, [bottom.welcomeStyle, setter.style(g.scale.footer, .bold, role: level.textRole)], width: width, maxLines: 1)
        var layer = SceneLayer()
        layer.texts = setter.place(line, role: level.textRole, x: Double(g.contentLeft), width: width, top: bottom.welcomeTop, alignment: .center)
        layer.texts.removeAll { !g.bounds.contains($0.frame) }
        scene.layers.append(layer)
    }
}
