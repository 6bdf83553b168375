import KioskCore

/// Everything needed to light a screen through KMS: the card, the connector and its
/// mode, the CRTC that scans out, the pixel format, and why each was chosen.
public struct DRMOutputPlan: Sendable, Hashable {
    public var cardPath: String
    public var driver: String
    public var connector: DRMConnector
    public var crtcID: UInt32
    /// The CRTC's position in the card's resources (the bit of `possible_crtcs`).
    public var crtcIndex: Int
    public var mode: DRMMode
    public var format: DRMPixelFormat
    /// Why this mode: "the connector's preferred mode", "[screen] mode = 1920x1080@60", or
    /// what was asked and not offered.
    public var modeReason: String

    /// `card0 Virtual-1 1280x800@60 XRGB8888`.
    public var summary: String {
        "\(cardPath.split(separator: "/").last ?? "") \(connector.name) \(mode) \(format)"
    }
}

/// The pure decisions of the DRM backend, made over surveys (recorded in tests, read from
/// the cards in the daemon): which card and connector, which mode, which CRTC, which pixel
/// format.
public enum DRMOutputChoice {
    /// The outcome of looking at every card.
    public enum Outcome: Sendable, Hashable {
        /// A screen is connected: draw on it.
        case connected(DRMOutputPlan)
        /// No connector has a screen (or it gives no mode), but `card` can drive one when
        /// it is plugged in or switched on: wait for it there.
        case noScreen(card: DRMCardSurvey, why: String)
        /// No card can drive a screen.
        case noCard(why: String)
        /// A screen is connected but cannot be driven (no free CRTC, no usable format).
        case unusable(why: String)
    }

    /// Looks at `surveys` in order (card0, card1...: sort them with `DRMCard.cardPaths`) and
    /// picks the first connector with a connected screen; `preferring` (a connector id)
    /// wins on its card when it is still connected.
    public static func choose(from surveys: [DRMCardSurvey], request: DisplayModeRequest?, preferring connectorID: UInt32? = nil) -> Outcome {
        let summary = surveys.map(\.summary).joined(separator: "; ")
        for card in surveys where card.unusable == nil {
            let connected = card.connectedConnectors
            guard let connector = connected.first(where: { $0.id == connectorID }) ?? connected.first else { continue }
            return plan(card: card, connector: connector, request: request)
        }
        if let card = surveys.first(where: { $0.unusable == nil && !$0.connectors.isEmpty && !$0.crtcIDs.isEmpty }) {
            return .noScreen(card: card, why: "no screen connected (\(summary))")
        }
        return .noCard(why: surveys.isEmpty ? "no DRM card under /dev/dri" : "no card can drive a screen (\(summary))")
    }

    /// The plan for `connector` of `card`: its mode, a CRTC and the pixel format.
    public static func plan(card: DRMCardSurvey, connector: DRMConnector, request: DisplayModeRequest?) -> Outcome {
        guard let (mode, reason) = chooseMode(connector.modes, request: request, connectorName: connector.name) else {
            return .unusable(why: "\(card.name) \(connector.name) gives no mode")
        }
        guard let (crtcID, crtcIndex) = chooseCRTC(card: card, connector: connector) else {
            return .unusable(why: "\(card.name) \(connector.name): no CRTC can drive it")
        }
        guard let format = chooseFormat(card: card, crtcIndex: crtcIndex) else {
            let formats = card.planes.filter { $0.isPrimary && $0.possibleCRTCs & (1 << UInt32(crtcIndex)) != 0 }
                .flatMap(\.formats).map(DRMPixelFormat.fourCCName).joined(separator: " ")
            return .unusable(why: "\(card.name) \(connector.name): the primary plane takes neither XRGB8888 nor RGB565 (it takes \(formats))")
        }
        return .connected(DRMOutputPlan(
            cardPath: card.path, driver: card.driver, connector: connector, crtcID: crtcID, crtcIndex: crtcIndex,
            mode: mode, format: format, modeReason: reason))
    }

