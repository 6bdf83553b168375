import Foundation

extension Occurrence {
    /// Whether the occurrence takes place at `instant`: started at or before it, ends
    /// after it (end exclusive), and neither cancelled nor postponed. All-day
    /// occurrences run from midnight to midnight in `timeZone` (the venue's).
    public func isInProgress(at instant: Date, timeZone: IANATimeZone) -> Bool {
        guard status != .cancelled && status != .postponed else { return false }
        return start.instant(in: timeZone) <= instant && instant < end.instant(in: timeZone)
    }

    /// The occurrence a check-in at `instant` counts for: among those in progress, the
    /// one that started most recently (a workshop starting at 14:00 wins over the
    /// all-day exhibition); on equal starts the one ending first (the more specific),
    /// then the smaller uid, so the choice never depends on the order of `candidates`.
    public static func countedForAttendance(at instant: Date, among candidates: [Occurrence], timeZone: IANATimeZone) -> Occurrence? {
        candidates.filter { $0.isInProgress(at: instant, timeZone: timeZone) }.min { a, b in
            let (aStart, bStart) = (a.start.instant(in: timeZone), b.start.instant(in: timeZone))
            if aStart != bStart { return aStart > bStart }
            let (aEnd, bEnd) = (a.end.instant(in: timeZone), b.end.instant(in: timeZone))
            if aEnd != bEnd { return aEnd < bEnd }
            return a.uid < b.uid
        }
    }
}
