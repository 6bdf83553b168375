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
    /// again, which costs time, never memory). Room for a directory of 1000 logos besides
    /// the events' pictures and the posters, so a large directory is not checked again
    /// at every frame.
    static let maximumEntries = 2048

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
    /// uid, from `eventPictures`: uid to content hash), the posters with theirs, the
    /// residents' logos (by id, from `residentLogos`: id to content hash); whatever fails is
    /// left out, warned once through `warn`.
    mutating func pictures(config: KioskConfig, eventPictures: [String: String], posters: [Poster], residentLogos: [String: String],
                           files: PictureFileStore?, warn: (String) -> Void) -> ScreenPictures {
        let reader = PictureFileReader()
        let logo = Self.logoPath(config).flatMap { reference($0, what: "the venue's logo", reader: reader, warn: warn) }
        var events: [String: PictureRef] = [:]
        var shown: [(poster: Poster, picture: PictureRef)] = []
        var logos: [String: PictureRef] = [:]
        if let files {
            for (id, hash) in residentLogos.sorted(by: { $0.key < $1.key }) {
                guard let path = files.path(for: hash) else { continue }
                logos[id] = reference(path, what: "resident \(id)'s logo", reader: reader, warn: warn)
            }
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
        return ScreenPictures(logo: logo, events: events, posters: shown, residentLogos: logos)
    }

    /// `[venue] logo` as an absolute path (a relative one is read from the config's folder).
    static func logoPath(_ config: KioskConfig) -> String? {
        guard let logo = config.venue.logo, !logo.isEmpty else { return nil }
        if logo.hasPrefix("/") { return logo }
        return URL(fileURLWithPath: config.path).deletingLastPathComponent().appendingPathComponent(logo).path
    }
}

/// The pictures a snapshot may name, each checked to decode (`ScreenPictureChecks`).
struct ScreenPictures: Sendable {
    var logo: PictureRef?
    /// By event uid.
    var events: [String: PictureRef]
    var posters: [(poster: Poster, picture: PictureRef)]
    /// By resident id.
    var residentLogos: [String: PictureRef]
}

extension LobbySnapshot.Inputs {
    /// The inputs with the pictures of `pictures` (`ScreenPictureChecks.pictures`).
    mutating func add(_ pictures: ScreenPictures) {
        logo = pictures.logo
        eventPictures = pictures.events
        posters = pictures.posters
        residentLogos = pictures.residentLogos
    }
}
