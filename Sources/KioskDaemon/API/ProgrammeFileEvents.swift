import Foundation
import KioskCore
import KioskFeeds

/// Which event of a programme file a problem belongs to, so that a report can name it
/// ("« Atelier cassé », ligne 15") rather than only a line number.
///
/// Pure functions of the file's bytes; bounded by the file (one pass, no allocation beyond
/// one entry per event).
enum ProgrammeFileEvents {
    /// The VEVENT blocks of an iCalendar file: first and last physical line, and title.
    struct Blocks: Sendable {
        struct Block: Sendable {
            var first: Int
            var last: Int
            var title: String?
            var uid: String?
        }
        var blocks: [Block] = []

        /// The title (else the UID) of the event whose block holds `line`.
        func event(atLine line: Int) -> String? {
            guard let block = blocks.first(where: { $0.first <= line && line <= $0.last }) else { return nil }
            return block.title ?? block.uid
        }
    }

    /// Reads the VEVENT blocks of `body` line by line (a folded SUMMARY keeps its first
    /// line; enough to name the event).
    static func iCalendar(_ body: [UInt8]) -> Blocks {
        var result = Blocks()
        var current: Blocks.Block?
        var lineNumber = 0
        var start = 0
        func handle(_ line: ArraySlice<UInt8>) {
            lineNumber += 1
            var text = line
            if text.last == 0x0D { text = text.dropLast() }
            guard let first = text.first, first != 0x20, first != 0x09 else { return }
            let upper = String(decoding: text.prefix(16), as: UTF8.self).uppercased()
            if upper.hasPrefix("BEGIN:VEVENT") {
                current = Blocks.Block(first: lineNumber, last: lineNumber)
            } else if upper.hasPrefix("END:VEVENT"), var block = current {
                block.last = lineNumber
                result.blocks.append(block)
                current = nil
            } else if current != nil, upper.hasPrefix("SUMMARY") || upper.hasPrefix("UID") {
                guard let colon = text.firstIndex(of: 0x3A) else { return }
                let name = String(decoding: text[text.startIndex..<colon], as: UTF8.self).uppercased()
                let value = TerminalText.sanitized(unescape(String(decoding: text[(colon + 1)...].prefix(200), as: UTF8.self)))
                if name.hasPrefix("SUMMARY") && (name.count == 7 || name.dropFirst(7).first == ";") {
                    current?.title = value
                } else if name == "UID" {
                    current?.uid = value
                }
            }
        }
        for (i, byte) in body.enumerated() where byte == 0x0A {
            handle(body[start..<i])
            start = i + 1
        }
        if start < body.count { handle(body[start...]) }
        if var open = current {
            open.last = lineNumber
            result.blocks.append(open)
        }
        return result
    }

    /// `\,` `\;` `\\` `\n` of iCalendar TEXT values.
    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\n", with: " ").replacingOccurrences(of: "\\N", with: " ")
            .replacingOccurrences(of: "\\,", with: ",").replacingOccurrences(of: "\\;", with: ";")
            .replacingOccurrences(of: "\\\\", with: "\\")
    }

    /// The event a refusal names ("3 of 4 events are broken, the first: event x: dropped: …"),
    /// as the decoder wrote it, or nil.
    static func refusedEvent(_ reason: String) -> String? {
        guard let first = reason.range(of: " events are broken, the first: ") else { return nil }
        var rest = reason[first.upperBound...]
        if rest.hasPrefix("line "), let colon = rest.range(of: ": ") { rest = rest[colon.upperBound...] }
        guard rest.hasPrefix("event ") else { return nil }
        rest = rest.dropFirst(6)
        guard let end = rest.range(of: ": dropped: ") ?? rest.range(of: ": ") else { return nil }
        return String(rest[..<end.lowerBound])
    }

    /// The events of a JSON programme (native or OpenAgenda), read once for all the
    /// problems of a push: each one's title and uid, to name the event a reader's warning
    /// refers to (`#index`, `#index uid`, or a uid). (The line it starts on is the
    /// decoder's, `FeedWarnings.addEventLines`.)
    struct JSONEvents: Sendable {
        struct Entry: Sendable {
            var title: String?
            var uid: String?
        }
        var entries: [Entry] = []

        init(_ body: [UInt8]) {
            guard let root = try? JSONSerialization.jsonObject(with: Data(body)) else { return }
            let events: [Any]
            if let object = root as? [String: Any] {
                events = object["events"] as? [Any] ?? []
            } else {
                events = root as? [Any] ?? []
            }
            entries = events.map { event in
                let object = event as? [String: Any]
                return Entry(title: object.flatMap(Self.title), uid: object?["uid"].map { "\($0)" })
            }
        }

        private static func title(_ object: [String: Any]) -> String? {
            if let text = object["title"] as? String { return TerminalText.sanitized(text) }
            // OpenAgenda: multilingual titles.
            if let titles = object["title"] as? [String: Any] {
                return (titles["fr"] as? String ?? titles.values.compactMap { $0 as? String }.first).map(TerminalText.sanitized)
            }
            return nil
        }

        /// The event `reference` names: "#3" or "#3 uid" is the fourth of the list, else a uid.
        func entry(_ reference: String) -> Entry? {
            if let index = FeedWarning.jsonIndex(of: reference) {
                return entries.indices.contains(index) ? entries[index] : nil
            }
            return entries.first { $0.uid == reference }
        }

        /// How to name the event `reference` names: its title, else its uid, else the
        /// reference.
        func name(_ reference: String) -> String {
            if let title = entry(reference)?.title, !title.isEmpty { return title }
            if reference.hasPrefix("#"), let space = reference.firstIndex(of: " ") {
                return TerminalText.sanitized(String(reference[reference.index(after: space)...]))
            }
            return TerminalText.sanitized(reference)
        }
    }
}
