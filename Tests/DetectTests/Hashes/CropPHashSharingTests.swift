import CurateTestSupport
@testable import Detect
import Foundation
import Testing

@Suite struct CropPHashSharingTests {
    /// Each crop resized on its own, as Pillow would: the definition the shared-pass code must reproduce.
    static func reference(_ plane: GrayPlane, share: Double) -> [UInt64] {
        let w = max(1, Int((Double(plane.width) * share).rounded())), h = max(1, Int((Double(plane.height) * share).rounded()))
        var codes: [UInt64] = []
        for y in [0, (plane.height - h) / 2, plane.height - h] {
            for x in [0, (plane.width - w) / 2, plane.width - w] {
                let crop = plane.cropped(x: x, y: y, width: w, height: h)
                let small = LanczosResampler.resize(crop.gray, width: w, height: h, outWidth: 32, outHeight: 32)
                codes.append(DCTHash.bits(DCTHash.coefficients(luma32x32: small)))
            }
        }
        return codes
    }

    @Test("crop pHashes from one shared horizontal pass per column equal resizing every crop alone")
    func sharedPassIsExact() throws {
        for url in Fixtures.photos {
            let decoded = try ImageDecoder.decode(
                try Data(contentsOf: url), options: DecodeOptions(minimumSide: 128, grayscale: true))
            let plane = GrayPlane(decoded)
            for share in [0.9, 0.85, 0.5] {
                #expect(
                    FeatureExtractor.gridCropPHashes(of: plane, share: share) == Self.reference(plane, share: share),
                    "\(url.lastPathComponent) at \(share)")
            }
        }
    }
}
