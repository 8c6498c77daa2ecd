@testable import Detect
import Testing

/// `LanczosResampler.lanczosRow` (sines carried from tap to tap) against `lanczos` called once per tap.
@Suite struct LanczosRowTests {
    /// Pillow's 22-bit rounding of normalized weights, as `computeTaps` does it.
    static func fixedPoint(_ row: [Double], total: Double) -> [Int32] {
        let one = Double(Int32(1) << LanczosResampler.precisionBits)
        return row.map { raw in
            let w = total != 0 ? raw / total : raw
            return w < 0 ? Int32(-0.5 + w * one) : Int32(0.5 + w * one)
        }
    }

    @Test("carried sines give Pillow's 22-bit weights for every output of many resizes, up and down")
    func sameFixedPointWeights() {
        var rows = 0, worst = 0.0
        for inSize in stride(from: 1, through: 2400, by: 29) {
            for outSize in [1, 9, 32, 72, 300] {
                let scale = Double(inSize) / Double(outSize)
                let filterScale = max(scale, 1.0), support = 3.0 * filterScale, ss = 1.0 / filterScale
                let kernel = Int(support.rounded(.up)) * 2 + 1
                for xx in 0..<outSize {
                    let center = (Double(xx) + 0.5) * scale
                    let xmin = max(Int(center - support + 0.5), 0)
                    let count = min(Int(center + support + 0.5), inSize) - xmin
                    guard count > 0 else { continue }
                    let argument = { (x: Int) in (Double(x + xmin) - center + 0.5) * ss }
                    let direct = (0..<count).map { LanczosResampler.lanczos(argument($0)) }
                    var carried = [Double](repeating: 0, count: kernel)
                    let total = LanczosResampler.lanczosRow(count: count, step: ss, into: &carried, argument: argument)
                    carried = Array(carried.prefix(count))
                    for (a, b) in zip(direct, carried) { worst = max(worst, abs(a - b)) }
                    let directTotal = direct.reduce(0, +)
                    #expect(Self.fixedPoint(direct, total: directTotal) == Self.fixedPoint(carried, total: total),
                            "\(inSize) -> \(outSize), output \(xx)")
                    rows += 1
                }
            }
        }
        #expect(rows > 30_000)
        #expect(worst < 1e-12, "largest weight difference \(worst)")
    }
}
