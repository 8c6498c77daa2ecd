import Foundation

/// Image embeddings `[N, D]` read from a `.npy` file or a folder of `.npy` shards, memory-mapped.
///
/// The matrix never holds a float32 copy of the data: rows are converted (float16 → Float) on demand, in the
/// blocks the caller asks for, so a 1M × 512 float16 file costs its 1 GB of page cache and little else. Rows with
/// NaN/Inf or all zeros are listed in ``invalidRows`` and excluded from every similarity computation; all other
/// rows are scaled to unit length when read through the `normalized` accessors, so dot products are cosines.
public struct EmbeddingMatrix: Sendable {
    struct Shard: Sendable {
        let file: MappedFile
        let header: NPYHeader
        let firstRow: Int
    }

    /// The file or folder the matrix was read from, as the caller named it (relative stays relative).
    public let path: String
    /// Number of rows (one per sample, in input order).
    public let rowCount: Int
    /// Width of each row.
    public let dimension: Int
    /// Rows that hold NaN/Inf or only zeros, ascending by row.
    public let invalidRows: [InvalidEmbeddingRow]
    let shards: [Shard]
    /// 1 / ‖row‖, or 0 for an invalid row (so it scales to the zero vector and matches nothing).
    let inverseNorms: [Float]

    /// Reads `url`: a `.npy` file, or a folder whose `.npy` files are concatenated in natural name order
    /// (`img_emb_2.npy` before `img_emb_10.npy`, the clip-retrieval `img_emb/` layout).
    /// - Throws: ``EmbeddingError`` naming the offending file.
    public init(contentsOf url: URL) throws {
        // Problems name the file as the user gave it, as they name manifests; `url.path` would make it absolute.
        let path = url.relativePath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw EmbeddingError(.unreadable(errno: ENOENT), path: path)
        }
        var files: [String]
        if isDirectory.boolValue {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: path)
            } catch {
                throw EmbeddingError(.unreadable(errno: EACCES), path: path)
            }
            files = names.filter { $0.hasSuffix(".npy") && !$0.hasPrefix(".") }.sorted(by: naturalOrder)
                .map { (path as NSString).appendingPathComponent($0) }
            if files.isEmpty { throw EmbeddingError(.emptyFolder, path: path) }
        } else {
            files = [path]
        }
        var shards: [Shard] = []
        var rows = 0
        var dimension: Int? = nil
        for file in files {
            let mapped = try MappedFile(path: file)
            let header = try NPYHeader.parse(mapped.bytes, path: file)
            if header.rows > 0 {
                if let dimension, dimension != header.columns {
                    throw EmbeddingError(.dimensionMismatch(expected: dimension, actual: header.columns), path: file)
                }
                dimension = header.columns
            }
            shards.append(Shard(file: mapped, header: header, firstRow: rows))
            rows += header.rows
        }
        self.path = path
        self.shards = shards
        self.rowCount = rows
        self.dimension = dimension ?? shards.first?.header.columns ?? 0
        (inverseNorms, invalidRows) = Self.scan(shards: shards, rows: rows, dimension: self.dimension)
    }

    /// Checks that there is exactly one row per sample.
    /// - Throws: ``EmbeddingError/Kind/countMismatch(samples:embeddings:)`` naming both counts.
    public func checkCount(samples: Int) throws {
        guard samples == rowCount else {
            throw EmbeddingError(.countMismatch(samples: samples, embeddings: rowCount), path: path)
        }
    }

    /// Whether row `row` can serve as evidence (finite and non-zero).
    public func isValid(_ row: Int) -> Bool { inverseNorms[row] != 0 }

    /// Row `row` as stored (float16 widened to Float).
    public func row(_ row: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: dimension) { buffer, count in
            copyRow(row, into: buffer.baseAddress!)
            count = dimension
        }
    }

    /// Row `row` scaled to unit length; all zeros for an invalid row.
    public func normalizedRow(_ row: Int) -> [Float] {
        var values = self.row(row)
        let scale = inverseNorms[row]
        for i in values.indices { values[i] = scale == 0 ? 0 : values[i] * scale }
        return values
    }

    /// Writes rows `rows` one after another into `destination` (`rows.count × dimension` floats), unit length when
    /// `normalized` (invalid rows become zeros).
    public func copyRows(_ rows: Range<Int>, into destination: UnsafeMutablePointer<Float>, normalized: Bool) {
        var out = destination
        for row in rows {
            copyRow(row, into: out)
            if normalized { scaleRow(row, out) }
            out += dimension
        }
    }

    /// Writes the listed rows one after another into `destination`, unit length when `normalized`.
    func gatherRows(_ rows: UnsafeBufferPointer<Int32>, into destination: UnsafeMutablePointer<Float>, normalized: Bool) {
        var out = destination
        for row in rows {
            copyRow(Int(row), into: out)
            if normalized { scaleRow(Int(row), out) }
            out += dimension
        }
    }

    private func scaleRow(_ row: Int, _ values: UnsafeMutablePointer<Float>) {
        let scale = inverseNorms[row]
        for i in 0..<dimension { values[i] = scale == 0 ? 0 : values[i] * scale }
    }

    /// The `.npy` file holding `row` (a shard of a folder, or the file itself) and the row's 0-based index in it.
    public func location(ofRow row: Int) -> (file: String, row: Int) {
        let shard = shards[shardIndex(of: row)]
        return (shard.file.path, row - shard.firstRow)
    }

    /// Copies one row, widening float16.
    func copyRow(_ row: Int, into destination: UnsafeMutablePointer<Float>) {
        let shard = shards[shardIndex(of: row)]
        Self.copy(shard: shard, localRow: row - shard.firstRow, dimension: dimension, into: destination)
    }

    private func shardIndex(of row: Int) -> Int {
        if shards.count == 1 { return 0 }
        var low = 0
        var high = shards.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if shards[mid].firstRow <= row { low = mid } else { high = mid - 1 }
        }
        // Skip empty shards that start at the same row.
        while low + 1 < shards.count, shards[low].header.rows == 0 || row >= shards[low].firstRow + shards[low].header.rows {
            low += 1
        }
        return low
    }

    private static func copy(shard: Shard, localRow: Int, dimension: Int, into destination: UnsafeMutablePointer<Float>) {
        let base = shard.file.base! + shard.header.dataOffset
        switch shard.header.scalar {
        case .float32:
            // Unaligned-safe: numpy pads headers to 64 bytes, but a hand-written file need not be aligned.
            let source = base + localRow * dimension * 4
            UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: dimension * 4)
        case .float16:
            let source = base + localRow * dimension * 2
            halfToFloat.withUnsafeBufferPointer { table in
                for i in 0..<dimension {
                    let bits = source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)
                    destination[i] = table[Int(UInt16(littleEndian: bits))]
                }
            }
        }
    }

    /// One pass over the data, in blocks: finds invalid rows and the inverse norms.
    private static func scan(shards: [Shard], rows: Int, dimension: Int) -> ([Float], [InvalidEmbeddingRow]) {
        var inverse = [Float](repeating: 0, count: rows)
        var invalid: [InvalidEmbeddingRow] = []
        var buffer = [Float](repeating: 0, count: max(dimension, 1))
        buffer.withUnsafeMutableBufferPointer { row in
            for shard in shards where shard.header.rows > 0 {
                for local in 0..<shard.header.rows {
                    let global = shard.firstRow + local
                    copy(shard: shard, localRow: local, dimension: dimension, into: row.baseAddress!)
                    var sum: Double = 0
                    var finite = true
                    for i in 0..<dimension {
                        let v = row[i]
                        if !v.isFinite { finite = false }
                        sum += Double(v) * Double(v)
                    }
                    if !finite {
                        invalid.append(InvalidEmbeddingRow(row: global, reason: .nonFinite))
                    } else if sum == 0 {
                        invalid.append(InvalidEmbeddingRow(row: global, reason: .zero))
                    } else {
                        inverse[global] = Float(1 / sum.squareRoot())
                    }
                }
            }
        }
        return (inverse, invalid)
    }
}

