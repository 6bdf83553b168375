import Foundation
import KioskCore
import KioskDisplay

/// Where the framebuffer's fonts and themes are: a directory holding `fonts/` (the
/// Terminus PSF files) and `themes/` (`*.theme`), i.e. the repository's `assets/`.
public enum PixelAssets {
    /// Looks, in order, in `explicit`, `$KIOSK_ASSETS`, `assets/` under the current
    /// directory and above the executable (a `swift run` from a checkout), then the
    /// installed copies: `../share/kiosk/assets` from the executable's directory (where
    /// `scripts/install --prefix` puts them), `/usr/share/kiosk/assets` and
    /// `/usr/local/share/kiosk/assets`.
    /// Nil when none holds the fonts.
    public static func locate(
        explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        executablePath: String = CommandLine.arguments[0], currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> String? {
        let fm = FileManager.default
        var candidates: [String] = []
        if let explicit { candidates.append(explicit) }
        if let fromEnvironment = environment["KIOSK_ASSETS"], !fromEnvironment.isEmpty { candidates.append(fromEnvironment) }
        candidates.append(currentDirectory + "/assets")
        let executableDirectory = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        var dir = executableDirectory
        for _ in 0..<5 {
            candidates.append(dir.appendingPathComponent("assets").path)
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(executableDirectory.deletingLastPathComponent().appendingPathComponent("share/kiosk/assets").path)
        candidates += ["/usr/share/kiosk/assets", "/usr/local/share/kiosk/assets"]
        let probe = "/fonts/" + ShippedFonts.sizes[0].regularFileName
        return candidates.first { fm.fileExists(atPath: $0 + probe) }
    }

    public static func fontDirectory(_ assets: String) -> String { assets + "/fonts" }
    public static func themeDirectory(_ assets: String) -> String { assets + "/themes" }
}

extension PixelTheme {
    /// The theme `name` from `<directory>/<name>.theme`; the built-in theme of that name
    /// (`high-contrast`, else the lobby theme, the same as `default.theme`) when the file
    /// does not exist. A file that exists but is wrong is an error naming its line.
    /// With `accent` (`[venue] accent`) the header band takes that colour, its text white
    /// or black; a pair that then falls below WCAG's contrast is an error naming the accent.
    public static func load(named name: String, directory: String?, accent: UInt32? = nil) throws(PixelThemeError) -> PixelTheme {
        var theme = try loadFile(named: name, directory: directory)
        guard let accent else { return theme }
        let colour = PixelColor(rgb: accent)
        theme = theme.applyingAccent(colour)
        if let problem = theme.contrastProblems().first {
            throw PixelThemeError(source: "[venue] accent = \(colour)", line: 0, message: problem.description)
        }
        return theme
    }

    /// The theme as `config` asks for it: `[screen] theme` from `directory`, with
    /// `[venue] accent` applied.
    public static func load(for config: KioskConfig, directory: String?) throws(PixelThemeError) -> PixelTheme {
        try load(named: config.screen.theme, directory: directory, accent: config.venue.accent)
    }

    private static func loadFile(named name: String, directory: String?) throws(PixelThemeError) -> PixelTheme {
        guard let directory else { return builtIn(named: name) }
        let path = "\(directory)/\(name).theme"
        guard let data = FileManager.default.contents(atPath: path) else { return builtIn(named: name) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PixelThemeError(source: path, line: 0, message: "not UTF-8 text")
        }
        return try parse(text, name: name, source: path)
    }
}
