/// How many colours a terminal can show, which decides the SGR sequences
/// `TerminalFrameEncoder` may emit.
public enum ColorMode: Hashable, Sendable, CaseIterable {
    /// No colour sequences at all: only bold, dim, underline and inverse.
    case monochrome
    /// The 16 ANSI colours (SGR 30-37, 90-97, 40-47, 100-107): the Linux console, old xterms.
    case ansi16
    /// The xterm 256-colour palette (SGR 38;5;n / 48;5;n).
    case palette256
    /// 24-bit colour (SGR 38;2;r;g;b / 48;2;r;g;b).
    case trueColor

    /// The colour mode to use for a terminal, from its environment variables.
    ///
    /// - `NO_COLOR` present and not empty (https://no-color.org) -> monochrome.
    /// - `TERM` unset, empty, `dumb`, or a monochrome hardware terminal (`vt52`, `vt100`,
    ///   `vt102`, `vt220`, `vt320`) -> monochrome.
    /// - `COLORTERM` = `truecolor` or `24bit` -> trueColor.
    /// - `TERM` ending in `-256color` (or containing `256col`) or `-direct` -> palette256
    ///   (trueColor for `-direct`).
    /// - any other `TERM` (`linux`, `xterm`, `screen`, `vt100` descendants with colour...)
    ///   -> ansi16.
    ///
    /// `isTerminal` false (output is a file or a pipe) gives monochrome: no escape codes
    /// meant for colour end up in a log.
    public static func detect(environment: [String: String], isTerminal: Bool = true) -> ColorMode {
        guard isTerminal else { return .monochrome }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        let term = (environment["TERM"] ?? "").lowercased()
        if term.isEmpty || term == "dumb" || ["vt52", "vt100", "vt102", "vt220", "vt320"].contains(term) {
            return .monochrome
        }
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" || term.hasSuffix("-direct") {
            return .trueColor
        }
        if term.contains("256col") { return .palette256 }
        return .ansi16
    }
}
