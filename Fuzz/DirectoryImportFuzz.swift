// libFuzzer entry point for the directory import (`ResidentImport`: CSV with `,` or `;`,
// or JSON), the parser behind `kioskctl residents import` and `POST /api/v1/residents`,
// compiled with Sources/KioskCore/Formats/CSV.swift and Sources/KioskCore/Directory/*.swift
// by Fuzz/run-directory-fuzz.sh.
//
// Besides "no crash, no sanitizer report", it checks: every resident read has a name; a
// CSV record's line is within the document and records come in order; the `logo` cell
// comes back trimmed; a logo is never set by the parser (the daemon checks what it names).

#if !FUZZ_STANDALONE
import KioskCore
#endif
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func directoryImportFuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    guard let entries = try? ResidentImport.entries(Data(bytes)) else { return 0 }
    var lastLine = 0
    let lines = bytes.filter { $0 == 0x0A || $0 == 0x0D }.count + 1
    for entry in entries {
        precondition(!entry.resident.name.isEmpty && !entry.resident.id.isEmpty)
        precondition(entry.resident.logo == nil)
        precondition(entry.logo == entry.logo.trimmingCharacters(in: .whitespacesAndNewlines))
        if entry.location.hasPrefix("line "), let line = Int(entry.location.dropFirst(5)) {
            precondition(line > lastLine && line >= 2 && line <= lines, "line \(line) of \(lines)")
            lastLine = line
        }
    }
    return 0
}
