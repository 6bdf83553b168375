/// Resamples a picture to another size in linear light with premultiplied alpha:
/// area averaging along an axis that shrinks (each destination pixel is the mean of the
/// source area it covers, fractions of pixels included) and bilinear interpolation, with
/// pixel centres aligned, along an axis that grows.
///
/// Separable and streamed: each source row is resampled across once, into a ring of a few
/// rows, and destination rows are mixed from that ring, so the working memory is a few
/// destination rows, whatever the source size.
public enum PictureScaler {
    /// `picture` scaled to `width` x `height` (each at least 1).
    public static func scale(_ picture: Picture, width: Int, height: Int) -> Picture {
        scale(picture, sourceX: 0, sourceY: 0, sourceWidth: Double(picture.width), sourceHeight: Double(picture.height), width: width, height: height)
    }

    /// `picture` scaled to fit `box` with `fit`: the picture of the placement's destination size.
    public static func scale(_ picture: Picture, toFit box: PixelRect, fit: PictureFit) -> (picture: Picture, placement: PicturePlacement) {
        let p = PicturePlacement(width: picture.width, height: picture.height, in: box, fit: fit)
        let scaled = scale(picture, sourceX: p.sourceX, sourceY: p.sourceY, sourceWidth: p.sourceWidth, sourceHeight: p.sourceHeight,
                           width: max(1, p.destination.width), height: max(1, p.destination.height))
        return (scaled, p)
    }

    /// The area `sourceX`, `sourceY`, `sourceWidth` x `sourceHeight` (source pixels,
    /// fractional) of `picture` scaled to `width` x `height`.
    public static func scale(_ picture: Picture, sourceX: Double, sourceY: Double, sourceWidth: Double, sourceHeight: Double,
                             width: Int, height: Int) -> Picture {
        let width = max(1, width), height = max(1, height)
        guard picture.width > 0, picture.height > 0 else { return Picture(width: width, height: height, pixels: Array(repeating: 0, count: width * height), isOpaque: false) }
        if width == picture.width, height == picture.height, sourceX == 0, sourceY == 0,
           sourceWidth == Double(picture.width), sourceHeight == Double(picture.height) {
            return picture
        }
        let across = Weights(sourceStart: sourceX, sourceSpan: sourceWidth, sourceCount: picture.width, count: width)
        let down = Weights(sourceStart: sourceY, sourceSpan: sourceHeight, sourceCount: picture.height, count: height)
        let ringSize = down.maximumTaps + 1
        // Resampled-across source rows: 4 floats (premultiplied linear R, G, B, and alpha) a pixel.
        var ring = [Float](repeating: 0, count: ringSize * width * 4)
        var ringRow = [Int](repeating: -1, count: ringSize)
        var out = [UInt32](repeating: 0, count: width * height)
        var line = [Float](repeating: 0, count: width * 4)
        let fromSRGB = LinearLight.unitFromSRGB
        picture.pixels.withUnsafeBufferPointer { src in
            ring.withUnsafeMutableBufferPointer { ring in
                line.withUnsafeMutableBufferPointer { line in
                    fromSRGB.withUnsafeBufferPointer { lin in
                        for y in 0..<height {
                            for i in 0..<(width * 4) { line[i] = 0 }
                            for tap in down.taps(y) {
                                let slot = tap.index % ringSize
                                let row = ring.baseAddress! + slot * width * 4
                                if ringRow[slot] != tap.index {
                                    ringRow[slot] = tap.index
                                    resampleAcross(src.baseAddress! + tap.index * picture.width, across, lin.baseAddress!, into: row, width: width)
                                }
                                for i in 0..<(width * 4) { line[i] += row[i] * tap.weight }
                            }
                            for x in 0..<width {
                                let a = line[4 * x + 3]
                                guard a > 0.5 / 255 else { continue }
                                let inverse = 1 / a
                                let r = LinearLight.sRGB(fromUnit: line[4 * x] * inverse)
                                let g = LinearLight.sRGB(fromUnit: line[4 * x + 1] * inverse)
                                let b = LinearLight.sRGB(fromUnit: line[4 * x + 2] * inverse)
                                let alpha = UInt32(min(255, max(0, Int(a * 255 + 0.5))))
                                out[y * width + x] = alpha << 24 | UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
                            }
                        }
                    }
                }
            }
        }
        return Picture(width: width, height: height, pixels: out, isOpaque: picture.isOpaque)
    }

    private static func resampleAcross(_ source: UnsafePointer<UInt32>, _ weights: Weights, _ lin: UnsafePointer<Float>,
                                       into row: UnsafeMutablePointer<Float>, width: Int) {
        for x in 0..<width {
            var r: Float = 0, g: Float = 0, b: Float = 0, a: Float = 0
            for tap in weights.taps(x) {
                let v = source[tap.index]
                let alpha = Float(v >> 24) / 255 * tap.weight
                r += lin[Int(v >> 16 & 0xFF)] * alpha
                g += lin[Int(v >> 8 & 0xFF)] * alpha
                b += lin[Int(v & 0xFF)] * alpha
                a += alpha
            }
            row[4 * x] = r
            row[4 * x + 1] = g
            row[4 * x + 2] = b
            row[4 * x + 3] = a
        }
    }

    /// For each destination pixel along one axis, the source pixels it mixes and their
    /// weights (summing to 1).
    struct Weights {
        struct Tap {
            var index: Int
            var weight: Float
        }

        private var first: [Int] = []
        private var taps: [Tap] = []
        private(set) var maximumTaps = 1

        init(sourceStart: Double, sourceSpan: Double, sourceCount: Int, count: Int) {
            let step = sourceSpan / Double(count)
            first.reserveCapacity(count + 1)
            for i in 0..<count {
                first.append(taps.count)
                if step > 1 {
                    // Area: the source interval this pixel covers, by overlap.
                    let from = sourceStart + Double(i) * step, to = from + step
                    var j = max(0, Int(from))
                    while j < sourceCount, Double(j) < to {
                        let overlap = min(to, Double(j + 1)) - max(from, Double(j))
                        if overlap > 0 { taps.append(Tap(index: j, weight: Float(overlap / step))) }
                        j += 1
                    }
                    if taps.count == first[i] { taps.append(Tap(index: min(sourceCount - 1, max(0, Int(from))), weight: 1)) }
                } else {
                    // Bilinear, pixel centres aligned: destination centre i + 0.5 maps to this source position.
                    let at = sourceStart + (Double(i) + 0.5) * step - 0.5
                    let clamped = min(Double(sourceCount - 1), max(0, at))
                    let j = Int(clamped), f = clamped - Double(j)
                    if f > 0, j + 1 < sourceCount {
                        taps.append(Tap(index: j, weight: Float(1 - f)))
                        taps.append(Tap(index: j + 1, weight: Float(f)))
                    } else {
                        taps.append(Tap(index: j, weight: 1))
                    }
                }
                // Renormalise (a crop at the picture's edge can cover less than a whole pixel).
                let sum = taps[first[i]...].reduce(Float(0)) { $0 + $1.weight }
                if sum > 0, sum != 1 { for k in first[i]..<taps.count { taps[k].weight /= sum } }
                maximumTaps = max(maximumTaps, taps.count - first[i])
            }
            first.append(taps.count)
        }

        func taps(_ i: Int) -> ArraySlice<Tap> { taps[first[i]..<first[i + 1]] }
    }
}
