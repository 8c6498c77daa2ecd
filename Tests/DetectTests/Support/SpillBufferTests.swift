@testable import Detect
import Foundation
import Testing

@Suite struct SpillBufferTests {
    /// Bytes 0, 1, 2, … of `count`, appended in pieces of 1 to 9 bytes.
    static func filled(_ count: Int, blockSize: Int) -> (SpillBuffer, [UInt8]) {
        let buffer = SpillBuffer(blockSize: blockSize)
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        var at = 0
        while at < count {
            let piece = min(count - at, 1 + at % 9)
            let start = bytes[at..<at + piece].withUnsafeBytes { buffer.append($0) }
            #expect(start == at)
            at += piece
        }
        return (buffer, bytes)
    }

    @Test(
        "bytes read back the same from the file, from the block still in memory and across the two",
        arguments: [1, 7, 64, 1 << 20])
    func readsBack(blockSize: Int) {
        let (buffer, bytes) = Self.filled(5000, blockSize: blockSize)
        #expect(buffer.count == 5000)
        var random = TestRandom(UInt64(blockSize))
        for _ in 0..<200 {
            let a = Int(random.next() % 5000), b = Int(random.next() % 5001)
            let range = min(a, b)..<max(a, b)
            var out = [UInt8](repeating: 0, count: range.count)
            out.withUnsafeMutableBytes { buffer.read(range, into: $0) }
            #expect(out == Array(bytes[range]))
        }
    }

    @Test(
        "a reader walks records in order through its window and jumps back for one behind it",
        arguments: [0, 16, 1 << 20])
    func readerWindows(window: Int) {
        let (buffer, bytes) = Self.filled(3000, blockSize: 100)
        var reader = SpillBuffer.Reader(buffer, window: window)
        let ranges = stride(from: 0, to: 2990, by: 10).map { $0..<$0 + 10 } + [5..<2000, 0..<1, 2999..<3000, 40..<60]
        for range in ranges {
            let got = reader.withBytes(range) { Array($0) }
            #expect(got == Array(bytes[range]))
        }
    }

    @Test("several threads read the same buffer at once")
    func concurrentReads() {
        let (buffer, bytes) = Self.filled(100_000, blockSize: 4096)
        let same = parallelMap(8) { part -> Bool in
            var reader = SpillBuffer.Reader(buffer, window: 1000 + part)
            return stride(from: part, to: 99_000, by: 997).allSatisfy { start in
                reader.withBytes(start..<start + 900) { Array($0) } == Array(bytes[start..<start + 900])
            }
        }
        #expect(same == Array(repeating: true, count: 8))
    }

    @Test("code runs give back every sample's codes, part by part, in order, without the samples that had none")
    func codeRunsByPart() {
        var random = TestRandom(11)
        var runs = CodeRuns(blockSize: 512)
        var expected: [(Int, [UInt64])] = []
        for owner in 0..<1500 {
            let codes = (0..<Int(random.next() % 6) * 4).map { _ in random.next() }
            codes.withUnsafeBufferPointer { runs.append(owner: owner, codes: $0) }
            if !codes.isEmpty { expected.append((owner, codes)) }
        }
        #expect(runs.runCount == expected.count && expected.count > 3 * 256)
        for parts in [1, 2, 3, 4, 7] {
            var walked: [(Int, [UInt64])] = []
            for part in 0..<parts {
                let before = walked.count
                runs.views(part, parts) { owner, codes in walked.append((owner, Array(codes))) }
                #expect(walked.count - before == HammingPairSearch.part(part, of: parts, count: expected.count).count)
            }
            #expect(walked.map(\.0) == expected.map(\.0))
            #expect(walked.map(\.1) == expected.map(\.1))
        }
    }

    @Test("sample features written out to the temporary file read back equal, by sample, in walks and as facts")
    func spilledFeatures() {
        var random = TestRandom(5)
        let images = (0..<300).map { id in
            var f = features(
                id: UInt64(id), phash: random.next(), dhash: random.next(), pdq: (0..<4).map { _ in random.next() })
            f.cropPHashes = (0..<Int(random.next() % 12)).map { _ in random.next() }
            f.orientedPHashes = id % 3 == 0 ? [random.next(), random.next()] : []
            f.insetPHash = id % 5 == 0 ? random.next() : nil
            return f
        }
        let samples: [ImageFeatures?] = (0..<900).map { $0 % 7 == 3 ? nil : images[Int(random.next() % 300)] }
        var spilled = SampleFeatures(blockSize: 256)
        for f in samples { spilled.append(f) }
        let inMemory = SampleFeatures(samples)
        #expect(spilled.count == 900 && spilled.slots == inMemory.slots)
        #expect((0..<900).map { spilled[$0] } == samples)
        var walked: [Int] = []
        spilled.forEach(stride(from: 899, through: 0, by: -2)) { ordinal, f in
            walked.append(ordinal)
            #expect(f == samples[ordinal])
        }
        #expect(walked == stride(from: 899, through: 0, by: -2).filter { samples[$0] != nil })
        let facts = spilled.facts
        #expect((0..<900).map { facts[$0] } == (0..<900).map { inMemory.facts[$0] })
        #expect((0..<900).allSatisfy { facts[$0]?.width == samples[$0]?.width })
    }
}
