/// The 8x8 inverse DCT in integers: the Loeffler-Ligtenberg-Moschytz factorisation with
/// 13-bit constants and two passes (columns keep 2 extra bits), as libjpeg's "islow"
/// method computes it, so that our samples match libjpeg's (Pillow's) within a unit.
enum JPEGInverseDCT {
    static let constBits = 13
    static let pass1Bits = 2
    // The constants of the factorisation, scaled by 2^13 and rounded.
    static let c0_298631336 = 2446, c0_390180644 = 3196, c0_541196100 = 4433, c0_765366865 = 6270
    static let c0_899976223 = 7373, c1_175875602 = 9633, c1_501321110 = 12299, c1_847759065 = 15137
    static let c1_961570560 = 16069, c2_053119869 = 16819, c2_562915447 = 20995, c3_072711026 = 25172

    /// Dequantizes `block` (natural order) with `table` and writes the 8x8 samples (level
    /// shifted by 128, clamped) at `out`, rows `stride` bytes apart.
    /// `workspace` holds 64 `Int`s, reused from block to block.
    static func transform(_ block: UnsafePointer<Int16>, _ table: UnsafePointer<Int>, _ out: UnsafeMutablePointer<UInt8>, stride: Int, workspace ws: UnsafeMutablePointer<Int>) {
        do {
            // Pass 1: columns, from the coefficients to the workspace (scaled up by 2^2).
            for col in 0..<8 {
                @inline(__always) func input(_ row: Int) -> Int { Int(block[row * 8 + col]) * table[row * 8 + col] }
                if block[8 + col] == 0, block[16 + col] == 0, block[24 + col] == 0, block[32 + col] == 0,
                   block[40 + col] == 0, block[48 + col] == 0, block[56 + col] == 0 {
                    let dc = input(0) << pass1Bits
                    for row in 0..<8 { ws[row * 8 + col] = dc }
                    continue
                }
                let (r0, r1, r2, r3, r4, r5, r6, r7) = butterfly(input(0), input(1), input(2), input(3), input(4), input(5), input(6), input(7))
                let shift = constBits - pass1Bits, half = 1 << (shift - 1)
                ws[col] = (r0 + half) >> shift
                ws[8 + col] = (r1 + half) >> shift
                ws[16 + col] = (r2 + half) >> shift
                ws[24 + col] = (r3 + half) >> shift
                ws[32 + col] = (r4 + half) >> shift
                ws[40 + col] = (r5 + half) >> shift
                ws[48 + col] = (r6 + half) >> shift
                ws[56 + col] = (r7 + half) >> shift
            }
            // Pass 2: rows, from the workspace to samples (descaled by 2^(13+2+3)).
            let shift = constBits + pass1Bits + 3, half = 1 << (shift - 1)
            for row in 0..<8 {
                let w = ws + row * 8
                let o = out + row * stride
                if w[1] == 0, w[2] == 0, w[3] == 0, w[4] == 0, w[5] == 0, w[6] == 0, w[7] == 0 {
                    let v = clamp(((w[0] + (1 << (pass1Bits + 2))) >> (pass1Bits + 3)) + 128)
                    for x in 0..<8 { o[x] = v }
                    continue
                }
                let (r0, r1, r2, r3, r4, r5, r6, r7) = butterfly(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7])
                o[0] = clamp(((r0 + half) >> shift) + 128)
                o[1] = clamp(((r1 + half) >> shift) + 128)
                o[2] = clamp(((r2 + half) >> shift) + 128)
                o[3] = clamp(((r3 + half) >> shift) + 128)
                o[4] = clamp(((r4 + half) >> shift) + 128)
                o[5] = clamp(((r5 + half) >> shift) + 128)
                o[6] = clamp(((r6 + half) >> shift) + 128)
                o[7] = clamp(((r7 + half) >> shift) + 128)
            }
        }
    }

    /// The block's samples at 1/`scaleAcross` of its width and 1/`scaleDown` of its height
    /// at `out`: the full transform, then the mean of each `scaleAcross` x `scaleDown`
    /// rectangle (what the eye sees of it); at 1/8 both ways the block's mean is its DC
    /// coefficient alone (libjpeg's 1x1 case), with no transform at all. `scratch` holds
    /// 64 bytes.
    static func transform(_ block: UnsafePointer<Int16>, _ table: UnsafePointer<Int>, _ out: UnsafeMutablePointer<UInt8>, stride: Int,
                          scaleAcross: Int, scaleDown: Int, workspace ws: UnsafeMutablePointer<Int>, scratch: UnsafeMutablePointer<UInt8>) {
        switch (scaleAcross, scaleDown) {
        case (1, 1):
            transform(block, table, out, stride: stride, workspace: ws)
        case (8, 8):
            out[0] = clamp(((Int(block[0]) * table[0] + 4) >> 3) + 128)
        default:
            transform(block, table, scratch, stride: 8, workspace: ws)
            let area = scaleAcross * scaleDown
            for y in 0..<(8 / scaleDown) {
                for x in 0..<(8 / scaleAcross) {
                    var sum = 0
                    for dy in 0..<scaleDown {
                        let row = scratch + (y * scaleDown + dy) * 8 + x * scaleAcross
                        for dx in 0..<scaleAcross { sum += Int(row[dx]) }
                    }
                    out[y * stride + x] = UInt8(truncatingIfNeeded: (sum + area / 2) / area)
                }
            }
        }
    }

    @inline(__always)
    static func clamp(_ v: Int) -> UInt8 { UInt8(truncatingIfNeeded: v < 0 ? 0 : v > 255 ? 255 : v) }

    /// One 8-point inverse DCT, outputs scaled by 2^13.
    @inline(__always)
    static func butterfly(_ i0: Int, _ i1: Int, _ i2: Int, _ i3: Int, _ i4: Int, _ i5: Int, _ i6: Int, _ i7: Int)
        -> (Int, Int, Int, Int, Int, Int, Int, Int) {
        // Even part.
        let z1 = (i2 + i6) * c0_541196100
        let t2 = z1 - i6 * c1_847759065
        let t3 = z1 + i2 * c0_765366865
        let t0 = (i0 + i4) << constBits
        let t1 = (i0 - i4) << constBits
        let t10 = t0 + t3, t13 = t0 - t3, t11 = t1 + t2, t12 = t1 - t2
        // Odd part.
        let a1 = i7 + i1, a2 = i5 + i3, a3 = i7 + i3, a4 = i5 + i1
        let z5 = (a3 + a4) * c1_175875602
        let b0 = i7 * c0_298631336, b1 = i5 * c2_053119869, b2 = i3 * c3_072711026, b3 = i1 * c1_501321110
        let m1 = -a1 * c0_899976223, m2 = -a2 * c2_562915447
        let m3 = -a3 * c1_961570560 + z5, m4 = -a4 * c0_390180644 + z5
        let o0 = b0 + m1 + m3, o1 = b1 + m2 + m4, o2 = b2 + m2 + m3, o3 = b3 + m1 + m4
        return (t10 + o3, t11 + o2, t12 + o1, t13 + o0, t13 - o0, t12 - o1, t11 - o2, t10 - o3)
    }
}
