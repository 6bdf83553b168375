/// The contents of a TZif file (RFC 8536): the transitions of one time zone, the local
/// time types they switch to, and the footer's POSIX TZ rule for instants after the last
/// transition.
///
/// Versions 1 to 4 are read. Version 2 and later files carry the data twice; the 32-bit
/// block is skipped and the 64-bit one used. Leap-second records are skipped (the zone
/// files under `/usr/share/zoneinfo` have none; `right/` ones do, and their times are
/// not what the daemon's clock counts). Every count is checked against the bytes left in
/// the file before anything is allocated, and against fixed bounds.
public struct TZifFile: Sendable, Hashable {
    /// A local time type: its offset in seconds east of UTC and whether it is daylight time.
    public struct LocalTimeType: Sendable, Hashable {
        public var utcOffset: Int
        public var isDaylight: Bool
        public var abbreviation: String
    }

    public var version: Int
    /// Transition instants (seconds since 1970, UTC), strictly ascending.
    public var transitionTimes: [Int]
    /// The index into `types` each transition switches to.
    public var transitionTypes: [Int]
    /// At least one; type 0 is in force before the first transition.
    public var types: [LocalTimeType]
    /// The footer's rule (version 2 and later), nil when absent or empty.
    public var footer: POSIXTimeZoneRule?

    /// Files larger than this are refused before they are read (the largest zone file of
    /// tzdata is under 4 kB; a `right/` one under 6 kB).
    public static let maximumFileSize = 256 * 1024
    /// More transitions than this are refused (tzdata's busiest zone has a few hundred).
    public static let maximumTransitions = 10_000

    /// Reads `bytes` as a TZif file.
    public init(bytes: [UInt8]) throws(TZifError) {
        guard bytes.count <= Self.maximumFileSize else { throw TZifError("file of \(bytes.count) bytes, more than \(Self.maximumFileSize)") }
        var reader = TZifByteReader(bytes: bytes)
        let first = try reader.header()
        version = first.version
        if first.version == 1 {
            (transitionTimes, transitionTypes, types) = try reader.dataBlock(first, timeSize: 4)
            footer = nil
            return
        }
        try reader.skip(first.dataBlockLength(timeSize: 4), what: "version 1 data block")
        let second = try reader.header()
        guard second.version == first.version else { throw TZifError("second header says version \(second.version), first \(first.version)") }
        (transitionTimes, transitionTypes, types) = try reader.dataBlock(second, timeSize: 8)
        footer = try reader.footer(version: first.version)
    }

    /// The offset in force at `instant` (seconds since 1970) by the table and the footer.
    public func utcOffset(at instant: Int) -> Int {
        guard let last = transitionTimes.last else { return footer?.utcOffset(at: instant) ?? types[0].utcOffset }
        if instant >= last, let footer { return footer.utcOffset(at: instant) }
        guard instant >= transitionTimes[0] else { return types[0].utcOffset }
        // The last transition at or before `instant`.
        var low = 0, high = transitionTimes.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if transitionTimes[mid] <= instant { low = mid } else { high = mid - 1 }
        }
        return types[transitionTypes[low]].utcOffset
    }
}

/// Why a TZif file (or its footer) was refused.
public struct TZifError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// The header fields of one TZif data block (RFC 8536 section 3.1).
struct TZifHeader {
    var version: Int
    var isUTCCount: Int, isStandardCount: Int, leapCount: Int
    var timeCount: Int, typeCount: Int, characterCount: Int

    /// Bytes of the data block that follows; counts are at most 2^32 - 1, so no overflow.
    func dataBlockLength(timeSize: Int) -> Int {
        timeCount * timeSize + timeCount + typeCount * 6 + characterCount
            + leapCount * (timeSize + 4) + isStandardCount + isUTCCount
    }
}

/// A cursor over the file's bytes; every read is checked against what is left.
struct TZifByteReader {
    let bytes: [UInt8]
    var position = 0

    var remaining: Int { bytes.count - position }

    mutating func skip(_ count: Int, what: String) throws(TZifError) {
        guard count >= 0, count <= remaining else {
            throw TZifError("\(what) needs \(count) bytes at offset \(position), \(remaining) left")
        }
        position += count
    }

    mutating func integer(size: Int) -> Int {
        var value: UInt64 = 0
        for i in 0..<size { value = value << 8 | UInt64(bytes[position + i]) }
        position += size
        // Sign-extend a 32-bit value; a 64-bit one is two's complement already.
        return size == 4 ? Int(Int32(truncatingIfNeeded: value)) : Int(Int64(bitPattern: value))
    }

