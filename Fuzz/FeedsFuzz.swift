// libFuzzer entry points for the programme feed readers, compiled together with the readers
// of Sources/KioskFeeds and the KioskCore files they use by Fuzz/run-feeds-fuzz.sh (not part of the
// package build): one binary per format, chosen at compile time with -D FEEDS_FUZZ_ICS,
// FEEDS_FUZZ_OPENAGENDA or FEEDS_FUZZ_JSON.
//
// Each input goes through FeedDecoder.decode (the entry the daemon uses), with a probe
// window, then through the expander over the lobby's window. Besides "no crash, no trap,
// no sanitizer report", it checks what the budgets promise: at most `maxOccurrences`
// occurrences, every occurrence ending at or after its start and inside the window, at
// most `FeedWarnings.defaultLimit` warnings listed, and a listing that renders; and that
// the lines `JSONElementLines` gives events are in order and inside the document.
//
// The script compiles those files as one module named KioskCore, so
// `import KioskCore` is the whole reader; as package code it would import both modules.

import Foundation
#if FUZZ_STANDALONE
import KioskCore
#else
import KioskCore
import KioskFeeds
#endif

#if FEEDS_FUZZ_ICS
let fuzzedFormat = FeedFormat.ics
#elseif FEEDS_FUZZ_OPENAGENDA
let fuzzedFormat = FeedFormat.openagenda
#else
let fuzzedFormat = FeedFormat.json
#endif

/// 2026-11-24T00:00:00+01:00 and nine days on: what the lobby expands.
let fuzzWindow = DateInterval(start: Date(timeIntervalSince1970: 1_795_993_200), duration: 9 * 86_400)
let fuzzZone = IANATimeZone(identifier: "Europe/Paris")!

@_cdecl("LLVMFuzzerTestOneInput")
public func feedsFuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    // The lines a push report gives JSON events: in order, inside the document.
    let lines = JSONElementLines.ofEvents(bytes)
    let lineCount = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    precondition(zip(lines, lines.dropFirst()).allSatisfy { $0 <= $1 } && lines.allSatisfy { 1...lineCount ~= $0 })
    let options = FeedDecoder.Options(venueTimeZone: fuzzZone, language: "fr", probeWindow: fuzzWindow)
    guard let decoded = try? FeedDecoder.decode(bytes, format: fuzzedFormat, options: options) else { return 0 }
    precondition(decoded.warnings.count <= FeedWarnings.defaultLimit)
    precondition(decoded.warningCount >= decoded.warnings.count)
    precondition(decoded.eventsDropped * 2 <= decoded.eventsRead || decoded.eventsRead == 0)
    let limits = OccurrenceExpander.Limits()
    let result = OccurrenceExpander.expand(decoded.events, from: fuzzWindow.start, to: fuzzWindow.end, venueTimeZone: fuzzZone, limits: limits)
    precondition(result.occurrences.count <= limits.maxOccurrences)
    precondition(result.cuts.count <= OccurrenceExpander.maxListedCuts && result.cutCount >= result.cuts.count)
    for occurrence in result.occurrences {
        let from = occurrence.start.instant(in: fuzzZone), to = occurrence.end.instant(in: fuzzZone)
        precondition(from <= to, "an occurrence ends before it starts")
        precondition(from < fuzzWindow.end && (to > fuzzWindow.start || from == to), "an occurrence outside the window")
    }
    _ = OccurrenceListing.render(result.occurrences)
    return 0
}
