import Foundation

/// The element type of an embedding array.
public enum EmbeddingScalar: String, Sendable, Hashable {
    /// IEEE half precision, `<f2`.
    case float16
    /// IEEE single precision, `<f4`.
    case float32

    /// Bytes per element.
    public var byteCount: Int { self == .float16 ? 2 : 4 }
}

/// The parsed header of a `.npy` file (format versions 1.0, 2.0 and 3.0) holding a C-order `[rows, columns]` array.
struct NPYHeader: Sendable, Hashable {
    var scalar: EmbeddingScalar
    var rows: Int
    var columns: Int
    /// Byte offset of the first element.
    var dataOffset: Int

    /// Parses and validates the header at the start of `bytes`; the data must fit inside `bytes`.
    /// The most values per row a file may declare (CLIP-style embeddings have 512 to 4096).
    static let maxColumns = 1 << 16

    static func parse(_ bytes: UnsafeRawBufferPointer, path: String) throws -> NPYHeader {
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw EmbeddingError(.notNPY, path: path) }
        let major = Int(bytes[6])
        let minor = Int(bytes[7])
        let lengthFieldSize: Int
        switch major {
        case 1: lengthFieldSize = 2
        case 2, 3: lengthFieldSize = 4
        default: throw EmbeddingError(.unsupportedVersion(major: major, minor: minor), path: path)
        }
        guard bytes.count >= 8 + lengthFieldSize else {
            throw EmbeddingError(.malformedHeader("file ends inside the header length"), path: path)
        }
        var headerLength = 0
        for i in 0..<lengthFieldSize { headerLength |= Int(bytes[8 + i]) << (8 * i) }
        let headerStart = 8 + lengthFieldSize
        guard headerLength <= bytes.count - headerStart else {
            throw EmbeddingError(.malformedHeader("header of \(headerLength) bytes runs past the end of the file"), path: path)
        }
        // Version 3 allows UTF-8 in the header; the keys and values we need are ASCII either way.
        let text = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)

        guard let descr = stringValue(of: "descr", in: text) else {
            throw EmbeddingError(.malformedHeader("no 'descr' key in \(text.debugDescription)"), path: path)
        }
        let scalar: EmbeddingScalar
        switch descr {
        case "<f2": scalar = .float16
        case "<f4": scalar = .float32
        default: throw EmbeddingError(.unsupportedDType(descr), path: path)
        }
        guard let fortran = rawValue(of: "fortran_order", in: text) else {
            throw EmbeddingError(.malformedHeader("no 'fortran_order' key"), path: path)
        }
        if fortran.hasPrefix("True") { throw EmbeddingError(.fortranOrder, path: path) }
        guard fortran.hasPrefix("False") else {
            throw EmbeddingError(.malformedHeader("fortran_order is neither True nor False"), path: path)
        }
        guard let shape = shapeValue(in: text) else {
            throw EmbeddingError(.malformedHeader("no readable 'shape' tuple"), path: path)
        }
        guard shape.count == 2 else { throw EmbeddingError(.notTwoDimensional(shape: shape), path: path) }
        // Both counts size allocations before any data is read: 0 columns lets any row count fit in no bytes, and
        // (0, 10^18) has no data at all. Real embeddings have 1 to a few thousand values per row.
        guard shape[1] <= maxColumns, shape[1] >= 1 || shape[0] == 0 else {
            throw EmbeddingError(
                .malformedHeader("shape \(shape) has \(shape[1]) values per row; an embedding has 1 to \(maxColumns)"),
                path: path)
        }
        let dataOffset = headerStart + headerLength
        // Overflow-checked: a forged header may claim 2^62 rows.
        let (elements, overflow1) = shape[0].multipliedReportingOverflow(by: shape[1])
        let (dataBytes, overflow2) = elements.multipliedReportingOverflow(by: scalar.byteCount)
        let available = bytes.count - dataOffset
        if overflow1 || overflow2 {
            throw EmbeddingError(.truncated(expectedBytes: Int.max, actualBytes: bytes.count), path: path)
        }
        guard dataBytes <= available else {
            throw EmbeddingError(.truncated(expectedBytes: dataOffset + dataBytes, actualBytes: bytes.count), path: path)
        }
        return NPYHeader(scalar: scalar, rows: shape[0], columns: shape[1], dataOffset: dataOffset)
    }

    /// The text after `'key':` with leading spaces removed.
    private static func rawValue(of key: String, in text: String) -> Substring? {
        for quote in ["'", "\""] {
            if let range = text.range(of: quote + key + quote) {
                var rest = text[range.upperBound...].drop { $0 == " " }
                guard rest.first == ":" else { return nil }
                rest = rest.dropFirst().drop { $0 == " " }
                return rest
            }
        }
        return nil
    }

    /// A quoted string value.
    private static func stringValue(of key: String, in text: String) -> String? {
        guard let rest = rawValue(of: key, in: text), let quote = rest.first, quote == "'" || quote == "\"" else {
            return nil
        }
        let body = rest.dropFirst()
        guard let end = body.firstIndex(of: quote) else { return nil }
        return String(body[..<end])
    }

    /// The `shape` tuple as integers; nil if any entry is not a non-negative integer.
    private static func shapeValue(in text: String) -> [Int]? {
        guard let rest = rawValue(of: "shape", in: text), rest.first == "(" else { return nil }
        guard let end = rest.firstIndex(of: ")") else { return nil }
        let inner = rest[rest.index(after: rest.startIndex)..<end]
        var shape: [Int] = []
        for part in inner.split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            // numpy writes Python ints; `L` suffix from Python 2 files.
            let digits = trimmed.hasSuffix("L") ? String(trimmed.dropLast()) : trimmed
            guard let value = Int(digits), value >= 0 else { return nil }
            shape.append(value)
        }
        return shape
    }
}
