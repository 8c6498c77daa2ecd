import CurateTestSupport
@testable import Detect
import Foundation
import Testing

/// The 14-bit Lanczos of feature extraction against Pillow's exact 22-bit one, on real photos.
@Suite struct FastLanczosTests {
    static func planes() throws -> [(String, GrayPlane)] {
        try Fixtures.photos.map { url in
            let decoded = try ImageDecoder.decode(try Data(contentsOf: url), options: DecodeOptions(minimumSide: 128, grayscale: true))
            return (url.lastPathComponent, GrayPlane(decoded))
        }
    }

    @Test("fast resizes differ from Pillow's by at most one level, on few pixels, for pHash, dHash and odd sizes")
    func closeToPillow() throws {
        var differing = 0, total = 0
        for (name, plane) in try Self.planes() {
            for (ow, oh) in [(32, 32), (9, 8), (17, 40), (plane.width, 32), (32, plane.height)] {
                let exact = LanczosResampler.resize(plane.gray, width: plane.width, height: plane.height, outWidth: ow, outHeight: oh)
                let fast = LanczosResampler.fastResize(
                    plane.gray, stride: plane.width, x: 0, y: 0, width: plane.width, height: plane.height, outWidth: ow, outHeight: oh)
                #expect(fast.count == exact.count)
                let worst = zip(fast, exact).map { abs(Int($0) - Int($1)) }.max() ?? 0
                #expect(worst <= 1, "\(name) to \(ow)x\(oh): off by \(worst)")
                differing += zip(fast, exact).filter { $0 != $1 }.count
                total += exact.count
            }
        }
        // Rounding boundaries are rare: a few percent of outputs at most.
        #expect(differing * 20 < total, "\(differing) of \(total) outputs differ")
    }

    @Test("a rectangle resized in place equals the same rectangle cut out first")
    func rectangleInPlace() throws {
        for (name, plane) in try Self.planes() {
            let x = plane.width / 7, y = plane.height / 9, w = plane.width * 3 / 4, h = plane.height * 2 / 3
            let crop = plane.cropped(x: x, y: y, width: w, height: h)
            for (ow, oh) in [(32, 32), (9, 8), (w, 32), (32, h)] {
                let inPlace = LanczosResampler.fastResize(
                    plane.gray, stride: plane.width, x: x, y: y, width: w, height: h, outWidth: ow, outHeight: oh)
                let cut = LanczosResampler.fastResize(crop.gray, stride: w, x: 0, y: 0, width: w, height: h, outWidth: ow, outHeight: oh)
                #expect(inPlace == cut, "\(name) to \(ow)x\(oh)")
            }
        }
    }

    @Test("pHash and dHash through the fast resize stay within 2 bits of the exact ones")
    func hashesClose() throws {
        var phashBits = 0, dhashBits = 0
        for (name, plane) in try Self.planes() {
            let p = hammingDistance(DCTHash.phash(plane, exact: false).hash, DCTHash.phash(plane).hash)
            let d = hammingDistance(DCTHash.dhash(plane, exact: false).hash, DCTHash.dhash(plane).hash)
            #expect(p <= 2 && d <= 2, "\(name): pHash \(p), dHash \(d) bits")
            phashBits += p
            dhashBits += d
        }
        #expect(phashBits + dhashBits <= 16, "total pHash \(phashBits), dHash \(dhashBits) bits over the photos")
    }

    @Test("the SIMD DCTs equal the scalar definitions bit for bit")
    func simdDCTs() throws {
        for (_, plane) in try Self.planes().prefix(8) {
            let small = LanczosResampler.resize(plane.gray, width: plane.width, height: plane.height, outWidth: 32, outHeight: 32)
            let c = DCTTables.phash8x32
            var scalar = [Float](repeating: 0, count: 64)
            var t = [Float](repeating: 0, count: 8 * 32)
            for k in 0..<8 { for y in 0..<32 { for x in 0..<32 { t[k * 32 + x] += c[k * 32 + y] * Float(small[y * 32 + x]) } } }
            for k in 0..<8 {
                for v in 0..<8 {
                    var s: Float = 0
                    for x in 0..<32 { s += t[k * 32 + x] * c[v * 32 + x] }
                    scalar[k * 8 + v] = s
                }
            }
            #expect(DCTHash.coefficients(luma32x32: small) == scalar)

            let buffer = PDQHasher.downsampleFast(plane)
            let d = DCTTables.pdq16x64
            var pt = [Float](repeating: 0, count: 16 * 64)
            for i in 0..<16 { for k in 0..<64 { for j in 0..<64 { pt[i * 64 + j] += d[i * 64 + k] * buffer[k * 64 + j] } } }
            var reference = [Float](repeating: 0, count: 256)
            for i in 0..<16 {
                for j in 0..<16 {
                    var s: Float = 0
                    for k in 0..<64 { s += pt[i * 64 + k] * d[j * 64 + k] }
                    reference[i * 16 + j] = s
                }
            }
            #expect(PDQHasher.dct(buffer) == reference)
        }
    }

