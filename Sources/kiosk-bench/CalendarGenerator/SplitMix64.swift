/// A small seeded pseudo-random generator (SplitMix64), so that a benchmark input is the
/// same bytes on every machine and every run for a given seed.
///
/// Not `SystemRandomNumberGenerator`: that one cannot be seeded. Not for anything secret.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A whole number in `range`, without the platform-specific paths of `Int.random(in:using:)`
    /// (whose algorithm the standard library does not promise to keep).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % width)
    }

    /// True with probability `p` (0...1).
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A number in [0, 1) with 53 random bits.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }
}
