/// Why an iCalendar file was rejected: the physical line where the offending content line
/// starts (1-based, before unfolding) and what is wrong with it.
public struct ICalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "iCalendar line \(line): \(reason)" }
}