    @Test("the AVX2 horizontal pass writes the same bytes as the SSE2 one, for every kernel width")
    func horizontalPassesAgree() throws {
        for (name, plane) in try Self.planes() {
            let boxes = [0.0...Double(plane.width), 1.5...Double(plane.width) * 0.8, 3.25...11.75]
            let taps = [9, 17, 32, 64, plane.width / 2].map { LanczosResampler.fastTaps(inSize: plane.width, outSize: $0) }
                + boxes.map { LanczosResampler.fastTaps(inSize: plane.width, box: $0, outSize: 32) }
            for tap in taps {
                let out = tap.start.count
                var wide = [UInt8](repeating: 0, count: out * plane.height), narrow = wide
                plane.gray.withUnsafeBufferPointer { source in
                    wide.withUnsafeMutableBufferPointer { w in
                        LanczosResampler.fastHorizontal(
                            source.baseAddress!, stride: plane.width, width: plane.width, rows: plane.height, taps: tap,
                            into: w.baseAddress!)
                    }
                    narrow.withUnsafeMutableBufferPointer { n in
                        LanczosResampler.fastHorizontal(
                            source.baseAddress!, stride: plane.width, width: plane.width, rows: plane.height, taps: tap,
                            into: n.baseAddress!, allowAVX2: false)
                    }
                }
                #expect(wide == narrow, "\(name): \(plane.width) to \(out) columns, kernel \(tap.kernelSize)")
            }
        }
    }

    @Test("the AVX2 vertical pass writes the same bytes as the SSE2 and scalar ones, for any width and kernel")
    func verticalPassesAgree() throws {
        for (name, plane) in try Self.planes() {
            let boxes = [0.0...Double(plane.height), 1.5...Double(plane.height) * 0.8, 3.25...11.75]
            let taps = [8, 32, 64, plane.height / 2].map { LanczosResampler.fastTaps(inSize: plane.height, outSize: $0) }
                + boxes.map { LanczosResampler.fastTaps(inSize: plane.height, box: $0, outSize: 32) }
            for tap in taps {
                // Widths on and off the blocks of sixteen and eight columns, read from the plane in place.
                for width in [plane.width, 37, 32, 23, 16, 5] {
                    let rows = tap.start.count
                    var wide = [UInt8](repeating: 0, count: width * rows), narrow = wide, scalar = wide
                    plane.gray.withUnsafeBufferPointer { source in
                        wide.withUnsafeMutableBufferPointer { w in
                            LanczosResampler.fastVertical(
                                source.baseAddress!, stride: plane.width, width: width, firstRow: 0, taps: tap,
                                into: w.baseAddress!)
                        }
                        narrow.withUnsafeMutableBufferPointer { n in
                            LanczosResampler.fastVertical(
                                source.baseAddress!, stride: plane.width, width: width, firstRow: 0, taps: tap,
                                into: n.baseAddress!, allowAVX2: false)
                        }
                    }
                    for yy in 0..<rows {
                        for x in 0..<width {
                            var sum: Int32 = 1 << 13
                            for t in 0..<Int(tap.count[yy]) {
                                sum += Int32(plane.gray[(Int(tap.start[yy]) + t) * plane.width + x])
                                    * Int32(tap.weights[yy * tap.kernelSize + t])
                            }
                            scalar[yy * width + x] = LanczosResampler.fastClip(sum)
                        }
                    }
                    let what = "\(name): \(plane.height) to \(rows) rows, \(width) wide, kernel \(tap.kernelSize)"
                    #expect(wide == narrow, "\(what)")
                    #expect(narrow == scalar, "\(what)")
                }
            }
        }
    }

