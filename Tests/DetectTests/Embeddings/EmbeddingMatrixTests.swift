import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct EmbeddingMatrixTests {
    /// The values `make_fixtures.py` writes: (i * D + j) * 0.25 - 2.
    static func expected(rows: Int, dims: Int) -> [[Float]] {
        (0..<rows).map { i in (0..<dims).map { j in Float(i * dims + j) * 0.25 - 2 } }
    }

    static func load(_ name: String) throws -> EmbeddingMatrix {
        try EmbeddingMatrix(contentsOf: Fixtures.url("embeddings/\(name)"))
    }

    static func kind(of body: () throws -> Void) -> EmbeddingError.Kind? {
        do {
            try body()
            return nil
        } catch let error as EmbeddingError {
            return error.kind
        } catch {
            return nil
        }
    }

    @Test("reads numpy-written float16 and float32 files with v1, v2 and v3 headers", arguments: [
        "f32_v1.npy", "f16_v1.npy", "f32_v2.npy", "f16_v3.npy",
    ])
    func readsHeaders(name: String) throws {
        let matrix = try Self.load(name)
        #expect(matrix.rowCount == 6 && matrix.dimension == 4)
        #expect((0..<6).map { matrix.row($0) } == Self.expected(rows: 6, dims: 4))
        #expect(matrix.invalidRows.isEmpty)
    }

    @Test("normalized rows have unit length and keep their direction")
    func normalizes() throws {
        let matrix = try Self.load("f16_v1.npy")
        for i in 0..<matrix.rowCount {
            let unit = matrix.normalizedRow(i)
            let raw = matrix.row(i)
            let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(unit.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
            #expect(zip(unit, raw).allSatisfy { abs($0 * norm - $1) < 1e-4 })
        }
        var block = [Float](repeating: .nan, count: 2 * 4)
        block.withUnsafeMutableBufferPointer { matrix.copyRows(2..<4, into: $0.baseAddress!, normalized: true) }
        #expect(Array(block[0..<4]) == matrix.normalizedRow(2) && Array(block[4..<8]) == matrix.normalizedRow(3))
    }

    @Test("a folder of shards is concatenated in natural name order")
    func readsShardFolder() throws {
        let matrix = try Self.load("shards")
        #expect(matrix.rowCount == 5 && matrix.dimension == 4)
        #expect((0..<5).map { matrix.row($0) } == Self.expected(rows: 5, dims: 4))
    }

    @Test("rows with NaN, Inf or only zeros are reported and scale to nothing")
    func reportsInvalidRows() throws {
        let matrix = try Self.load("bad_rows.npy")
        #expect(matrix.invalidRows == [
            InvalidEmbeddingRow(row: 1, reason: .nonFinite),
            InvalidEmbeddingRow(row: 3, reason: .zero),
            InvalidEmbeddingRow(row: 4, reason: .nonFinite),
        ])
        #expect(matrix.isValid(0) && !matrix.isValid(1) && matrix.isValid(2))
        #expect(matrix.normalizedRow(1).allSatisfy { $0 == 0 })
    }

    @Test("bad files are typed errors that name the file")
    func rejectsBadFiles() throws {
        #expect(Self.kind { _ = try Self.load("fortran.npy") } == .fortranOrder)
        #expect(Self.kind { _ = try Self.load("float64.npy") } == .unsupportedDType("<f8"))
        #expect(Self.kind { _ = try Self.load("three_d.npy") } == .notTwoDimensional(shape: [2, 2, 2]))
        #expect(Self.kind { _ = try Self.load("truncated.npy") } == .truncated(expectedBytes: 224, actualBytes: 214))
        #expect(Self.kind { _ = try Self.load("make_fixtures.py") } == .notNPY)
        #expect(Self.kind { _ = try Self.load("missing.npy") } == .unreadable(errno: ENOENT))
        do {
            _ = try Self.load("fortran.npy")
        } catch let error as EmbeddingError {
            #expect(error.path.hasSuffix("embeddings/fortran.npy"))
            #expect(error.description.contains("Fortran"))
        }
    }

    @Test("a header claiming 2^31 rows more than the file holds is an error, not a crash")
    func rejectsHugeClaim() throws {
        let kind = Self.kind { _ = try Self.load("huge_claim.npy") }
        guard case .truncated(let expected, let actual) = kind else {
            Issue.record("expected a truncation error, got \(String(describing: kind))")
            return
        }
        #expect(expected > 2_000_000_000 && actual == 192)
    }

    @Test("a header with an absurd length field or shape is rejected")
    func rejectsForgedHeaders() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ header: String, version: UInt8 = 1, lengthOverride: Int? = nil) throws -> URL {
            var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
            let length = lengthOverride ?? header.utf8.count
            bytes += version == 1 ? [UInt8(length & 0xFF), UInt8(length >> 8)]
                : [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)]
            bytes += Array(header.utf8)
            let url = folder.appendingPathComponent(UUID().uuidString + ".npy")
            try Data(bytes).write(to: url)
            return url
        }
        let overflow = try write("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }")
        #expect(Self.kind { _ = try EmbeddingMatrix(contentsOf: overflow) } == .truncated(expectedBytes: Int.max, actualBytes: 87))
        let longLength = try write("{'descr': '<f4'}", version: 2, lengthOverride: 0x7FFF_FFFF)
        if case .malformedHeader = Self.kind(of: { _ = try EmbeddingMatrix(contentsOf: longLength) }) {} else {
            Issue.record("a header length past the end of the file must be a malformed header")
        }
        let negative = try write("{'descr': '<f4', 'fortran_order': False, 'shape': (-3, 4), }")
        if case .malformedHeader = Self.kind(of: { _ = try EmbeddingMatrix(contentsOf: negative) }) {} else {
            Issue.record("a negative shape must be a malformed header")
        }
        let version9 = try write("{}", version: 9)
        #expect(Self.kind { _ = try EmbeddingMatrix(contentsOf: version9) } == .unsupportedVersion(major: 9, minor: 0))
    }

    @Test("a count mismatch with the manifest names both counts")
    func checksCount() throws {
        let matrix = try Self.load("f32_v1.npy")
        try matrix.checkCount(samples: 6)
        #expect(Self.kind { try matrix.checkCount(samples: 7) } == .countMismatch(samples: 7, embeddings: 6))
        do {
            try matrix.checkCount(samples: 7)
        } catch let error as EmbeddingError {
            #expect(error.description.contains("6 embedding rows for 7 samples"))
        }
    }
}