    /// The mode to set: the one `request` names when the screen offers it (the exact refresh
    /// rate when one is given, else the nearest; the preferred mode or the highest rate when
    /// none is given), else the preferred mode. When no mode is marked preferred (a 4K TV
    /// whose preferred 4K@60 the driver cannot drive lists 4096x2160@24 first), the largest
    /// progressive mode at 50 Hz or more, else the kernel's first. Progressive modes win
    /// over interlaced ones of the same size. Nil when `modes` is empty.
    public static func chooseMode(_ modes: [DRMMode], request: DisplayModeRequest?, connectorName: String = "the connector") -> (mode: DRMMode, reason: String)? {
        guard let first = modes.first else { return nil }
        let fallback: DRMMode, fallbackReason: String
        if let preferred = modes.first(where: \.isPreferred) {
            (fallback, fallbackReason) = (preferred, "the preferred mode of \(connectorName)")
        } else if let fluid = modes.filter({ !$0.isInterlaced && $0.refreshMillihertz >= 49_500 }).max(by: { ($0.width * $0.height, $0.refreshMillihertz) < ($1.width * $1.height, $1.refreshMillihertz) }) {
            (fallback, fallbackReason) = (fluid, "the largest progressive mode of \(connectorName) at 50 Hz or more (none is marked preferred)")
        } else {
            (fallback, fallbackReason) = (first, "the first mode of \(connectorName) (none is marked preferred)")
        }
        guard let request else { return (fallback, fallbackReason) }
        let sameSize = modes.filter { $0.width == request.width && $0.height == request.height }
        let progressive = sameSize.filter { !$0.isInterlaced }
        let candidates = progressive.isEmpty ? sameSize : progressive
        guard !candidates.isEmpty else {
            return (fallback, "[screen] mode = \(request) is not offered by \(connectorName) (\(Self.sizes(modes))): \(fallbackReason) instead")
        }
        guard let hz = request.refresh else {
            if let p = candidates.first(where: \.isPreferred) { return (p, "[screen] mode = \(request)") }
            let best = candidates.max { $0.refreshMillihertz < $1.refreshMillihertz }!
            return (best, "[screen] mode = \(request), at its highest refresh rate")
        }
        if let exact = candidates.first(where: { $0.refreshHz == hz }) { return (exact, "[screen] mode = \(request)") }
        let nearest = candidates.min { abs($0.refreshMillihertz - hz * 1000) < abs($1.refreshMillihertz - hz * 1000) }!
        return (nearest, "[screen] mode = \(request): \(connectorName) offers \(request.width)x\(request.height) at \(candidates.map { "\($0.refreshHz)" }.joined(separator: ", ")) Hz, \(nearest.refreshHz) Hz taken")
    }

    /// The CRTC already driving the connector (the console's, usually), else the first CRTC
    /// one of its encoders can use.
    public static func chooseCRTC(card: DRMCardSurvey, connector: DRMConnector) -> (id: UInt32, index: Int)? {
        if let current = card.encoders.first(where: { $0.id == connector.currentEncoderID }), current.crtcID != 0,
           let index = card.crtcIDs.firstIndex(of: current.crtcID) {
            return (current.crtcID, index)
        }
        for encoderID in connector.encoderIDs {
            guard let encoder = card.encoders.first(where: { $0.id == encoderID }) else { continue }
            for (index, crtc) in card.crtcIDs.enumerated() where index < 32 && encoder.possibleCRTCs & (1 << UInt32(index)) != 0 {
                return (crtc, index)
            }
        }
        return nil
    }

    /// XRGB8888 when a primary plane of the CRTC takes it (or when the card lists no planes:
    /// every KMS driver scans it out), RGB565 when that is all it takes, nil otherwise.
    public static func chooseFormat(card: DRMCardSurvey, crtcIndex: Int) -> DRMPixelFormat? {
        let bit: UInt32 = crtcIndex < 32 ? 1 << UInt32(crtcIndex) : 0
        let primaries = card.planes.filter { $0.isPrimary && $0.possibleCRTCs & bit != 0 }
        guard !primaries.isEmpty else { return .xrgb8888 }
        let formats = Set(primaries.flatMap(\.formats))
        if formats.contains(DRMPixelFormat.xrgb8888.rawValue) { return .xrgb8888 }
        if formats.contains(DRMPixelFormat.rgb565.rawValue) { return .rgb565 }
        return nil
    }

    private static func sizes(_ modes: [DRMMode]) -> String {
        var seen: [String] = []
        for mode in modes where !seen.contains(mode.description) { seen.append(mode.description) }
        return seen.prefix(8).joined(separator: ", ") + (seen.count > 8 ? "…" : "")
    }
}
