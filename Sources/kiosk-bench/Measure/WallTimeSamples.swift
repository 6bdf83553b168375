/// Wall-clock durations of repeated runs of the same work, in seconds.
struct WallTimeSamples {
    private(set) var seconds: [Double] = []

    mutating func add(_ duration: Duration) {
        let parts = duration.components
        seconds.append(Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
    }

    /// The middle sample (the mean of the two middle ones for an even count); 0 when empty.
    var median: Double {
        guard !seconds.isEmpty else { return 0 }
        let sorted = seconds.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    var best: Double { seconds.min() ?? 0 }
}
