/// A state machine that drops control characters and whole escape sequences from a
/// stream of Unicode scalars, after the parser model of ECMA-48 / the DEC VT500 family.
///
/// Used by `TerminalText.sanitized(_:)`. The machine only decides what to *drop*: it
/// never executes anything, so when a sequence is malformed (a byte that cannot occur
/// inside it), the sequence ends and that byte is treated as ordinary input again.
struct ControlSequenceFilter {
    private enum State {
        /// Plain text.
        case ground
        /// After a run of tabs/line breaks already written out as one space.
        case afterLineBreak
        /// After ESC: waiting for the byte that says which sequence this is.
        case escape
        /// ESC followed by intermediate bytes (0x20-0x2F), waiting for the final byte.
        case escapeIntermediate
        /// Inside a control sequence (CSI): parameters, intermediates, then a final byte.
        case controlSequence
        /// Inside a string command (OSC, DCS, SOS, PM, APC): until BEL or ST.
        case commandString
    }

    private var state = State.ground

    private static let escape: UInt32 = 0x1B
    private static let bell: UInt32 = 0x07
    private static let stringTerminator: UInt32 = 0x9C

    /// Feeds one scalar; calls `emit` with every scalar of the output it produces.
    mutating func consume(_ scalar: Unicode.Scalar, emit: (Unicode.Scalar) -> Void) {
        let v = scalar.value
        switch state {
        case .ground, .afterLineBreak:
            if Self.isLineBreakOrTab(v) {
                if state == .ground { emit(" ") }
                state = .afterLineBreak
                return
            }
            state = .ground
            if v == Self.escape { state = .escape; return }
            switch v {
            case 0x9B: state = .controlSequence  // 8-bit CSI
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F: state = .commandString  // DCS, SOS, OSC, PM, APC
            default:
                if !Self.isUnsafe(scalar) { emit(scalar) }
            }
        case .escape:
            switch v {
            case 0x5B: state = .controlSequence  // [
            case 0x5D, 0x50, 0x58, 0x5E, 0x5F: state = .commandString  // ] P X ^ _
            case 0x20...0x2F: state = .escapeIntermediate
            case 0x30...0x7E: state = .ground  // two-byte sequence: ESC 7, ESC c, ESC \ ...
            default:
                // Not a valid sequence: the ESC is dropped and this scalar read afresh.
                state = .ground
                consume(scalar, emit: emit)
            }
        case .escapeIntermediate:
            switch v {
            case 0x20...0x2F: break
            case 0x30...0x7E: state = .ground  // e.g. ESC ( B
            default:
                state = .ground
                consume(scalar, emit: emit)
            }
        case .controlSequence:
            switch v {
            case 0x20...0x3F: break  // parameter and intermediate bytes
            case 0x40...0x7E: state = .ground  // final byte
            default:
                state = .ground
                consume(scalar, emit: emit)
            }
        case .commandString:
            if v == Self.bell || v == Self.stringTerminator {
                state = .ground
            } else if v == Self.escape {
                // ESC \ is the 7-bit ST; any other ESC aborts the string and starts anew.
                state = .escape
            } else if v == 0x18 || v == 0x1A {
                state = .ground  // CAN and SUB cancel the string
            }
        }
    }

    /// Tab, LF, VT, FF, CR, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
    static func isLineBreakOrTab(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// Characters that must never reach a terminal as they are.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true  // C0, DEL, C1
        case 0x2028, 0x2029: return true  // line and paragraph separators
        case 0x202A...0x202E, 0x2066...0x2069: return true  // bidi embeddings, overrides, isolates
        default: return false
        }
    }
}
