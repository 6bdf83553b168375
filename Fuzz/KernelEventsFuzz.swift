// libFuzzer entry point for the parsers of what the kernel hands the DRM backend:
// `KernelUevent` (a netlink uevent datagram) and `DRMEventDecoder` (a read of a DRM card),
// compiled together with Sources/KioskCore/Devices/*.swift by Fuzz/run-kernel-events-fuzz.sh.
//
// The first input byte chooses the parser (even: uevent, odd: DRM events). Besides "no
// crash, no sanitizer report", it checks: a uevent keeps at most its limits; the DRM
// decoder reads no more events than fit in the bytes, and decoding a prefix that ends on
// an event boundary gives the same first events.

#if !FUZZ_STANDALONE
import KioskCore
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func kernelEventsFuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: start, count: count))
    let bytes = Array(input.dropFirst())
    if input[0] % 2 == 0 {
        if let event = KernelUevent.parse(bytes) {
            precondition(bytes.count <= KernelUevent.maximumSize)
            precondition(event.properties.count <= KernelUevent.maximumProperties)
            precondition(!event.action.isEmpty && !event.devicePath.isEmpty)
            _ = event.isDRMHotplug
            _ = event.isDRMChange
        }
    } else {
        let (events, malformed) = DRMEventDecoder.decode(bytes)
        precondition(events.count * 8 <= bytes.count)
        // The first event alone, when the stream starts with a whole one.
        if bytes.count >= 8 {
            let length = Int(UInt32(bytes[4]) | UInt32(bytes[5]) << 8 | UInt32(bytes[6]) << 16 | UInt32(bytes[7]) << 24)
            if length >= 8, length <= bytes.count, let first = events.first {
                let alone = DRMEventDecoder.decode(Array(bytes[..<length]))
                precondition(alone.events == [first] || (alone.events.isEmpty && alone.malformed))
            }
        }
        _ = malformed
    }
    return 0
}