    mutating func header() throws(TZifError) -> TZifHeader {
        guard remaining >= 44 else { throw TZifError("header at offset \(position) cut short (\(remaining) of 44 bytes)") }
        guard bytes[position..<position + 4].elementsEqual([0x54, 0x5A, 0x69, 0x66]) else {
            throw TZifError("no TZif magic at offset \(position)")
        }
        let version: Int
        switch bytes[position + 4] {
        case 0: version = 1
        case UInt8(ascii: "2"): version = 2
        case UInt8(ascii: "3"): version = 3
        case UInt8(ascii: "4"): version = 4
        case let other: throw TZifError("unknown TZif version byte \(other)")
        }
        position += 20
        var counts: [Int] = []
        for _ in 0..<6 { counts.append(Int(UInt32(truncatingIfNeeded: integer(size: 4)))) }
        let h = TZifHeader(version: version, isUTCCount: counts[0], isStandardCount: counts[1], leapCount: counts[2],
                           timeCount: counts[3], typeCount: counts[4], characterCount: counts[5])
        guard h.typeCount >= 1, h.typeCount <= 256 else { throw TZifError("\(h.typeCount) local time types (1 to 256 allowed)") }
        guard h.characterCount >= 1, h.characterCount <= 4096 else { throw TZifError("\(h.characterCount) abbreviation bytes (1 to 4096 allowed)") }
        guard h.timeCount <= TZifFile.maximumTransitions else { throw TZifError("\(h.timeCount) transitions, more than \(TZifFile.maximumTransitions)") }
        guard h.leapCount <= 10_000 else { throw TZifError("\(h.leapCount) leap-second records") }
        guard h.isUTCCount == 0 || h.isUTCCount == h.typeCount, h.isStandardCount == 0 || h.isStandardCount == h.typeCount else {
            throw TZifError("UT/standard indicator counts \(h.isUTCCount)/\(h.isStandardCount) do not match \(h.typeCount) types")
        }
        return h
    }

    /// Reads one data block; `timeSize` is 4 (version 1) or 8.
    mutating func dataBlock(_ h: TZifHeader, timeSize: Int) throws(TZifError) -> ([Int], [Int], [TZifFile.LocalTimeType]) {
        let length = h.dataBlockLength(timeSize: timeSize)
        guard length <= remaining else { throw TZifError("data block needs \(length) bytes at offset \(position), \(remaining) left") }
        var times: [Int] = []
        times.reserveCapacity(h.timeCount)
        for i in 0..<h.timeCount {
            let t = integer(size: timeSize)
            if i > 0, t <= times[i - 1] { throw TZifError("transition \(i) at \(t) is not after the one before") }
            times.append(t)
        }
        var indices: [Int] = []
        indices.reserveCapacity(h.timeCount)
        for i in 0..<h.timeCount {
            let index = Int(bytes[position])
            position += 1
            guard index < h.typeCount else { throw TZifError("transition \(i) names type \(index) of \(h.typeCount)") }
            indices.append(index)
        }
        var raw: [(offset: Int, isDaylight: Bool, abbreviationIndex: Int)] = []
        for i in 0..<h.typeCount {
            let offset = integer(size: 4)
            let isDaylight = bytes[position], index = Int(bytes[position + 1])
            position += 2
            // RFC 8536: -2^31 is forbidden; anything past a day and some is not a zone.
            guard (-89_999...93_599).contains(offset) else { throw TZifError("type \(i) has UTC offset \(offset) s") }
            guard isDaylight <= 1 else { throw TZifError("type \(i) has isdst \(isDaylight)") }
            guard index < h.characterCount else { throw TZifError("type \(i) abbreviation index \(index) past \(h.characterCount) bytes") }
            raw.append((offset, isDaylight == 1, index))
        }
        let characters = bytes[position..<position + h.characterCount]
        position += h.characterCount
        let types = raw.map { r in
            let tail = characters.dropFirst(r.abbreviationIndex)
            let name = tail.prefix { $0 != 0 }.map { $0 >= 0x20 && $0 < 0x7F ? Character(UnicodeScalar($0)) : "?" }
            return TZifFile.LocalTimeType(utcOffset: r.offset, isDaylight: r.isDaylight, abbreviation: String(name))
        }
        // Leap-second records and the standard/UT indicators: not needed to tell the offset.
        position += h.leapCount * (timeSize + 4) + h.isStandardCount + h.isUTCCount
        return (times, indices, types)
    }

    /// The footer: a newline, a POSIX TZ string (possibly empty), a newline.
    mutating func footer(version: Int) throws(TZifError) -> POSIXTimeZoneRule? {
        guard remaining >= 2, bytes[position] == 0x0A else { throw TZifError("footer missing at offset \(position)") }
        let start = position + 1
        guard let end = bytes[start...].firstIndex(of: 0x0A) else { throw TZifError("footer has no closing newline") }
        guard end - start <= 255 else { throw TZifError("footer of \(end - start) bytes") }
        position = end + 1
        if end == start { return nil }
        return try POSIXTimeZoneRule(parsing: bytes[start..<end], allowsExtendedHours: version >= 3)
    }
}