    @Test("the SSE2 texture sum equals the sum of |difference| over every neighbour pair")
    func textureSum() throws {
        var random = SeededGenerator(seed: 7)
        var cases: [[UInt8]] = [[UInt8](repeating: 0, count: 1024), [UInt8](repeating: 255, count: 1024)]
        cases.append((0..<1024).map { $0 % 2 == 0 ? 0 : 255 })
        cases += (0..<20).map { _ in (0..<1024).map { _ in UInt8.random(in: 0...255, using: &random) } }
        for (_, plane) in try Self.planes() {
            cases.append(LanczosResampler.fastResize(
                plane.gray, stride: plane.width, x: 0, y: 0, width: plane.width, height: plane.height, outWidth: 32, outHeight: 32))
        }
        for p in cases {
            var scalar = 0
            for y in 0..<32 { for x in 0..<31 { scalar += abs(Int(p[y * 32 + x + 1]) - Int(p[y * 32 + x])) } }
            for y in 0..<31 { for x in 0..<32 { scalar += abs(Int(p[(y + 1) * 32 + x]) - Int(p[y * 32 + x])) } }
            #expect(p.withUnsafeBufferPointer { FeatureExtractor.absoluteDifferences32x32($0.baseAddress!) } == scalar)
        }
    }

    @Test("PDQ reads a gray plane's bytes as the Float luma they stand for")
    func grayPlaneLuma() throws {
        for (name, plane) in try Self.planes() {
            #expect(plane.luma == nil, "\(name): a gray decode carries no Float copy")
            var floats = plane
            floats.luma = plane.gray.map(Float.init)
            #expect(PDQHasher.downsampleFast(plane) == PDQHasher.downsampleFast(floats), "\(name)")
            #expect(PDQHasher.hash(plane).hash == PDQHasher.hash(floats).hash, "\(name)")
        }
    }

    @Test("PDQ's sampler equals its separable weighted sums taken one output at a time, bit for bit")
    func pdqSamplerMatchesScalarSums() throws {
        var random = SeededGenerator(seed: 11)
        var planes = try Self.planes().map(\.1)
        // Widths that are and are not multiples of four (the column transpose works in blocks of four).
        for (width, height) in [(5, 5), (63, 70), (64, 64), (101, 37), (257, 190)] {
            let gray = (0..<width * height).map { _ in UInt8.random(in: 0...255, using: &random) }
            planes.append(GrayPlane(width: width, height: height, gray: gray, luma: nil, scaleX: 1.5, scaleY: 2))
        }
        for plane in planes {
            let rows = plane.height, cols = plane.width
            let wy = PDQHasher.cachedAxisWeights(size: rows, scale: plane.scaleY)
            let wx = PDQHasher.cachedAxisWeights(size: cols, scale: plane.scaleX)
            let luma = plane.lumaValues
            var partial = [Float](repeating: 0, count: 64 * cols)
            for i in 0..<64 {
                for r in 0..<wy.length[i] {
                    for x in 0..<cols { partial[i * cols + x] += wy.weights[i * wy.stride + r] * luma[(wy.start[i] + r) * cols + x] }
                }
            }
            var expected = [Float](repeating: 0, count: 64 * 64)
            for i in 0..<64 {
                for j in 0..<64 {
                    var sum: Float = 0
                    for c in 0..<wx.length[j] { sum += wx.weights[j * wx.stride + c] * partial[i * cols + wx.start[j] + c] }
                    expected[i * 64 + j] = sum
                }
            }
            let fast = PDQHasher.downsampleFast(plane)
            #expect(fast.map(\.bitPattern) == expected.map(\.bitPattern), "\(cols)x\(rows)")
        }
    }

    @Test("feature extraction handles tiny, thin and odd-sized images deterministically", arguments: [
        (1, 1), (1, 40), (40, 1), (31, 33), (32, 32), (65, 7), (300, 64),
    ])
    func tinyImages(width: Int, height: Int) {
        // A diagonal gradient with some texture, so the hashes have something to read.
        let pixels = (0..<(width * height)).map { i in UInt8(truncatingIfNeeded: (i % width) * 7 + (i / width) * 3 + (i % 5) * 11) }
        let decoded = DecodedImage(
            format: .png, width: width, height: height, pixels: PixelImage(width: width, height: height, channels: 1, pixels: pixels))
        let hash = ContentHash(of: Data(pixels))
        let first = FeatureExtractor.features(of: decoded, contentHash: hash, byteCount: pixels.count)
        let second = FeatureExtractor.features(of: decoded, contentHash: hash, byteCount: pixels.count)
        #expect(first == second)
        // Crop views too flat to tell images apart are left out (the 1x1 image's are all flat).
        #expect(first.cropPHashes.count <= 9 * FeatureOptions().cropShares.count + FeatureOptions().centreCropAspects.count)
        #expect(first.width == width && first.height == height)
    }
}
