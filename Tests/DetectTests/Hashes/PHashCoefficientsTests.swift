import CurateTestSupport
@testable import Detect
import Foundation
import Testing

/// pHash's DCT block through the AVX2 kernel must equal the Swift loop bit for bit (the stored features and every
/// golden hash depend on it), and both must equal the DCT's definition to float precision.
@Suite struct PHashCoefficientsTests {
    static func coefficients(_ luma: [UInt8], allowAVX2: Bool) -> [Float] {
        [Float](unsafeUninitializedCapacity: 64) { out, count in
            luma.withUnsafeBufferPointer {
                DCTHash.coefficients(luma32x32: $0.baseAddress!, into: out.baseAddress!, allowAVX2: allowAVX2)
            }
            count = 64
        }
    }

    @Test("the AVX2 kernel and the Swift loop give the same bits, on photos and on random and flat lumas")
    func kernelsAgree() throws {
        var lumas: [[UInt8]] = try Fixtures.photos.map { url in
            let plane = GrayPlane(
                try ImageDecoder.decode(
                    try Data(contentsOf: url), options: DecodeOptions(minimumSide: 128, grayscale: true)))
            return DCTHash.resize(plane, outWidth: 32, outHeight: 32, exact: false)
        }
        var generator = SeededGenerator(seed: 32)
        lumas += (0..<50).map { _ in (0..<1024).map { _ in UInt8(truncatingIfNeeded: generator.next()) } }
        lumas += [[UInt8](repeating: 0, count: 1024), [UInt8](repeating: 255, count: 1024)]
        for (index, luma) in lumas.enumerated() {
            let fast = Self.coefficients(luma, allowAVX2: true), portable = Self.coefficients(luma, allowAVX2: false)
            #expect(fast.map(\.bitPattern) == portable.map(\.bitPattern), "luma \(index)")
            // The definition in Double: the sums' float rounding stays far below a coefficient's size.
            for k in 0..<8 {
                for v in 0..<8 {
                    var sum = 0.0
                    for y in 0..<32 {
                        for x in 0..<32 {
                            sum += Double(luma[y * 32 + x]) * cos(Double.pi * Double(k) * Double(2 * y + 1) / 64)
                                * cos(Double.pi * Double(v) * Double(2 * x + 1) / 64)
                        }
                    }
                    #expect(abs(Double(portable[k * 8 + v]) - sum) <= 0.05, "luma \(index) (\(k), \(v))")
                }
            }
        }
    }
}
