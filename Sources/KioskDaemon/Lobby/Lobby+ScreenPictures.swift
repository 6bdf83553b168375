import Foundation
import KioskCore
import KioskDisplay
import KioskStore

/// The pictures a snapshot may name, each checked once to read and decode: a picture that
/// fails is left out of the screen (the event keeps its place without it, a poster is not
/// shown) with one journal warning saying which file and why.
struct ScreenPictureChecks: Sendable {
    /// Results by path: the picture's upright shape, or nil when it failed.
    private var checked: [String: PictureRef?] = [:]
    /// Paths remembered at most; past this the table starts again (pictures are checked
    /// again, which costs time, never memory).
    static let maximumEntries = 512

    /// The picture at `path`, or nil (warned once through `warn`) when it cannot be shown.
    /// The check decodes at the smallest scale the format allows (a JPEG at 1/8: every byte
    /// read and checked, the pixels a 64th), which gives the shape.
    mutating func reference(_ path: String, what: String, reader: PictureFileReader, warn: (String) -> Void) -> PictureRef? {
        if let known = checked[path] { return known }
        if checked.count >= Self.maximumEntries { checked.removeAll() }
        do {
            let picture = try PictureDecoder.decode(try reader.pictureBytes(for: path), reduction: .most)
            let ref = PictureRef(key: path, width: picture.width, height: picture.height)
            checked[path] = ref
            return ref
        } catch {
            checked[path] = .some(nil)
            warn("picture of \(what) (\(path)): \(error); shown without it")
            return nil
        }
    }

    /// Forgets every result (after a reload: a file may have been replaced).
    mutating func removeAll() { checked.removeAll() }
}

extension ScreenPictureChecks {
    /// The pictures of a snapshot's inputs: the venue's logo, the events' pictures (by
    /// uid, from `eventPictures`: uid to content hash), the posters with theirs; whatever
    /// fails is left out, warned once through `warn`.
    mutating func pictures(config: KioskConfig, eventPictures: [String: String], posters: [Poster], files: PictureFileStore?,
                           warn: (String) -> Void) -> (logo: PictureRef?, events: [String: PictureRef], posters: [(poster: Poster, picture: PictureRef)]) {
        let reader = PictureFileReader()
        let logo = Self.logoPath(config).flatMap { reference($0, what: "the venue's logo", reader: reader, warn: warn) }
        var events: [String: PictureRef] = [:]
        var shown: [(poster: Poster, picture: PictureRef)] = []
        if let files {
            for (uid, hash) in eventPictures.sorted(by: { $0.key < $1.key }) {
                guard let path = files.path(for: hash) else { continue }
                events[uid] = reference(path, what: "event \(uid)", reader: reader, warn: warn)
            }
            for poster in posters {
                guard let path = files.path(for: poster.picture),
                      let ref = reference(path, what: "poster \(poster.id) « \(poster.title) »", reader: reader, warn: warn) else { continue }
                shown.append((poster, ref))
            }
        }
        return (logo, events, shown)
    }

    /// `[venue] logo` as an absolute path (a relative one is read from the config's folder).
    static func logoPath(_ config: KioskConfig) -> String? {
        guard let logo = config.venue.logo, !logo.isEmpty else { return nil }
        if logo.hasPrefix("/") { return logo }
        return URL(fileURLWithPath: config.path).deletingLastPathComponent().appendingPathComponent(logo).path
    }
}

extension LobbySnapshot.Inputs {
    /// The inputs with the pictures of `pictures` (`ScreenPictureChecks.pictures`).
    mutating func add(_ pictures: (logo: PictureRef?, events: [String: PictureRef], posters: [(poster: Poster, picture: PictureRef)])) {
        logo = pictures.logo
        eventPictures = pictures.events
        posters = pictures.posters
    }
}