/// IEEE half → Float for every bit pattern (a 256 KB table beats software conversion on CPUs without F16C).
let halfToFloat: [Float] = (0..<65536).map { value in
    let bits = UInt32(value)
    let sign = (bits & 0x8000) << 16
    let exponent = (bits >> 10) & 0x1F
    let mantissa = bits & 0x3FF
    if exponent == 0 {
        let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
        return sign != 0 ? -magnitude : magnitude
    }
    if exponent == 31 {
        return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    }
    return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
}

/// Natural order: digit runs compare by value, so `emb_2` < `emb_10`; ties fall back to plain order.
func naturalOrder(_ a: String, _ b: String) -> Bool {
    func chunks(_ s: String) -> [(isNumber: Bool, text: Substring)] {
        var result: [(Bool, Substring)] = []
        var start = s.startIndex
        while start < s.endIndex {
            let digit = s[start].isASCII && s[start].isNumber
            var end = start
            while end < s.endIndex, (s[end].isASCII && s[end].isNumber) == digit { end = s.index(after: end) }
            result.append((digit, s[start..<end]))
            start = end
        }
        return result
    }
    let x = chunks(a)
    let y = chunks(b)
    for (p, q) in zip(x, y) where p.text != q.text {
        if p.isNumber && q.isNumber {
            let pt = p.text.drop { $0 == "0" }
            let qt = q.text.drop { $0 == "0" }
            if pt.count != qt.count { return pt.count < qt.count }
            if pt != qt { return pt < qt }
            continue
        }
        return p.text < q.text
    }
    if x.count != y.count { return x.count < y.count }
    return a < b
}
