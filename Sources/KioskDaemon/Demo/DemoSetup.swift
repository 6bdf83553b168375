import Foundation
import KioskCore

/// Prepares what `kioskd --demo` runs on: the bundled demo files copied into a fresh
/// temporary directory, with their relative dates (`{{D+3}}`, `{{ISO-2}}`) made absolute
/// around today, and a state directory next to them that is deleted on exit.
public struct DemoSetup: Sendable {
    /// Where the copies and the throw-away database live.
    public let directory: URL
    public let configPath: String
    public let stateDirectory: String

    /// Finds the demo data: an explicit directory, `kiosk-config/demo` under the current
    /// directory or above the executable (a `swift run` from a checkout), or the
    /// installed copy: `../share/kiosk/demo` from the executable's directory (where
    /// `scripts/install --prefix` puts it), then `/usr/share/kiosk/demo`.
    public static func locateData(
        explicit: String?, executablePath: String = CommandLine.arguments[0], currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> URL? {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let explicit { candidates.append(URL(fileURLWithPath: explicit)) }
        candidates.append(URL(fileURLWithPath: currentDirectory).appendingPathComponent("kiosk-config/demo"))
        let executableDirectory = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        var dir = executableDirectory
        for _ in 0..<5 {
            candidates.append(dir.appendingPathComponent("kiosk-config/demo"))
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(executableDirectory.deletingLastPathComponent().appendingPathComponent("share/kiosk/demo"))
        candidates.append(URL(fileURLWithPath: "/usr/share/kiosk/demo"))
        return candidates.first { fm.fileExists(atPath: $0.appendingPathComponent("kiosk.conf").path) }
    }

    /// Copies the demo data into a new temporary directory, dating it around `today`.
    public static func prepare(from data: URL, today: CivilDate) throws -> DemoSetup {
        let fm = FileManager.default
        let base = fm.temporaryDirectory.appendingPathComponent("kiosk-demo-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        try fm.createDirectory(at: base, withIntermediateDirectories: true)
        let state = base.appendingPathComponent("state")
        try fm.createDirectory(at: state, withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: data.path) where !name.hasPrefix(".") && name != "README.md" {
            let source = data.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: source.path, isDirectory: &isDirectory), isDirectory.boolValue {
                // A folder of pictures (the residents' logos): copied as it is.
                try fm.copyItem(at: source, to: base.appendingPathComponent(name))
                continue
            }
            let text = try String(contentsOf: source, encoding: .utf8)
            try Data(dated(text, today: today).utf8).write(to: base.appendingPathComponent(name))
        }
        return DemoSetup(directory: base, configPath: base.appendingPathComponent("kiosk.conf").path, stateDirectory: state.path)
    }

    /// Replaces `{{D±N}}` with `YYYYMMDD` and `{{ISO±N}}` with `YYYY-MM-DD`, N days from `today`.
    public static func dated(_ text: String, today: CivilDate) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let token = rest[open.upperBound..<close.lowerBound]
            let iso = token.hasPrefix("ISO")
            let offsetText = token.dropFirst(iso ? 3 : 1)
            if (token.hasPrefix("D") || iso), let offset = Int(offsetText.hasPrefix("+") ? offsetText.dropFirst() : offsetText) {
                let date = today.adding(days: offset)
                out += iso ? date.description : date.description.replacingOccurrences(of: "-", with: "")
            } else {
                out += rest[open.lowerBound..<close.upperBound]
            }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// Deletes the temporary directory and everything in it.
    public func remove() { try? FileManager.default.removeItem(at: directory) }
}

import KioskStore

extension DemoSetup {
    /// Loads the demo's residents (with their logos, from `logos/`) and notices into the
    /// store, as `kioskctl residents import` and `kioskctl notices import` would. The
    /// programme comes through the ordinary feed puller (the demo's `[feed]` points at the
    /// dated `programme.ics`). A demo logo that cannot be used is an error: the demo data
    /// is ours.
    public static func importFixtures(from setup: DemoSetup, into store: StateStore, config: KioskConfig, now: Date) throws {
        let file = setup.directory.appendingPathComponent("residents.csv")
        let (residents, warnings) = ResidentLogoImport(importFile: file.path, store: store).residents(try ResidentImport.entries(Data(contentsOf: file)))
        if let warning = warnings.first { throw DemoDataError(message: warning.description) }
        _ = try store.residents.replaceAll(residents, at: now)
        let notices = try NoticeDocument.parse(Data(contentsOf: setup.directory.appendingPathComponent("notices.json")), timeZone: config.venue.timeZone, now: now)
        for notice in notices { try store.notices.upsert(notice, createdBy: "demo") }
    }
}

/// Demo data that cannot be loaded as it is.
struct DemoDataError: Error, CustomStringConvertible {
    var message: String
    var description: String { "demo data: \(message)" }
}
