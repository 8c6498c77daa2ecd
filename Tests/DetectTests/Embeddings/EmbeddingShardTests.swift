import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct EmbeddingShardTests {
    @Test("every float16 bit pattern widens exactly as Swift's Float16 does")
    func allHalfPatterns() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var header = "{'descr': '<f2', 'fortran_order': False, 'shape': (256, 256), }"
        header += String(repeating: " ", count: 63 - (10 + header.utf8.count) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8))
        let patterns = (0..<65536).map { UInt16($0) }
        patterns.withUnsafeBytes { data.append(contentsOf: $0) }
        let url = folder.appendingPathComponent("all.npy")
        try data.write(to: url)
        let matrix = try EmbeddingMatrix(contentsOf: url)
        var mismatches = 0
        for r in 0..<256 {
            let row = matrix.row(r)
            for c in 0..<256 {
                let expected = Float(Float16(bitPattern: UInt16(r * 256 + c)))
                let got = row[c]
                if !(got == expected || (got.isNaN && expected.isNaN)) { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
        // Rows 124-127 and 252-255 hold the Inf/NaN patterns (exponent 31).
        #expect(matrix.invalidRows.map(\.row) == [124, 125, 126, 127, 252, 253, 254, 255])
    }

    @Test("shards of different widths, and a folder without shards, are errors naming the path")
    func rejectsBadFolders() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: EmbeddingError(.emptyFolder, path: folder.path)) { try EmbeddingMatrix(contentsOf: folder) }
        try writeNPY([[1, 0, 0], [0, 1, 0]], to: folder.appendingPathComponent("part_1.npy"))
        try writeNPY([[1, 0], [0, 1]], to: folder.appendingPathComponent("part_2.npy"), half: true)
        let second = folder.appendingPathComponent("part_2.npy").path
        #expect(throws: EmbeddingError(.dimensionMismatch(expected: 3, actual: 2), path: second)) {
            try EmbeddingMatrix(contentsOf: folder)
        }
    }

    @Test("shards of mixed float16 and float32 concatenate into one matrix")
    func mixedShards() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeNPY([[1, 2], [3, 4]], to: folder.appendingPathComponent("emb_0.npy"))
        try writeNPY([[5, 6]], to: folder.appendingPathComponent("emb_1.npy"), half: true)
        try writeNPY([[7, 8], [9, 10]], to: folder.appendingPathComponent("emb_10.npy"))
        let matrix = try EmbeddingMatrix(contentsOf: folder)
        #expect(matrix.rowCount == 5 && matrix.dimension == 2)
        #expect((0..<5).map { matrix.row($0) } == [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]])
    }
}
