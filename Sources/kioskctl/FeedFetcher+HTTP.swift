import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KioskCore
import KioskDaemon

extension FeedFetcher {
    public func fetch(
        _ url: URL, etag: String?, lastModified: String?, timeout: TimeInterval, maxBytes: Int,
        headers: [String: String] = [:]
    ) async throws(FeedFetchError) -> FeedFetchResult {
        if url.isFileURL { return try fetchFile(url, etag: etag, maxBytes: maxBytes) }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.setValue(userAgent, forHTTPHeaderField: "User-Agent")
        if let etag { request.setValue(etag, forHTTPHeaderField: "If-None-Match") }
        if let lastModified { request.setValue(lastModified, forHTTPHeaderField: "If-Modified-Since") }
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let collector = BoundedBodyCollector(maxBytes: maxBytes)
        let outcome = await FeedSessionPool.shared.run(request, timeout: timeout, collector: collector)
        switch outcome {
        case .failure(let error): throw error
        case .success(let (response, data)):
            switch response.statusCode {
            case 304: return .notModified
            case 200..<300:
                if let expected = response.value(forHTTPHeaderField: "Content-Length").flatMap(Int.init), expected != data.count {
                    throw FeedFetchError(kind: .truncated, message: "body cut short: \(data.count) of \(expected) bytes")
                }
                return .body(data, etag: response.value(forHTTPHeaderField: "ETag"), lastModified: response.value(forHTTPHeaderField: "Last-Modified"))
            default:
                throw FeedFetchError(kind: .http, message: "HTTP \(response.statusCode) from \(url.host ?? url.absoluteString)")
            }
        }
    }

    /// Local files: the modification time and size stand in for an ETag.
    private func fetchFile(_ url: URL, etag: String?, maxBytes: Int) throws(FeedFetchError) -> FeedFetchResult {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: url.path) } catch {
            throw FeedFetchError(kind: .file, message: "cannot read \(url.path): no such file or no permission")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let tag = "\"\(size)-\(Int(modified * 1000))\""
        if tag == etag { return .notModified }
        guard size <= maxBytes else {
            throw FeedFetchError(kind: .tooLarge, message: "\(url.path) is \(size) bytes, over the limit of \(maxBytes)")
        }
        do { return .body(try Data(contentsOf: url), etag: tag, lastModified: nil) } catch {
            throw FeedFetchError(kind: .file, message: "cannot read \(url.path): \((error as NSError).localizedDescription)")
        }
    }
}

/// Collects a response body up to a limit: the callbacks of one data task, handed on by
/// `FeedTaskRouter`.
final class BoundedBodyCollector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `lock`; URLSession calls the delegate
    // on its own queue while `run` waits on the continuation.
    private let lock = NSLock()
    private let maxBytes: Int
    private var data = Data()
    private var response: HTTPURLResponse?
    private var failure: FeedFetchError?
    private var continuation: CheckedContinuation<Result<(HTTPURLResponse, Data), FeedFetchError>, Never>?
    private var finished = false

    init(maxBytes: Int) { self.maxBytes = maxBytes }

    func run(_ task: URLSessionDataTask) async -> Result<(HTTPURLResponse, Data), FeedFetchError> {
        await withCheckedContinuation { continuation in
            lock.withLock { self.continuation = continuation }
            task.resume()
        }
    }

    private func finish(_ result: Result<(HTTPURLResponse, Data), FeedFetchError>) {
        let c: CheckedContinuation<Result<(HTTPURLResponse, Data), FeedFetchError>, Never>? = lock.withLock {
            guard !finished else { return nil }
            finished = true
            defer { continuation = nil }
            return continuation
        }
        c?.resume(returning: result)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse, completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        guard let http = response as? HTTPURLResponse else {
            lock.withLock { failure = FeedFetchError(kind: .network, message: "not an HTTP response") }
            completionHandler(.cancel)
            return
        }
        if response.expectedContentLength > Int64(maxBytes) {
            lock.withLock { failure = FeedFetchError(kind: .tooLarge, message: "announced \(response.expectedContentLength) bytes, over the limit of \(maxBytes)") }
            completionHandler(.cancel)
            return
        }
        lock.withLock { self.response = http }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive chunk: Data) {
        let over: Bool = lock.withLock {
            data.append(chunk)
            if data.count > maxBytes {
                failure = FeedFetchError(kind: .tooLarge, message: "body over the limit of \(maxBytes) bytes")
                return true
            }
            return false
        }
        if over { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        let (failure, response, data) = lock.withLock { (self.failure, self.response, self.data) }
        if let failure { return finish(.failure(failure)) }
        if error != nil, let response, response.expectedContentLength > Int64(data.count) {
            return finish(.failure(FeedFetchError(kind: .truncated, message: "body cut short: \(data.count) of \(response.expectedContentLength) bytes")))
        }
        if let error = error as? URLError {
            switch error.code {
            case .timedOut: return finish(.failure(FeedFetchError(kind: .timeout, message: "no complete answer within the timeout")))
            case .networkConnectionLost: return finish(.failure(FeedFetchError(kind: .truncated, message: "connection lost before the end of the body")))
            default: return finish(.failure(FeedFetchError(kind: .network, message: error.localizedDescription)))
            }
        }
        if let error { return finish(.failure(FeedFetchError(kind: .network, message: "\(error)"))) }
        guard let response else { return finish(.failure(FeedFetchError(kind: .network, message: "no response"))) }
        finish(.success((response, data)))
    }
}

