import CurateTestSupport
@testable import Detect
import Foundation
import Testing

@Suite struct CropPHashSharingTests {
    /// Each crop resized on its own from the plane's `CropIntermediate`: its box horizontally to 32 columns, then
    /// vertically. The definition the shared-pass code must reproduce.
    static func reference(_ plane: GrayPlane, share: Double) -> [UInt64] {
        let w = max(1, Int((Double(plane.width) * share).rounded())), h = max(1, Int((Double(plane.height) * share).rounded()))
        let source = FeatureExtractor.CropIntermediate(plane)
        var codes: [UInt64] = []
        for y in [0, (plane.height - h) / 2, plane.height - h] {
            for x in [0, (plane.width - w) / 2, plane.width - w] {
                let horizontal = LanczosResampler.fastTaps(
                    inSize: source.width, box: Double(x) * source.scaleX...Double(x + w) * source.scaleX, outSize: 32)
                let vertical = LanczosResampler.fastTaps(
                    inSize: source.height, box: Double(y) * source.scaleY...Double(y + h) * source.scaleY, outSize: 32)
                // Only the rows this crop's vertical pass reads go through the horizontal pass.
                let first = Int(vertical.start[0]), last = Int(vertical.start[31] + vertical.count[31])
                var band = [UInt8](repeating: 0, count: 32 * (last - first))
                var small = [UInt8](repeating: 0, count: 32 * 32)
                source.pixels.withUnsafeBufferPointer { src in
                    band.withUnsafeMutableBufferPointer { dst in
                        LanczosResampler.fastHorizontal(
                            src.baseAddress! + first * source.width, stride: source.width, width: source.width,
                            rows: last - first, taps: horizontal, into: dst.baseAddress!)
                    }
                }
                band.withUnsafeBufferPointer { src in
                    small.withUnsafeMutableBufferPointer { dst in
                        LanczosResampler.fastVertical(src.baseAddress!, stride: 32, width: 32, firstRow: first, taps: vertical, into: dst.baseAddress!)
                    }
                }
                codes.append(DCTHash.bits(DCTHash.coefficients(luma32x32: small)))
            }
        }
        return codes
    }

    static func planes() throws -> [(String, GrayPlane)] {
        try Fixtures.photos.map { url in
            let decoded = try ImageDecoder.decode(
                try Data(contentsOf: url), options: DecodeOptions(minimumSide: 128, grayscale: true))
            return (url.lastPathComponent, GrayPlane(decoded))
        }
    }

    @Test("crop pHashes from one shared horizontal pass per column equal resizing every crop alone")
    func sharedPassIsExact() throws {
        for (name, plane) in try Self.planes() {
            for share in [0.9, 0.85, 0.5] {
                #expect(
                    FeatureExtractor.gridCropPHashes(of: plane, share: share) == Self.reference(plane, share: share),
                    "\(name) at \(share)")
            }
        }
    }

    @Test("crop pHashes through the intermediate stay within a few bits of resizing each cut-out crop directly")
    func intermediateIsClose() throws {
        var distances: [Int] = []
        for (name, plane) in try Self.planes() {
            for share in [0.9, 0.85] {
                let w = Int((Double(plane.width) * share).rounded()), h = Int((Double(plane.height) * share).rounded())
                let grid = FeatureExtractor.gridCropPHashes(of: plane, share: share)
                for (row, y) in [0, (plane.height - h) / 2, plane.height - h].enumerated() {
                    for (column, x) in [0, (plane.width - w) / 2, plane.width - w].enumerated() {
                        let direct = DCTHash.phash(plane.cropped(x: x, y: y, width: w, height: h), exact: true).hash
                        let d = hammingDistance(grid[row * 3 + column], direct)
                        #expect(d <= 8, "\(name) share \(share) crop \(row),\(column): \(d) bits")
                        distances.append(d)
                    }
                }
            }
        }
        let mean = Double(distances.reduce(0, +)) / Double(distances.count)
        print("crop pHash distance, intermediate vs direct Pillow resize: mean \(String(format: "%.2f", mean)) max \(distances.max() ?? 0) over \(distances.count) crops")
        #expect(mean <= 2, "mean \(mean) bits")
    }
}
