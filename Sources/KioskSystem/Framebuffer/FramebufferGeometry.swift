import CLinux

/// Where one colour channel sits in a framebuffer pixel (`struct fb_bitfield`): `offset`
/// bits from the least significant bit, `length` bits wide.
public struct FramebufferBitfield: Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var length: Int

    public init(offset: Int, length: Int) {
        self.offset = offset
        self.length = length
    }

    init(_ field: fb_bitfield) { self.init(offset: Int(field.offset), length: Int(field.length)) }

    public var description: String { "\(length)@\(offset)" }
}

/// What the kernel says about a framebuffer, as typed values: the visible and virtual
/// sizes, where the visible area starts, the pixel layout and the memory to map.
///
/// Built from `fb_var_screeninfo` and `fb_fix_screeninfo` (`FBIOGET_VSCREENINFO`,
/// `FBIOGET_FSCREENINFO`); the C structs stop here. Pixel (x, y) of page p is at byte
/// `(y + yOffset(p)) * lineLength + (x + xOffset) * bitsPerPixel / 8`; rows may be
/// padded (`lineLength` > width * bytes per pixel).
public struct FramebufferGeometry: Sendable, Hashable {
    /// The driver's name (`fb_fix_screeninfo.id`: "EFI VGA", "simple", "BCM2708 FB").
    public var identifier: String
    /// Visible resolution (`xres`, `yres`).
    public var width: Int
    public var height: Int
    /// Virtual resolution (`xres_virtual`, `yres_virtual`): room for panning.
    public var virtualWidth: Int
    public var virtualHeight: Int
    /// The visible area's offset in the virtual one when the device was opened.
    public var xOffset: Int
    public var yOffset: Int
    public var bitsPerPixel: Int
    /// Non-zero for grey-scale or FOURCC modes (which we do not draw).
    public var grayscale: Int
    public var red: FramebufferBitfield
    public var green: FramebufferBitfield
    public var blue: FramebufferBitfield
    public var transparency: FramebufferBitfield
    /// Bytes from one row to the next (`line_length`).
    public var lineLength: Int
    /// Bytes of framebuffer memory to map (`smem_len`).
    public var memoryLength: Int
    /// Vertical panning granularity (`ypanstep`); 0 when the driver cannot pan.
    public var yPanStep: Int

    public init(
        identifier: String = "", width: Int, height: Int, virtualWidth: Int? = nil, virtualHeight: Int? = nil,
        xOffset: Int = 0, yOffset: Int = 0, bitsPerPixel: Int, grayscale: Int = 0,
        red: FramebufferBitfield, green: FramebufferBitfield, blue: FramebufferBitfield,
        transparency: FramebufferBitfield = FramebufferBitfield(offset: 0, length: 0),
        lineLength: Int, memoryLength: Int, yPanStep: Int = 0
    ) {
        self.identifier = identifier
        self.width = width
        self.height = height
        self.virtualWidth = virtualWidth ?? width
        self.virtualHeight = virtualHeight ?? height
        self.xOffset = xOffset
        self.yOffset = yOffset
        self.bitsPerPixel = bitsPerPixel
        self.grayscale = grayscale
        self.red = red
        self.green = green
        self.blue = blue
        self.transparency = transparency
        self.lineLength = lineLength
        self.memoryLength = memoryLength
        self.yPanStep = yPanStep
    }

    /// From the kernel's structs.
    public init(variable v: fb_var_screeninfo, fixed f: fb_fix_screeninfo) {
        let id = withUnsafeBytes(of: f.id) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        self.init(
            identifier: id, width: Int(v.xres), height: Int(v.yres),
            virtualWidth: Int(v.xres_virtual), virtualHeight: Int(v.yres_virtual),
            xOffset: Int(v.xoffset), yOffset: Int(v.yoffset), bitsPerPixel: Int(v.bits_per_pixel),
            grayscale: Int(v.grayscale), red: FramebufferBitfield(v.red), green: FramebufferBitfield(v.green),
            blue: FramebufferBitfield(v.blue), transparency: FramebufferBitfield(v.transp),
            lineLength: Int(f.line_length), memoryLength: Int(f.smem_len), yPanStep: Int(f.ypanstep))
    }

    public var bytesPerPixel: Int { (bitsPerPixel + 7) / 8 }

    /// Bytes of memory one page (a whole visible frame) spans from its first row.
    public var pageByteCount: Int { height * lineLength }

    /// Two pages and page flips with `FBIOPAN_DISPLAY`: only when the driver pans
    /// (`ypanstep` ≠ 0), the virtual height holds two frames, the page offset is a multiple
    /// of the pan step, and the memory really holds both pages.
    public var supportsDoubleBuffering: Bool {
        yPanStep > 0 && virtualHeight >= 2 * height && height % yPanStep == 0
            && (2 * height) * lineLength <= memoryLength
    }

    /// The `yoffset` that shows page `page` (0 or 1) when double-buffering.
    public func yOffset(ofPage page: Int) -> Int { page * height }

    /// Checks that the numbers describe memory we can safely write: a known size, rows long
    /// enough for the visible width, and memory holding the visible area at its offset.
    public func validate(device: String) throws(FramebufferError) {
        func fail(_ why: String) -> FramebufferError { FramebufferError(device: device, reason: why) }
        guard width > 0, height > 0 else { throw fail("no visible resolution (\(width)x\(height))") }
        guard bitsPerPixel > 0 else { throw fail("0 bits per pixel") }
        guard grayscale == 0 else { throw fail("grey-scale or FOURCC mode (grayscale = \(grayscale)) is not supported") }
        guard lineLength >= (xOffset + width) * bytesPerPixel else {
            throw fail("line_length \(lineLength) is shorter than \(xOffset + width) pixels of \(bitsPerPixel) bits")
        }
        guard (yOffset + height) * lineLength <= memoryLength else {
            throw fail("smem_len \(memoryLength) does not hold \(height) rows of \(lineLength) bytes at yoffset \(yOffset)")
        }
    }
}

/// A framebuffer we cannot use as it is set up: which device and why.
public struct FramebufferError: Error, CustomStringConvertible, Sendable, Equatable {
    public var device: String
    public var reason: String

    public init(device: String, reason: String) {
        self.device = device
        self.reason = reason
    }

    public var description: String { "\(device): \(reason)" }
}
