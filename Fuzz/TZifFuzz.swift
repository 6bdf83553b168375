// libFuzzer entry point for the time-zone readers: `TZifFile` (a TZif file, RFC 8536) and
// `POSIXTimeZoneRule` (a TZ string, as in a TZif footer), compiled with
// Sources/KioskCore/Time/*.swift by Fuzz/run-tzif-fuzz.sh.
//
// The first input byte chooses the reader (even: TZif, odd: TZ string). Besides "no crash,
// no sanitizer report", it checks that what is accepted keeps its bounds, and asks the
// zone every question the daemon asks (offset, local time to instant, start of a day,
// transitions) at instants spread over the years, so rule arithmetic is exercised too.

#if !FUZZ_STANDALONE
import KioskCore
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func tzifFuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: start, count: count))
    let bytes = Array(input.dropFirst())
    let rules: TZifFile
    if input[0] % 2 == 0 {
        guard let file = try? TZifFile(bytes: bytes) else { return 0 }
        precondition(file.transitionTimes.count <= TZifFile.maximumTransitions && !file.types.isEmpty)
        precondition(file.transitionTypes.allSatisfy { $0 < file.types.count })
        rules = file
    } else {
        guard let rule = try? POSIXTimeZoneRule(parsing: bytes) else { return 0 }
        rules = TZifFile(fixedOffset: rule.standardOffset, abbreviation: "X")
        let probe = IANATimeZone(identifier: "fuzz", rules: TZifFile(footer: rule))
        exercise(probe)
    }
    exercise(IANATimeZone(identifier: "fuzz", rules: rules))
    return 0
}

private func exercise(_ zone: IANATimeZone) {
    for t in [Int.min / 2, -1 << 40, -2_208_988_800, 0, 1_780_000_000, 4_102_444_800, 1 << 40, Int.max / 2] {
        let offset = zone.utcOffset(at: t)
        precondition(abs(offset) <= 200 * 3600)
        _ = zone.isDaylightSavingTime(at: t)
        if abs(t) < 1 << 41 {
            _ = zone.instant(fromLocal: t)
            _ = zone.startOfDay(CivilDate(dayNumber: t / 86_400))
            precondition(zone.transitions(from: t, to: t + 400 * 86_400).count <= 2000)
        }
    }
}
