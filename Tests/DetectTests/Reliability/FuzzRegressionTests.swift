import CurateTestSupport
import Detect
import Foundation
import Testing

/// Inputs the libFuzzer harnesses in `Fuzz/` found crashing, fed to the same API as plain tests.
@Suite struct FuzzRegressionTests {
    /// Writes an `.npy` v1 file whose header declares `shape` (float32), followed by `dataBytes` zero bytes.
    func npy(shape: String, dataBytes: Int = 0) throws -> URL {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93]) + Data("NUMPY".utf8) + Data([1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data += Data(header.utf8) + Data(count: dataBytes)
        let url = try Fixtures.temporaryFolder().appendingPathComponent("e.npy")
        try data.write(to: url)
        return url
    }

    func expectMalformedHeader(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) {
            _ = try EmbeddingMatrix(contentsOf: url)
        } throws: { error in
            guard let error = error as? EmbeddingError, case .malformedHeader(let message) = error.kind else { return false }
            return message.contains("values per row")
        }
    }

    @Test("the fuzzer's crash: shape (0, 7.5e18) allocated a 7.5e18-float row buffer and aborted")
    func zeroRowsHugeColumns() {
        expectMalformedHeader(Fixtures.url("fuzz-crashes/npy-zero-rows-huge-columns.npy"))
    }

    @Test("its twin: shape (2^62, 0) fits in no bytes but sized a per-row array of 2^62 floats")
    func hugeRowsZeroColumns() throws {
        expectMalformedHeader(try npy(shape: "(4611686018427387904, 0)"))
    }

    @Test("ordinary and empty shapes still load", arguments: ["(0, 512)", "(0, 0)", "(2, 3)", "(1, 65536)"])
    func ordinaryShapesLoad(shape: String) throws {
        let numbers = shape.dropFirst().dropLast().split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces))! }
        let matrix = try EmbeddingMatrix(contentsOf: try npy(shape: shape, dataBytes: numbers[0] * numbers[1] * 4))
        #expect(matrix.rowCount == numbers[0])
    }
}
