import Foundation
import KioskCore
import KioskSystem

extension InstallationDoctor {
    // MARK: feeds

    /// A feed as kioskd last pulled it: current, failing for a while (warning below
    /// `FeedPuller.warningAfterFailures` failures in a row, FAIL from there), never pulled.
    static func feedFinding(_ feed: KioskConfig.Feed, _ state: DaemonStatusReport.Feed?, configPath: String, now: Date) -> DoctorFinding {
        let check = "feed \(feed.name)"
        let fixURL = "open the url of [feed \"\(feed.name)\"] (\(configPath):\(feed.line)) in a browser; journalctl -u kioskd KIOSK_FEED=\(feed.name) says what kioskd saw"
        guard let state else { return .warn(check, "kioskd does not pull it yet: the configuration changed since kioskd read it", fix: "systemctl reload kioskd") }
        func ago(_ date: Date) -> String {
            let minutes = max(0, Int(now.timeIntervalSince(date) / 60))
            return minutes < 120 ? "\(minutes) min ago" : "\(minutes / 60) h ago"
        }
        if let error = state.lastError {
            let since = state.lastSuccess.map { "last success \(ago($0))" } ?? "never fetched"
            let text = "\(state.consecutiveFailures) failure(s) in a row (\(since)): \(error)"
            return state.consecutiveFailures >= FeedPuller.warningAfterFailures || state.lastSuccess == nil
                ? .fail(check, text, fix: fixURL) : .warn(check, text, fix: fixURL)
        }
        guard let success = state.lastSuccess else { return .ok(check, "\(state.url): kioskd has not fetched it yet") }
        return .ok(check, "\(state.url): fetched by kioskd \(ago(success)), \(state.events) event(s)")
    }

    func checkFeeds(_ config: KioskConfig, daemon: DaemonStatusReport?) async -> [DoctorFinding] {
        if config.feeds.isEmpty { return [.ok("feeds", "no [feed] configured (programmes only by push)")] }
        if let daemon { return config.feeds.map { feed in Self.feedFinding(feed, daemon.feeds.first { $0.name == feed.name }, configPath: config.path, now: environment.now) } }
        var findings: [DoctorFinding] = []
        for feed in config.feeds {
            let check = "feed \(feed.name)"
            guard let url = FeedFetcher.resolve(feed.url, relativeTo: config.path) else {
                findings.append(.fail(check, "\(feed.url) is not a URL or path", fix: "fix url = in [feed \"\(feed.name)\"] at \(config.path):\(feed.line)"))
                continue
            }
            if url.isFileURL {
                if FileManager.default.isReadableFile(atPath: url.path) {
                    findings.append(.ok(check, "\(url.path) is readable"))
                } else {
                    findings.append(.fail(check, "\(url.path) is missing or not readable", fix: "create it, or fix url = in [feed \"\(feed.name)\"] at \(config.path):\(feed.line) (relative paths start from the configuration's directory)"))
                }
                continue
            }
            findings.append(await probe(feed, url: url, check: check, configPath: config.path))
        }
        return findings
    }

    /// HEAD, then GET when the server does not do HEAD (405, 501).
    func probe(_ feed: KioskConfig.Feed, url: URL, check: String, configPath: String) async -> DoctorFinding {
        let timeout = min(environment.feedTimeout, feed.timeout)
        var status = 0
        for method in ["HEAD", "GET"] {
            var headers = ["User-Agent": "kioskctl-doctor/0.1"]
            if let key = feed.key { headers["key"] = key }
            do {
                status = try await HTTPClientTransport.perform(HTTPClientRequest(method: method, url: url, headers: headers, timeout: timeout)).status
            } catch {
                return .fail(check, "\(url.absoluteString) unreachable: \(error.reason)",
                             fix: "check the board's network and DNS (the screen keeps the last good programme meanwhile), or fix url = in [feed \"\(feed.name)\"] at \(configPath):\(feed.line)")
            }
            if status != 405 && status != 501 { break }
        }
        if (200..<400).contains(status) { return .ok(check, "\(url.absoluteString) answers HTTP \(status)") }
        let fix = status == 401 || status == 403
            ? "the feed refuses us: check key = (OpenAgenda public key) in [feed \"\(feed.name)\"] at \(configPath):\(feed.line)"
            : "open the url of [feed \"\(feed.name)\"] (\(configPath):\(feed.line)) in a browser and fix it"
        return .fail(check, "\(url.absoluteString) answers HTTP \(status)", fix: fix)
    }

    // MARK: HTTP API

    func checkHTTP(_ config: KioskConfig, daemon: DaemonStatusReport?) async -> [DoctorFinding] {
        guard let listen = config.http.listen else { return [.ok("http", "API off ([http] listen = off)")] }
        if let daemon {
            let exposure = listen.isLoopback ? " (loopback only)" : " (\(config.tokens.count) token(s))"
            guard let bound = daemon.http else {
                return [.warn("http", "kioskd runs without its API: it could not listen on \(listen)", fix: "journalctl -u kioskd -g 'staff API' says why")]
            }
            return [.ok("http", "\(bound) is served by kioskd\(exposure)")]
        }
        if !listen.isLoopback && config.tokens.isEmpty {
            return [.fail("http", "listens on \(listen) without any [token]: kioskd refuses to start", fix: "add a token (kioskctl token new --name NAME --role staff) or listen on 127.0.0.1")]
        }
        let address: SocketAddress
        do { address = try SocketAddress(parsing: listen.description) } catch {
            return [.fail("http", "\(listen) is not an address to listen on: \(error)", fix: "fix listen = at \(config.path):\(config.http.listenLine)")]
        }
        let exposure = listen.isLoopback ? " (loopback only)" : " (\(config.tokens.count) token(s))"
        do {
            let listener = try TCPListener.listening(on: address)
            listener.close()
            return [.ok("http", "\(listen) is free for kioskd\(exposure)")]
        } catch let error where error.errno == Errno(rawValue: EADDRINUSE) {
            // Taken: by kioskd (its /healthz answers with a status) or by something else?
            let host = listen.isIPv6 ? "[\(listen.host)]" : (listen.host == "0.0.0.0" ? "127.0.0.1" : listen.host)
            if let url = URL(string: "http://\(host):\(listen.port)"),
               let response = try? await APIClient(baseURL: url, token: nil, timeout: 3).send("GET", "/healthz"),
               (try? response.decode(HealthBody.self, "healthz")) != nil {
                return [.ok("http", "\(listen) is served by kioskd (/healthz answers)\(exposure)")]
            }
            return [.fail("http", "\(listen) is taken by another program", fix: "find it with: ss -ltnp 'sport = :\(listen.port)', or choose another listen = at \(config.path):\(config.http.listenLine)")]
        } catch {
            return [.warn("http", "cannot test \(listen): \(error)", fix: "check that the address belongs to this board (ip addr)")]
        }
    }
}
