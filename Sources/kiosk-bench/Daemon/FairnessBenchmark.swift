import Foundation
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// One client cannot delay another (the availability finding of issue #14), measured on the
/// real `kioskd` with its default HTTP limits: `/healthz` asked four times a second from
/// 127.0.0.2, first alone (the baseline), then while 127.0.0.1 holds and reopens 40
/// sockets (more than the daemon's 32), half silent and half stopped in the middle of a
/// request head. Each probe is timed on this side from the request sent to the whole
/// answer read (a fresh connection per probe, `Connection: close`).
///
/// The unit test (`HTTPServerFairnessTests`) checks that every probe is answered and none
/// waits for the attacker's connections to time out; the figure "under 100 ms while the
/// other address floods" is measured here, beside the no-attack baseline of the same run.
struct FairnessBenchmark {
    var kioskd: String
    var assets: String
    var work: String
    var seconds = 60
    var progress: (String) -> Void = { _ in }

    struct Phase {
        var milliseconds: [Double] = []
        var failures: [String] = []
        var sorted: [Double] { milliseconds.sorted() }
        var median: Double { sorted.isEmpty ? .nan : sorted[sorted.count / 2] }
        var p99: Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, sorted.count * 99 / 100)] }
        var max: Double { sorted.last ?? .nan }
    }

    struct Results {
        var baseline: Phase
        var attacked: Phase
        var attackerSockets: Int
    }

    func run() throws -> Results {
        try? FileManager.default.removeItem(atPath: work)
        let state = BenchState(directory: work, events: 100, residents: 20, badges: 0)
        try state.create()
        let (daemon, port) = try StaffAPIBench.start(kioskd: kioskd, assets: assets, work: work, state: state)
        defer { daemon.stop() }
        progress("fairness: /healthz from 127.0.0.2 for \(seconds) s, alone")
        let baseline = probe(port: port, seconds: Double(seconds))
        progress("fairness: the same while 127.0.0.1 holds and reopens 40 sockets")
        let attacker = BenchSocketHog(port: port, sockets: 40, from: SocketAddress(ipv4: 127, 0, 0, 1, port: 0))
        attacker.start()
        Thread.sleep(forTimeInterval: 2)
        let attacked = probe(port: port, seconds: Double(seconds))
        let opened = attacker.stop()
        return Results(baseline: baseline, attacked: attacked, attackerSockets: opened)
    }

    /// Probes every 250 ms for `seconds`; a probe that fails or is not 200 is a failure.
    private func probe(port: UInt16, seconds: Double) -> Phase {
        var phase = Phase()
        let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let request = Array("GET /healthz HTTP/1.1\r\nHost: kiosk\r\nConnection: close\r\n\r\n".utf8)
        while ContinuousClock.now < end {
            do {
                let (head, milliseconds) = try StaffAPIBench.exchange(port: port, from: SocketAddress(ipv4: 127, 0, 0, 2, port: 0), request: request)
                if head.hasPrefix("HTTP/1.1 200") {
                    phase.milliseconds.append(milliseconds)
                } else {
                    phase.failures.append(head.isEmpty ? "no answer" : String(head.prefix(12)))
                }
            } catch {
                phase.failures.append("\(error)")
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
        return phase
    }

    static func figures(_ r: Results) -> [BenchFigure] {
        [
            BenchFigure(key: "fairness.baseline.p50_ms", label: "/healthz from 127.0.0.2, alone, median (\(r.baseline.milliseconds.count) probes)", value: r.baseline.median, unit: "ms"),
            BenchFigure(key: "fairness.baseline.max_ms", label: "/healthz from 127.0.0.2, alone, max", value: r.baseline.max, unit: "ms"),
            BenchFigure(key: "fairness.attacked.p50_ms", label: "the same while 127.0.0.1 floods, median (\(r.attacked.milliseconds.count) probes)", value: r.attacked.median, unit: "ms"),
            BenchFigure(key: "fairness.attacked.p99_ms", label: "the same while 127.0.0.1 floods, p99", value: r.attacked.p99, unit: "ms"),
            BenchFigure(key: "fairness.attacked.max_ms", label: "the same while 127.0.0.1 floods, max", value: r.attacked.max, unit: "ms"),
            BenchFigure(key: "fairness.ratio_p50", label: "flooded / alone, median", value: r.attacked.median / r.baseline.median, unit: "x"),
            BenchFigure(key: "fairness.failures", label: "probes not answered 200 (alone + flooded)", value: Double(r.baseline.failures.count + r.attacked.failures.count), unit: ""),
            BenchFigure(key: "fairness.attacker_sockets", label: "sockets the attacker opened", value: Double(r.attackerSockets), unit: ""),
        ]
    }
}

/// The attacker: on a thread of its own, keeps `sockets` connections open from one
/// address, half silent and half stopped in the middle of a request head, and opens a new
/// one whenever the server closes (or refuses) one.
final class BenchSocketHog: @unchecked Sendable {
    // @unchecked: `running` and `count` are guarded by `lock`; the sockets are used only by the thread.
    let port: UInt16
    let sockets: Int
    let source: SocketAddress
    private let lock = NSCondition()
    private var running = false
    private var finished = false
    private var count = 0

    init(port: UInt16, sockets: Int, from source: SocketAddress) {
        self.port = port
        self.sockets = sockets
        self.source = source
    }

    func start() {
        lock.withLock { running = true }
        Thread { self.run() }.start()
    }

    /// Stops the attack and returns how many sockets it opened.
    func stop() -> Int {
        lock.withLock {
            running = false
            while !finished { lock.wait() }
            return count
        }
    }

    private func open(_ index: Int) -> TCPConnection? {
        guard let connection = try? TCPConnection.connect(to: .loopback(port: port), from: source) else { return nil }
        lock.withLock { count += 1 }
        if index % 2 == 1 { try? connection.sendAll(Array("GET /never HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8)) }
        return connection
    }

    private func run() {
        var open: [TCPConnection?] = (0..<sockets).map { self.open($0) }
        while lock.withLock({ running }) {
            var fds = open.map { pollfd(fd: $0?.descriptor.rawValue ?? -1, events: Int16(POLLIN), revents: 0) }
            _ = poll(&fds, nfds_t(fds.count), 50)
            for (index, entry) in fds.enumerated() where open[index] == nil || entry.revents != 0 {
                open[index]?.close()
                open[index] = self.open(index)
            }
        }
        for connection in open { connection?.close() }
        lock.withLock {
            finished = true
            lock.broadcast()
        }
    }
}
