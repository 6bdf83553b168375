import Foundation
import KioskCore
import KioskDisplay
import KioskStore

/// Turns the `logo` cells of a directory import (`ResidentImport.Entry`) into residents'
/// logos.
///
/// - An http(s) URL is kept as it is: `ResidentLogoFetcher` fetches it in the feed helper.
/// - `sha256:<hash>` names a picture this kiosk already stores (what `kioskctl residents
///   list` and `GET /api/v1/residents` show for a logo read from a file), so an export
///   imported again keeps its logos, in an upload too.
/// - Anything else is a path to a PNG or JPEG file, relative to the import file's folder
///   (what a venue expects of a spreadsheet exported beside its `logos/` folder; an
///   absolute path is taken as it is). The file is read (at most `maximumFileBytes`),
///   decoded within `PictureLimits.standard` (at the smallest scale the format allows:
///   every byte checked, few pixels kept) and stored by content hash in the state
///   directory's `pictures/`. An upload (`baseDirectory` nil: the staff API) cannot name
///   files on the kiosk: only URLs there.
///
/// A logo that cannot be used is a warning naming the file, the line and the reason; the
/// resident is kept without a logo. Nothing here throws.
public struct ResidentLogoImport {
    /// One logo left out: where in the import, and why.
    public struct Warning: Sendable, Hashable, CustomStringConvertible {
        /// "residents.csv: line 4" (CSV) or "upload: residents[3]" (JSON).
        public var location: String
        /// The line, for the staff API's report; nil in JSON.
        public var line: Int?
        public var message: String
        public var description: String { "\(location): \(message)" }
    }

    /// The import file's folder, which relative paths are read from; nil for an upload.
    public var baseDirectory: String?
    /// The import file as messages name it ("residents.csv", "upload").
    public var source: String
    /// Where pictures read at import are stored; nil (an in-memory store): paths refused.
    public var files: PictureFileStore?
    /// The largest logo file read (the size the screen's picture reader takes).
    public var maximumFileBytes = PictureFileReader.defaultMaximumBytes

    public init(baseDirectory: String?, source: String, files: PictureFileStore?) {
        self.baseDirectory = baseDirectory
        self.source = source
        self.files = files
    }

    /// The import of the file at `path` (its folder for relative logo paths), storing
    /// into `store`'s picture folder.
    public init(importFile path: String, store: StateStore) {
        self.init(baseDirectory: (path as NSString).deletingLastPathComponent, source: path, files: store.pictureFiles)
    }

    /// The residents of `entries` with their logos, and the logos left out.
    public func residents(_ entries: [ResidentImport.Entry]) -> (residents: [Resident], warnings: [Warning]) {
        var residents: [Resident] = []
        var warnings: [Warning] = []
        // A file several residents name is read once.
        var read: [String: Result<String, LogoError>] = [:]
        for entry in entries {
            var resident = entry.resident
            resident.logo = nil
            let cell = entry.logo
            if !cell.isEmpty {
                switch logo(cell, read: &read) {
                case .success(let logo): resident.logo = logo
                case .failure(let error):
                    let line = entry.location.hasPrefix("line ") ? Int(entry.location.dropFirst(5)) : nil
                    warnings.append(Warning(
                        location: "\(source): \(entry.location)", line: line,
                        message: "logo '\(String(cell.prefix(200)))': \(error.reason); « \(resident.name) » is listed without a logo"))
                }
            }
            residents.append(resident)
        }
        return (residents, warnings)
    }

    struct LogoError: Error {
        var reason: String
    }

    private func logo(_ cell: String, read: inout [String: Result<String, LogoError>]) -> Result<Resident.Logo, LogoError> {
        let lower = cell.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard let url = URL(string: cell), let host = url.host, !host.isEmpty, cell.utf8.count <= 2048 else {
                return .failure(LogoError(reason: "not a valid URL"))
            }
            return .success(.url(cell))
        }
        if lower.hasPrefix(Resident.Logo.storedPrefix) {
            let hash = String(lower.dropFirst(Resident.Logo.storedPrefix.count))
            guard let files, files.path(for: hash) != nil else {
                return .failure(LogoError(reason: "\(Resident.Logo.storedPrefix) takes the 64 hex digits of a picture stored on this kiosk"))
            }
            // Touched, so that a collection running before the import commits keeps it.
            guard files.retain(hash) else {
                return .failure(LogoError(reason: "no such picture on this kiosk (an export from another kiosk names its logo files by hash: give a path or a URL)"))
            }
            return .success(.stored(hash: hash))
        }
        if cell.contains("://") { return .failure(LogoError(reason: "only http(s) URLs and file paths are taken (or sha256: for a picture this kiosk stores)")) }
        guard let baseDirectory else {
            return .failure(LogoError(reason: "a file path is read only by `kioskctl residents import FILE` on the kiosk; in an upload give an http(s) URL"))
        }
        let path = cell.hasPrefix("/") ? cell : (baseDirectory as NSString).appendingPathComponent(cell)
        let resolved = (path as NSString).standardizingPath
        if let known = read[resolved] { return known.map { .stored(hash: $0) } }
        let result = store(resolved)
        read[resolved] = result
        return result.map { .stored(hash: $0) }
    }

    /// Reads, checks and stores the file at `path`; its content hash.
    private func store(_ path: String) -> Result<String, LogoError> {
        guard let files else { return .failure(LogoError(reason: "no state directory to keep it in")) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return .failure(LogoError(reason: "no such file (\(path))"))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maximumFileBytes else {
            return .failure(LogoError(reason: "\(path): \(size) bytes, over the limit of \(maximumFileBytes)"))
        }
        guard let data = FileManager.default.contents(atPath: path), data.count <= maximumFileBytes else {
            return .failure(LogoError(reason: "\(path) cannot be read"))
        }
        let bytes = [UInt8](data)
        do {
            _ = try PictureDecoder.decode(bytes, limits: .standard, reduction: .most)
        } catch {
            return .failure(LogoError(reason: "\(path): \(error)"))
        }
        do {
            return .success(try files.store(bytes))
        } catch {
            return .failure(LogoError(reason: "\(error)"))
        }
    }
}
