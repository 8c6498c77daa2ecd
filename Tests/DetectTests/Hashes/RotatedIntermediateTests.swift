import CurateTestSupport
@testable import Detect
import Foundation
import Testing

/// The turned views' bilinear rotation (`CropIntermediate.rotated`, C loops in `curate_rotate_rows`) against the
/// plain definition: every output pixel's source point clamped, its right and lower neighbours clamped to the
/// edge, the four pixels blended in 16.16 fixed point.
@Suite struct RotatedIntermediateTests {
    static func reference(_ source: FeatureExtractor.CropIntermediate, degrees: Double) -> [UInt8] {
        let (w, h) = (source.width, source.height)
        let radians = degrees * .pi / 180
        let c = cos(radians), s = sin(radians)
        let cx = Double(w) / 2, cy = Double(h) / 2
        let one = Double(1 << 16)
        let stepX = Int32((c * one).rounded()), stepY = Int32((s * source.scaleY / source.scaleX * one).rounded())
        let maxX = Int32(w - 1) << 16, maxY = Int32(h - 1) << 16
        var out = [UInt8](repeating: 0, count: w * h)
        for v in 0..<h {
            let dy = (Double(v) + 0.5 - cy) / source.scaleY, dx = (0.5 - cx) / source.scaleX
            var x = Int32((((c * dx - s * dy) * source.scaleX + cx - 0.5) * one).rounded())
            var y = Int32((((s * dx + c * dy) * source.scaleY + cy - 0.5) * one).rounded())
            for u in 0..<w {
                let px = min(max(x, 0), maxX), py = min(max(y, 0), maxY)
                let x0 = Int(px >> 16), y0 = Int(py >> 16)
                let fx = (px >> 8) & 0xFF, fy = (py >> 8) & 0xFF
                let x1 = min(x0 + 1, w - 1), y1 = min(y0 + 1, h - 1)
                let p = source.pixels
                let top = Int32(p[y0 * w + x0]) * (256 - fx) + Int32(p[y0 * w + x1]) * fx
                let bottom = Int32(p[y1 * w + x0]) * (256 - fx) + Int32(p[y1 * w + x1]) * fx
                out[v * w + u] = UInt8((top * (256 - fy) + bottom * fy + (1 << 15)) >> 16)
                x &+= stepX
                y &+= stepY
            }
        }
        return out
    }

    /// Intermediates of fixture photos and of cut-outs whose sides are not multiples of the AVX2 loop's eight.
    static func intermediates() throws -> [(String, FeatureExtractor.CropIntermediate)] {
        try Fixtures.photos.flatMap { url -> [(String, FeatureExtractor.CropIntermediate)] in
            let plane = GrayPlane(
                try ImageDecoder.decode(
                    try Data(contentsOf: url), options: DecodeOptions(minimumSide: 128, grayscale: true)))
            let name = url.lastPathComponent
            return [
                (name, FeatureExtractor.CropIntermediate(plane)),
                ("\(name) 37 wide", FeatureExtractor.CropIntermediate(plane.cropped(x: 3, y: 5, width: 37, height: 90))),
                ("\(name) 61x13", FeatureExtractor.CropIntermediate(plane.cropped(x: 0, y: 0, width: 61, height: 13))),
            ]
        }
    }

    @Test("both loops of the rotation equal the plain bilinear definition, at the turned views' angles and beyond")
    func loopsMatchDefinition() throws {
        let cases = try Self.intermediates()
        #expect(cases.count >= 9)
        for (name, source) in cases {
            for degrees in [4.0, -4, 0, 11.5, -90, 180] {
                let expected = Self.reference(source, degrees: degrees)
                #expect(source.rotated(degrees: degrees).pixels == expected, "\(name) at \(degrees)° (AVX2 where present)")
                #expect(
                    source.rotated(degrees: degrees, allowAVX2: false).pixels == expected, "\(name) at \(degrees)°")
            }
        }
    }
}
