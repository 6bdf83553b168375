import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KioskDaemon

/// kioskctl's HTTP client (`HTTPClientTransport`): URLSession, one ephemeral session per
/// exchange (kioskctl makes a few and exits).
public enum URLSessionClient {
    /// Makes this process's `HTTPClientTransport` URLSession (kioskctl's `main` does, first).
    public static func install() {
        HTTPClientTransport.install { request throws(APIClientError) in try await perform(request) }
    }

    /// One exchange; the answer copied into a `Sendable` value inside the completion handler.
    static func perform(_ spec: HTTPClientRequest) async throws(APIClientError) -> APIResponse {
        var request = URLRequest(url: spec.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: spec.timeout)
        request.httpMethod = spec.method
        for (name, value) in spec.headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = spec.body
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = spec.timeout
        configuration.timeoutIntervalForResource = spec.timeout
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let target = spec.url.absoluteString
        let outcome: Result<APIResponse, APIClientError> = await withCheckedContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(returning: .failure(APIClientError(url: target, reason: error.localizedDescription)))
                    return
                }
                guard let http = response as? HTTPURLResponse else {
                    continuation.resume(returning: .failure(APIClientError(url: target, reason: "no HTTP response")))
                    return
                }
                var headers: [String: String] = [:]
                for (key, value) in http.allHeaderFields {
                    if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
                }
                continuation.resume(returning: .success(APIResponse(status: http.statusCode, headers: headers, body: data ?? Data())))
            }.resume()
        }
        return try outcome.get()
    }
}
