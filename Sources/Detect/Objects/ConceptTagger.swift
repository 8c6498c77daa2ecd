import Foundation

/// Zero-shot object tags: an image shows a concept when its embedding's cosine with the concept's embedding
/// (`--concepts`, in the same space as the image embeddings) reaches `minCosine`.
public struct ConceptTagger: Sendable {
    public var concepts: EmbeddingMatrix
    public var labels: [String]
    public var minCosine: Double

    /// Pairs a concept matrix with its labels file (one label per line, row order).
    public init(concepts: EmbeddingMatrix, labelsFile: URL, minCosine: Double) throws {
        let text = try String(contentsOf: labelsFile, encoding: .utf8)
        let labels = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty }
        guard labels.count == concepts.rowCount else {
            throw ConceptLabelsError(
                path: labelsFile.relativePath,
                message: "\(labels.count) labels for \(concepts.rowCount) concept embeddings in \(concepts.path); give one label per row")
        }
        try self.init(concepts: concepts, labels: labels, minCosine: minCosine)
    }

    public init(concepts: EmbeddingMatrix, labels: [String], minCosine: Double) throws {
        self.concepts = concepts
        self.labels = labels
        self.minCosine = minCosine
    }

    /// The concepts each image shows, one list per image row. Rows without a valid embedding get none.
    /// - Throws: when the two matrices have different dimensions.
    public func tags(for images: EmbeddingMatrix) throws -> ObjectTags {
        guard images.dimension == concepts.dimension else {
            throw EmbeddingError(
                .dimensionMismatch(expected: images.dimension, actual: concepts.dimension), path: concepts.path)
        }
        let d = images.dimension
        let k = concepts.rowCount
        var conceptRows = [Float](repeating: 0, count: k * d)
        conceptRows.withUnsafeMutableBufferPointer { concepts.copyRows(0..<k, into: $0.baseAddress!, normalized: true) }
        var perImage: [[String]] = []
        perImage.reserveCapacity(images.rowCount)
        let block = 4096
        var imageRows = [Float](repeating: 0, count: block * d)
        var scores = [Float](repeating: 0, count: block * k)
        var start = 0
        while start < images.rowCount {
            let rows = min(block, images.rowCount - start)
            imageRows.withUnsafeMutableBufferPointer {
                images.copyRows(start..<start + rows, into: $0.baseAddress!, normalized: true)
            }
            // scores[rows × k] = imageRows[rows × d] · conceptRowsᵀ[d × k]
            imageRows.withUnsafeBufferPointer { a in
                conceptRows.withUnsafeBufferPointer { b in
                    scores.withUnsafeMutableBufferPointer { c in
                        BLAS.multiplyTransposed(
                            m: rows, n: k, k: d, a.baseAddress!, lda: d, b.baseAddress!, ldb: d, into: c.baseAddress!,
                            ldc: k)
                    }
                }
            }
            for r in 0..<rows {
                guard images.isValid(start + r) else {
                    perImage.append([])
                    continue
                }
                var found: [String] = []
                for c in 0..<k where Double(scores[r * k + c]) >= minCosine { found.append(labels[c]) }
                perImage.append(found)
            }
            start += rows
        }
        return ObjectTags(labelsPerSample: perImage)
    }
}

/// The labels file does not match the concept embeddings.
public struct ConceptLabelsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}
