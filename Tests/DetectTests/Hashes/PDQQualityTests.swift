@testable import Detect
import Testing

/// PDQ's quality metric runs four lanes at a time on x86-64; it must equal the reference's scalar loop exactly,
/// including below saturation (the fixture photos all score 100) and for negative differences.
@Suite struct PDQQualityTests {
    /// The reference `pdqImageDomainQualityMetric`, literally.
    static func reference(_ p: [Float]) -> Int {
        var sum = 0
        for i in 0..<63 { for j in 0..<64 { sum += abs(Int((p[i * 64 + j] - p[(i + 1) * 64 + j]) * 100 / 255)) } }
        for i in 0..<64 { for j in 0..<63 { sum += abs(Int((p[i * 64 + j] - p[i * 64 + j + 1]) * 100 / 255)) } }
        return min(sum / 90, 100)
    }

    @Test("quality equals the reference loop on smooth, textured and mixed 64x64 buffers", arguments: [0.5, 3.0, 9.0, 40.0])
    func matchesReference(amplitude: Double) {
        var state: UInt64 = 0x1234_5678 &+ UInt64(amplitude * 10)
        var qualities: Set<Int> = []
        for round in 0..<20 {
            let buffer: [Float] = (0..<4096).map { k in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let noise = Double(state >> 40) / Double(1 << 24) - 0.5
                let ramp = Double((k % 64) * (round + 1)) / 16
                return Float(min(255, max(0, 128 + ramp + noise * amplitude * Double(round + 1) / 4)))
            }
            let ours = PDQHasher.quality(buffer)
            #expect(ours == Self.reference(buffer))
            qualities.insert(ours)
        }
        // The cases must reach below saturation, or the comparison would prove little.
        #expect(qualities.contains { $0 < 100 })
    }
}
