import Foundation
import KioskCore
import KioskSystem

/// An alert takes over the screen within a second (issue #14), measured on the real
/// `kioskd` (in-memory 1920x1080 framebuffer): `POST /api/v1/alert` is answered only once
/// the frame with the alert has been written to the display, so its round trip is the
/// time from the request to the alert on screen. Beside it, in the same run, a notice
/// posted through the same API (a write, a reload of the lobby and a frame too): the
/// baseline. Each raise is followed by a withdraw (not timed), `runs` times.
struct AlertBenchmark {
    var kioskd: String
    var assets: String
    var work: String
    var runs = 20
    var progress: (String) -> Void = { _ in }

    struct Results {
        var alertMs: [Double] = []
        var noticeMs: [Double] = []
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func run() throws -> Results {
        try? FileManager.default.removeItem(atPath: work)
        let token = APIToken.generate()
        let state = BenchState(directory: work, events: 300, residents: 60, badges: 0)
        try state.create(extraConfig: "\n[token \"bench\"]\nrole = staff\nhash = \(token.digest)\n")
        let (daemon, port) = try StaffAPIBench.start(kioskd: kioskd, assets: assets, work: work, state: state)
        defer { daemon.stop() }
        _ = daemon.waitForLog("feed programme: \(state.events) events stored", seconds: 60)
        progress("alert: \(runs) alerts raised and withdrawn, \(runs) notices posted")
        var results = Results()
        for n in 0..<runs {
            let alert = #"{"level": "evacuation", "title": "Évacuation n°\#(n)", "text": "Sortez par la sortie la plus proche."}"#
            results.alertMs.append(try exchange(port: port, token: token, method: "POST", path: "/api/v1/alert", body: alert, expect: 201))
            _ = try exchange(port: port, token: token, method: "DELETE", path: "/api/v1/alert", body: nil, expect: 204)
            let notice = #"{"kind": "information", "title": "Atelier n°\#(n) annulé", "urgent": true}"#
            results.noticeMs.append(try exchange(port: port, token: token, method: "POST", path: "/api/v1/notices", body: notice, expect: 201))
        }
        return results
    }

    /// One request on a fresh connection; its round trip in ms (request sent to whole answer read).
    private func exchange(port: UInt16, token: APIToken, method: String, path: String, body: String?, expect status: Int) throws -> Double {
        let bytes = Array((body ?? "").utf8)
        let head = "\(method) \(path) HTTP/1.1\r\nHost: kiosk\r\nAuthorization: Bearer \(token.text)\r\nConnection: close\r\n"
            + (body == nil ? "" : "Content-Type: application/json\r\nContent-Length: \(bytes.count)\r\n") + "\r\n"
        let (answer, milliseconds) = try StaffAPIBench.exchange(port: port, request: Array(head.utf8) + bytes)
        guard answer.hasPrefix("HTTP/1.1 \(status)") else { throw Failure(description: "\(method) \(path): \(answer)") }
        return milliseconds
    }

    static func figures(_ r: Results) -> [BenchFigure] {
        let alert = r.alertMs.sorted(), notice = r.noticeMs.sorted()
        func median(_ values: [Double]) -> Double { values.isEmpty ? .nan : values[values.count / 2] }
        return [
            BenchFigure(key: "alert.raise.p50_ms", label: "POST /api/v1/alert → answered, the alert on screen, median (\(alert.count) raises)", value: median(alert), unit: "ms"),
            BenchFigure(key: "alert.raise.max_ms", label: "the same, max", value: alert.last ?? .nan, unit: "ms"),
            BenchFigure(key: "alert.notice.p50_ms", label: "POST /api/v1/notices → answered, the screen reloaded, median", value: median(notice), unit: "ms"),
            BenchFigure(key: "alert.ratio_p50", label: "alert / notice, median", value: median(alert) / median(notice), unit: "x"),
        ]
    }
}
