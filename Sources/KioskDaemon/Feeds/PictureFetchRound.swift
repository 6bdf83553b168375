import Foundation
import KioskCore

/// One round of fetching pictures by URL in a `kioskd --feed-helper` child (events'
/// images, residents' logos): each with a conditional GET when a copy is held, the given
/// timeout and size limit, checked to decode within the screen's limits by the helper,
/// and recorded through the lobby (stored by content hash; a failure keeps the copy
/// fetched before, if any).
struct PictureFetchRound {
    /// At most this many URLs per round, fetched one at a time.
    static let maximumPerRound = 64

    let lobby: Lobby
    let helper: FeedHelperClient
    let timeout: TimeInterval
    let maxBytes: Int

    /// What became of one URL.
    enum Outcome: Sendable, Equatable {
        case fetched
        case notModified
        /// The reason, and whether a copy fetched before stays on screen.
        case failed(String, keptPrevious: Bool)
    }

    /// Fetches the first `maximumPerRound` http(s) URLs of `urls` (others are skipped) and
    /// records each; returns what became of each URL fetched, in order. Throws when the
    /// helper or the store fails (then nothing is recorded for the URLs not answered).
    func run(_ urls: [String]) async throws -> [(url: String, outcome: Outcome)] {
        var pictures: [FeedHelper.PictureRequest] = []
        var held: Set<String> = []
        let files = await lobby.pictureFiles
        for text in urls.prefix(Self.maximumPerRound) {
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? "") else { continue }
            let known = try await lobby.fetchedPicture(url: text)
            // A record whose file is gone (another process's clean-up, e.g. `kioskctl
            // residents import`, between the file's write and the record's) must not ask
            // conditionally: a 304 would leave it without a picture for good.
            let holds = known?.picture.map { hash in files.map { $0.holds(hash) } ?? true } ?? false
            if holds { held.insert(text) }
            pictures.append(.init(url: text, etag: holds ? known?.etag : nil, lastModified: holds ? known?.lastModified : nil))
        }
        guard !pictures.isEmpty else { return [] }
        var request = FeedHelper.Request(url: pictures[0].url, format: .ics, timeout: timeout, maxBytes: maxBytes, venueTimeZone: "UTC", language: "fr")
        request.pictures = pictures
        var client = helper
        client.grace += timeout * Double(pictures.count)
        var outcomes: [(url: String, outcome: Outcome)] = []
        for answer in try await client.run(request).get().pictures {
            if answer.notModified {
                try await lobby.recordFetchedPicture(url: answer.url, bytes: nil, etag: nil, lastModified: nil, error: nil)
                outcomes.append((answer.url, .notModified))
            } else if let bytes = answer.bytes {
                try await lobby.recordFetchedPicture(url: answer.url, bytes: [UInt8](bytes), etag: answer.etag, lastModified: answer.lastModified, error: nil)
                outcomes.append((answer.url, .fetched))
            } else {
                let error = answer.error ?? "no answer"
                // `recordFetchedPicture` keeps a picture fetched before.
                try await lobby.recordFetchedPicture(url: answer.url, bytes: nil, etag: nil, lastModified: nil, error: error)
                outcomes.append((answer.url, .failed(error, keptPrevious: held.contains(answer.url))))
            }
        }
        return outcomes
    }
}

extension PictureFetchRound {
    /// Logs each failed URL of `outcomes` as one journal line (info)
    /// `<subject(url)> <url, at most 120 characters>: <error>; <keptPrevious or withoutPicture>`,
    /// the URL and the error cleaned of control characters; returns how many failed.
    @discardableResult
    static func logFailures(of outcomes: [(url: String, outcome: Outcome)], to logger: JournalLogger, subject: (String) -> String,
                            keptPrevious: String, withoutPicture: String) -> Int {
        var failures = 0
        for (url, outcome) in outcomes {
            guard case .failed(let error, let kept) = outcome else { continue }
            failures += 1
            logger.info("\(subject(url)) \(TerminalText.sanitized(String(url.prefix(120)))): \(TerminalText.sanitized(error)); \(kept ? keptPrevious : withoutPicture)")
        }
        return failures
    }
}
