// libFuzzer entry point for `HTTPRequestParser` (and the multipart parser behind it), compiled together with
// Sources/KioskCore/HTTP/*.swift by Fuzz/run-http-fuzz.sh (not part of the package build).
//
// Besides "no crash, no sanitizer report", it checks one property: feeding the input whole
// and feeding it in small pieces (sizes taken from the first input byte) give the same
// requests and the same final error status. A difference traps, so libFuzzer saves the input.
//
// The script compiles this file inside module KioskCore (-D FUZZ_STANDALONE); as a package
// target it imports the module instead.

#if !FUZZ_STANDALONE
import KioskCore
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func httpRequestParserFuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: start, count: count))
    let pieceSize = Int(input[0] % 17) + 1
    let bytes = Array(input.dropFirst())

    var limits = HTTPRequestParser.Limits()
    // Small limits so the fuzzer reaches every limit check with short inputs.
    limits.maxTargetBytes = 64
    limits.maxHeaderBytes = 512
    limits.maxHeaderCount = 8
    limits.maxBodyBytes = 256
    limits.maxChunkLineBytes = 32

    let whole = run(bytes, pieceSize: max(1, bytes.count), limits: limits)
    let pieces = run(bytes, pieceSize: pieceSize, limits: limits)
    if whole.requests != pieces.requests || whole.errorStatus != pieces.errorStatus {
        fatalError("whole and piecewise parsing disagree (piece size \(pieceSize))")
    }
    for request in whole.requests {
        // Exercise the helpers on whatever the parser accepted.
        _ = request.pathSegments
        _ = request.queryFields
        _ = HTTPFormFields(body: request.body)
        // The staff page's uploads: a multipart body the request says it is (errors are
        // fine, crashes and traps are not).
        if let form = try? MultipartFormData(request: request) {
            for part in form.parts { precondition(part.content.count <= request.body.count) }
        }
        _ = HTTPResponse(status: .ok, headers: request.headers, body: request.body).serialized(date: .init(timeIntervalSince1970: 0))
        precondition(request.body.count <= limits.maxBodyBytes)
        precondition(request.target.utf8.count <= limits.maxTargetBytes)
    }
    return 0
}

private struct Outcome {
    var requests: [HTTPRequest] = []
    var errorStatus: Int?
}

private func run(_ bytes: [UInt8], pieceSize: Int, limits: HTTPRequestParser.Limits) -> Outcome {
    var parser = HTTPRequestParser(limits: limits)
    var outcome = Outcome()
    var i = 0
    repeat {
        let end = min(bytes.count, i + pieceSize)
        do {
            var step = try parser.feed(bytes[i..<end])
            while case .request(let r) = step {
                outcome.requests.append(r)
                step = try parser.next()
            }
        } catch {
            outcome.errorStatus = error.status.code
            return outcome
        }
        i = end
    } while i < bytes.count
    return outcome
}
