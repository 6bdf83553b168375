/// A POSIX TZ string such as `CET-1CEST,M3.5.0,M10.5.0/3` or `<+03>-3`, as a TZif footer
/// carries it (RFC 8536 section 3.3, POSIX.1-2017 section 8.3).
///
/// Offsets are kept as seconds **east** of UTC (the string writes them west: `CET-1` is
/// UTC+1). Rule times are local seconds after midnight of the rule's day; version 3 files
/// allow them from -167 to 167 hours (`EST5EDT,0/0,J365/25` is daylight time all year).
public struct POSIXTimeZoneRule: Sendable, Hashable {
    /// The day a change happens on.
    public enum Day: Sendable, Hashable {
        /// `Jn`: day 1 to 365, 29 February never counted.
        case julianWithoutLeapDay(Int)
        /// `n`: day 0 to 365, 29 February counted.
        case zeroBased(Int)
        /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (1 to 5, 5 = the last) of month `m`.
        case monthWeekDay(month: Int, week: Int, weekday: Int)
    }

    /// When a change happens: a day and a local time (seconds, may be negative or past 24 h).
    public struct Change: Sendable, Hashable {
        public var day: Day
        public var time: Int
    }

    public struct DaylightTime: Sendable, Hashable {
        public var name: String
        public var utcOffset: Int
        /// When daylight time starts (read in standard time) and ends (read in daylight time).
        public var start: Change
        public var end: Change
    }

    public var standardName: String
    public var standardOffset: Int
    public var daylight: DaylightTime?

    /// Parses a TZ string; `allowsExtendedHours` admits version 3 rule times.
    public init(parsing text: some Collection<UInt8>, allowsExtendedHours: Bool = true) throws(TZifError) {
        var scanner = POSIXRuleScanner(bytes: Array(text), extendedHours: allowsExtendedHours)
        standardName = try scanner.name()
        standardOffset = -(try scanner.offset(maxHours: 24, what: "standard offset"))
        if scanner.atEnd {
            daylight = nil
            return
        }
        let daylightName = try scanner.name()
        var daylightOffset = standardOffset + 3600
        if let byte = scanner.peek, byte != UInt8(ascii: ",") {
            daylightOffset = -(try scanner.offset(maxHours: 24, what: "daylight offset"))
        }
        // A daylight name without a rule has no agreed meaning; tzdata never writes one.
        try scanner.expect(",", "a rule after the daylight name")
        let start = try scanner.change()
        try scanner.expect(",", "the end of daylight time")
        let end = try scanner.change()
        guard scanner.atEnd else { throw TZifError("TZ string has trailing bytes at \(scanner.position)") }
        daylight = DaylightTime(name: daylightName, utcOffset: daylightOffset, start: start, end: end)
    }

    /// The offset in force at `instant` (seconds since 1970, UTC).
    public func utcOffset(at instant: Int) -> Int {
        guard daylight != nil else { return standardOffset }
        var offset = standardOffset
        var latest = Int.min
        for change in changes(aroundYearOf: instant) where change.at <= instant && change.at >= latest {
            latest = change.at
            offset = change.offset
        }
        return offset
    }

    /// The changes of the year `instant` falls in and the years either side, in order.
    func changes(aroundYearOf instant: Int) -> [(at: Int, offset: Int)] {
        let clamped = min(max(instant, -1 << 40), 1 << 40)
        let year = CivilDate(dayNumber: floorDivide(clamped + standardOffset, 86_400)).year
        return changes(years: (year - 1)...(year + 1))
    }

    /// The changes (instants, UTC, with the offset each puts in force) of the given years,
    /// sorted; none without daylight time.
    public func changes(years: ClosedRange<Int>) -> [(at: Int, offset: Int)] {
        guard let daylight else { return [] }
        var result: [(at: Int, offset: Int)] = []
        for year in years {
            result.append((daylight.start.localSeconds(in: year) - standardOffset, daylight.utcOffset))
            result.append((daylight.end.localSeconds(in: year) - daylight.utcOffset, standardOffset))
        }
        return result.sorted { $0.at < $1.at }
    }
}

