import Foundation
import KioskCore
import KioskDisplay

extension InstallationDoctor {
    /// The largest logo file read (a logo is small; a poster-sized file is a mistake).
    static let maximumLogoBytes = 16 << 20

    /// `[venue] logo`: the file exists and decodes as a PNG or JPEG within the screen's limits.
    func checkLogo(_ config: KioskConfig) -> [DoctorFinding] {
        guard let logo = config.venue.logo else { return [] }
        let path = logo.hasPrefix("/") ? logo : URL(fileURLWithPath: config.path).deletingLastPathComponent().appendingPathComponent(logo).path
        let fix = "set [venue] logo to a PNG or JPEG file kioskd can read (or remove the line)"
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else {
            return [.fail("logo", "\(path) does not exist or cannot be read", fix: fix)]
        }
        guard size <= Self.maximumLogoBytes else { return [.fail("logo", "\(path): \(size) bytes, more than a logo needs", fix: fix)] }
        guard let data = FileManager.default.contents(atPath: path) else { return [.fail("logo", "\(path) cannot be read", fix: fix)] }
        do {
            let picture = try PictureDecoder.decode([UInt8](data))
            return [.ok("logo", "\(path): \(PictureFormat(sniffing: [UInt8](data.prefix(8))).rawValue) \(picture.width)x\(picture.height)\(picture.isOpaque ? "" : " with transparency")")]
        } catch {
            return [.fail("logo", "\(path): \(error)", fix: fix)]
        }
    }
}
