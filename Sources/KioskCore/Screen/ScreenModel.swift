/// A rectangle on the layout grid, in cells (column, row, width, height).
///
/// The grid is backend-independent: a terminal cell, or a glyph cell of the console font
/// on the framebuffer (e.g. 16x32 pixels). Display drivers map cells to their units.
public struct CellRect: Sendable, Hashable {
    public var column: Int
    public var row: Int
    public var width: Int
    public var height: Int

    public init(column: Int, row: Int, width: Int, height: Int) {
        self.column = column
        self.row = row
        self.width = width
        self.height = height
    }

    public var maxColumn: Int { column + width }
    public var maxRow: Int { row + height }

    public func intersects(_ other: CellRect) -> Bool {
        column < other.maxColumn && other.column < maxColumn && row < other.maxRow && other.row < maxRow
    }

    /// The part of this rectangle that lies inside `other` (possibly empty).
    public func clamped(to other: CellRect) -> CellRect {
        let left = max(column, other.column), top = max(row, other.row)
        let right = min(maxColumn, other.maxColumn), bottom = min(maxRow, other.maxRow)
        return CellRect(column: left, row: top, width: max(0, right - left), height: max(0, bottom - top))
    }

    public var isEmpty: Bool { width <= 0 || height <= 0 }
}

/// What a piece of the screen is, so that a theme can colour it. Layout never names colours.
public enum ScreenRole: String, Sendable, Hashable, CaseIterable {
    /// The whole background.
    case background
    /// The header band: venue name, date and clock.
    case header, headerText, clock
    /// Section headings ("Aujourd'hui", "À venir").
    case heading
    /// Event times, titles, rooms and other details.
    case time, title, detail
    /// Currently running event (highlighted), and "Maintenant" tag.
    case running
    /// A cancelled event or a closing deadline.
    case cancelled
    /// Secondary text (footer, page numbers, empty-state lines).
    case muted
    /// Tags on notices and residents' initials.
    case tag
    /// An urgent notice.
    case urgent
    /// The footer band.
    case footer
    /// The welcome overlay of a badge check-in.
    case overlay, overlayTitle, overlayText
    /// A warning line (offline, clock not synchronised).
    case warning
    /// A call to see the reception desk (an unknown badge, a scan not recorded), in the
    /// attention colour rather than the welcome's green. The cell layout uses `.overlay`.
    case attention
    /// A staff alert that takes over the screen (`LobbySnapshot.alert`): the fill behind
    /// it and its text, one pair per level, in high contrast in every theme.
    case alertInformation, alertInformationText
    case alertClosure, alertClosureText
    case alertEvacuation, alertEvacuationText
}

extension ScreenAlert.Level {
    /// The fill of the whole screen while an alert of this level is shown.
    public var fillRole: ScreenRole {
        switch self {
        case .information: .alertInformation
        case .closure: .alertClosure
        case .evacuation: .alertEvacuation
        }
    }

    /// The level whose alert fills the screen with `role`, if any.
    public static func level(ofFill role: ScreenRole) -> ScreenAlert.Level? {
        allCases.first { $0.fillRole == role }
    }

    /// The text drawn on `fillRole`.
    public var textRole: ScreenRole {
        switch self {
        case .information: .alertInformationText
        case .closure: .alertClosureText
        case .evacuation: .alertEvacuationText
        }
    }
}

/// Horizontal placement of a text run inside its width.
public enum TextAlignment: Sendable, Hashable {
    case leading, center, trailing
}

/// A single line of text at a position, cut with "…" when wider than `width`.
public struct TextRun: Sendable, Hashable {
    public var column: Int
    public var row: Int
    /// Maximum width in cells (of the scaled glyphs).
    public var width: Int
    public var text: String
    public var role: ScreenRole
    /// Glyph scale on pixel displays: 2 draws headlines at twice the size and occupies
    /// 2 rows and 2 columns per character. Terminals draw scale 2 as bold at scale 1.
    public var scale: Int
    public var alignment: TextAlignment
    public var bold: Bool

    public init(column: Int, row: Int, width: Int, text: String, role: ScreenRole, scale: Int = 1, alignment: TextAlignment = .leading, bold: Bool = false) {
        self.column = column
        self.row = row
        self.width = width
        self.text = text
        self.role = role
        self.scale = scale
        self.alignment = alignment
        self.bold = bold
    }
}

/// A filled rectangle (a band, a panel, the overlay).
public struct Fill: Sendable, Hashable {
    public var rect: CellRect
    public var role: ScreenRole

    public init(_ rect: CellRect, _ role: ScreenRole) {
        self.rect = rect
        self.role = role
    }
}

/// The whole screen as laid-out boxes and text, independent of any display backend.
/// Fills are painted first, in order, then text runs.
public struct ScreenModel: Sendable, Hashable {
    public var columns: Int
    public var rows: Int
    public var fills: [Fill]
    public var runs: [TextRun]

    public init(columns: Int, rows: Int, fills: [Fill] = [], runs: [TextRun] = []) {
        self.columns = columns
        self.rows = rows
        self.fills = fills
        self.runs = runs
    }
}