extension POSIXTimeZoneRule.Change {
    /// Local seconds since 1970 of this change in `year`.
    func localSeconds(in year: Int) -> Int {
        let january1 = CivilDate(year: year, month: 1, day: 1).dayNumber
        let isLeap = CivilDate.daysIn(month: 2, year: year) == 29
        let dayNumber: Int
        switch day {
        case .julianWithoutLeapDay(let n): dayNumber = january1 + n - 1 + (isLeap && n >= 60 ? 1 : 0)
        case .zeroBased(let n): dayNumber = january1 + n
        case .monthWeekDay(let month, let week, let weekday):
            let first = CivilDate(year: year, month: month, day: 1).dayNumber
            let firstWeekday = ((first + 4) % 7 + 7) % 7  // 1970-01-01 was a Thursday
            var day = 1 + (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
            while day > CivilDate.daysIn(month: month, year: year) { day -= 7 }
            dayNumber = first + day - 1
        }
        return dayNumber * 86_400 + time
    }
}

/// Reads the pieces of a TZ string; every number is bounded before it is used.
struct POSIXRuleScanner {
    let bytes: [UInt8]
    let extendedHours: Bool
    var position = 0

    var atEnd: Bool { position == bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[position] }

    mutating func expect(_ character: Unicode.Scalar, _ what: String) throws(TZifError) {
        guard peek == UInt8(ascii: character) else { throw TZifError("TZ string: expected \(what) at \(position)") }
        position += 1
    }

    /// `std`/`dst`: three or more letters, or `<...>` with letters, digits, `+` and `-`.
    mutating func name() throws(TZifError) -> String {
        let start = position
        if peek == UInt8(ascii: "<") {
            position += 1
            while let b = peek, isLetter(b) || isDigit(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") { position += 1 }
            guard position - start - 1 >= 3, peek == UInt8(ascii: ">") else { throw TZifError("TZ string: bad quoted name at \(start)") }
            position += 1
            return String(decoding: bytes[(start + 1)..<(position - 1)], as: UTF8.self)
        }
        while let b = peek, isLetter(b) { position += 1 }
        guard position - start >= 3 else { throw TZifError("TZ string: zone name of fewer than 3 letters at \(start)") }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// `[+-]hh[:mm[:ss]]` in seconds, hours at most `maxHours`.
    mutating func offset(maxHours: Int, what: String) throws(TZifError) -> Int {
        var sign = 1
        if peek == UInt8(ascii: "+") { position += 1 } else if peek == UInt8(ascii: "-") { sign = -1; position += 1 }
        let hours = try number(maxDigits: 3, what: what)
        guard hours <= maxHours else { throw TZifError("TZ string: \(what) of \(hours) hours") }
        var seconds = hours * 3600
        for unit in [60, 1] {
            guard peek == UInt8(ascii: ":") else { break }
            position += 1
            let n = try number(maxDigits: 2, what: what)
            guard n <= 59 else { throw TZifError("TZ string: \(what) has \(n) minutes or seconds") }
            seconds += n * unit
        }
        return sign * seconds
    }

    /// `date[/time]`.
    mutating func change() throws(TZifError) -> POSIXTimeZoneRule.Change {
        let day: POSIXTimeZoneRule.Day
        if peek == UInt8(ascii: "J") {
            position += 1
            let n = try number(maxDigits: 3, what: "Julian day")
            guard (1...365).contains(n) else { throw TZifError("TZ string: Julian day J\(n)") }
            day = .julianWithoutLeapDay(n)
        } else if peek == UInt8(ascii: "M") {
            position += 1
            let month = try number(maxDigits: 2, what: "month")
            try expect(".", "'.' after the month")
            let week = try number(maxDigits: 1, what: "week")
            try expect(".", "'.' after the week")
            let weekday = try number(maxDigits: 1, what: "weekday")
            guard (1...12).contains(month), (1...5).contains(week), (0...6).contains(weekday) else {
                throw TZifError("TZ string: M\(month).\(week).\(weekday) is not a day")
            }
            day = .monthWeekDay(month: month, week: week, weekday: weekday)
        } else {
            let n = try number(maxDigits: 3, what: "day")
            guard n <= 365 else { throw TZifError("TZ string: day \(n)") }
            day = .zeroBased(n)
        }
        var time = 7200
        if peek == UInt8(ascii: "/") {
            position += 1
            if !extendedHours, peek == UInt8(ascii: "-") { throw TZifError("TZ string: negative rule time before version 3") }
            time = try offset(maxHours: extendedHours ? 167 : 24, what: "rule time")
        }
        return .init(day: day, time: time)
    }

    mutating func number(maxDigits: Int, what: String) throws(TZifError) -> Int {
        let start = position
        var value = 0
        while let b = peek, isDigit(b), position - start < maxDigits {
            value = value * 10 + Int(b - UInt8(ascii: "0"))
            position += 1
        }
        guard position > start else { throw TZifError("TZ string: expected a number (\(what)) at \(start)") }
        return value
    }

    private func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}
