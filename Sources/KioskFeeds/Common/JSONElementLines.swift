/// The lines on which the events of a JSON programme start, read from its bytes: the JSON
/// readers number events (`#3`), and a coordinator mending a hand-written file in an editor
/// wants "line 42" beside that.
///
/// The event list is the root array, or the array under the root object's `events` key
/// (native JSON and OpenAgenda alike). One pass over the bytes, strings and escapes
/// skipped, no allocation beyond one number per event; nothing is decoded, so the lines are
/// only as good as the document: callers use them when their count is the parsed list's.
public enum JSONElementLines {
    /// The 1-based line each element of the event list starts on, in order; empty when
    /// the document has no such list, names `events` twice at its root, or is cut.
    public static func ofEvents(_ bytes: [UInt8]) -> [Int] {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        let events = Array("events".utf8)
        var lines: [Int] = []
        var line = 1
        var depth = 0
        var inString = false, escaped = false
        var stringStart = 0
        var rootIsObject = false
        // At the root object's level: the next string is a key; the last key was `events`;
        // the value being waited for is that of `events`.
        var expectingKey = false, keyIsEvents = false, valueIsEvents = false, keyPending = false
        // The depth of the list's elements while inside it, and whether an element is due.
        var elementDepth: Int?
        var elementDue = false
        var listsSeen = 0
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == 0x0A { line += 1 }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == backslash {
                    escaped = true
                } else if byte == quote {
                    inString = false
                    if keyPending {
                        keyIsEvents = bytes[stringStart..<index].elementsEqual(events)
                        keyPending = false
                    }
                }
                continue
            }
            let isSpace = byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
            if isSpace { continue }
            if elementDue, depth == elementDepth, byte != UInt8(ascii: "]") {
                lines.append(line)
                elementDue = false
            }
            let atRootObject = rootIsObject && depth == 1
            switch byte {
            case quote:
                inString = true
                stringStart = index + 1
                if atRootObject {
                    keyPending = expectingKey
                    if !expectingKey { valueIsEvents = false }
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 0 {
                    rootIsObject = byte == UInt8(ascii: "{")
                    expectingKey = rootIsObject
                    if !rootIsObject { (elementDepth, elementDue, listsSeen) = (1, true, 1) }
                } else if atRootObject && valueIsEvents {
                    if byte == UInt8(ascii: "[") {
                        listsSeen += 1
                        (elementDepth, elementDue) = (2, true)
                    }
                    valueIsEvents = false
                }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { return [] }
                depth -= 1
                if let inside = elementDepth, depth == inside - 1 { (elementDepth, elementDue) = (nil, false) }
                if depth == 0 { return listsSeen == 1 ? lines : [] }
            case UInt8(ascii: ","):
                if depth == elementDepth { elementDue = true }
                if atRootObject { expectingKey = true }
            case UInt8(ascii: ":"):
                if atRootObject {
                    expectingKey = false
                    valueIsEvents = keyIsEvents
                    if keyIsEvents && listsSeen > 0 { return [] }  // `events` twice: which one counts is the parser's choice
                }
            default:
                if atRootObject { valueIsEvents = false }
            }
        }
        return []  // the root never closed: a cut document
    }
}
