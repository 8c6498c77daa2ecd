import Detect
import Foundation

/// libFuzzer entry: the bytes as an embeddings `.npy` file (header parse, size checks, row validation).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let path = FuzzFiles.write(Data(bytes: data, count: size), suffix: ".npy")
    guard let matrix = try? EmbeddingMatrix(contentsOf: URL(fileURLWithPath: path)) else { return 0 }
    // A matrix that loaded must be readable row by row.
    for row in 0..<min(matrix.rowCount, 64) {
        let values = matrix.row(row)
        if values.count != matrix.dimension { fatalError("row \(row) has \(values.count) values, not \(matrix.dimension)") }
        _ = matrix.isValid(row)
    }
    return 0
}