/// The URLSessions feed fetches share: one per timeout value, made on first use and kept
/// for the life of the process.
///
/// A session made and invalidated for each fetch (about 600 conditional GETs a week with
/// two feeds) left the heap a little larger every day in the simulated week (freed chunks
/// pinned between live ones in glibc's thread arenas, which `malloc_trim` cannot give
/// back); one long-lived session does not. Each session's delegate routes the callbacks
/// of a task to the `BoundedBodyCollector` of the fetch that started it.
final class FeedSessionPool: @unchecked Sendable {
    // @unchecked: `sessions` is guarded by `lock`; URLSession is thread-safe.
    static let shared = FeedSessionPool()
    private let lock = NSLock()
    private var sessions: [TimeInterval: URLSession] = [:]

    /// Runs one data task for `request` in the session of `timeout` (the whole exchange
    /// must end within it), its body collected by `collector`.
    func run(_ request: URLRequest, timeout: TimeInterval, collector: BoundedBodyCollector) async -> Result<(HTTPURLResponse, Data), FeedFetchError> {
        let session = session(timeout: timeout)
        let router = session.delegate as! FeedTaskRouter
        let task = session.dataTask(with: request)
        router.register(task, collector)
        defer { router.unregister(task) }
        return await collector.run(task)
    }

    private func session(timeout: TimeInterval) -> URLSession {
        lock.withLock {
            if let session = sessions[timeout] { return session }
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = timeout
            configuration.timeoutIntervalForResource = timeout
            configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
            configuration.urlCache = nil
            let session = URLSession(configuration: configuration, delegate: FeedTaskRouter(), delegateQueue: nil)
            sessions[timeout] = session
            return session
        }
    }
}

/// The delegate of a shared feed session: hands each task's callbacks to its collector.
final class FeedTaskRouter: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked: `collectors` is guarded by `lock`; URLSession calls in on its own queue.
    private let lock = NSLock()
    private var collectors: [Int: BoundedBodyCollector] = [:]

    func register(_ task: URLSessionTask, _ collector: BoundedBodyCollector) {
        lock.withLock { collectors[task.taskIdentifier] = collector }
    }

    func unregister(_ task: URLSessionTask) {
        lock.withLock { _ = collectors.removeValue(forKey: task.taskIdentifier) }
    }

    private func collector(_ task: URLSessionTask) -> BoundedBodyCollector? {
        lock.withLock { collectors[task.taskIdentifier] }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse, completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        guard let collector = collector(dataTask) else { return completionHandler(.cancel) }
        collector.urlSession(session, dataTask: dataTask, didReceive: response, completionHandler: completionHandler)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive chunk: Data) {
        collector(dataTask)?.urlSession(session, dataTask: dataTask, didReceive: chunk)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        collector(task)?.urlSession(session, task: task, didCompleteWithError: error)
    }
}
