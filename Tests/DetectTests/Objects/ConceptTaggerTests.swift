import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct ConceptTaggerTests {
    @Test("tags an image with every concept whose cosine reaches the bound, from real .npy files")
    func tagsByCosine() throws {
        let folder = try Fixtures.temporaryFolder()
        let images = folder.appendingPathComponent("images.npy")
        let concepts = folder.appendingPathComponent("concepts.npy")
        let labels = folder.appendingPathComponent("labels.txt")
        // Image 0 points at "flag", image 1 between "flag" and "dog", image 2 at neither, image 3 is all zeros.
        try writeNPY([[1, 0, 0, 0], [0.7, 0.7, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0]], to: images, half: true)
        try writeNPY([[2, 0, 0, 0], [0, 3, 0, 0]], to: concepts)
        try "Flag\ndog\n".write(to: labels, atomically: true, encoding: .utf8)
        let tagger = try ConceptTagger(
            concepts: try EmbeddingMatrix(contentsOf: concepts), labelsFile: labels, minCosine: 0.6)
        let tags = try tagger.tags(for: try EmbeddingMatrix(contentsOf: images))
        #expect(tags.sampleCount == 4)
        #expect(tags.labels(of: 0) == ["flag"])
        #expect(Set(tags.labels(of: 1)) == ["flag", "dog"])
        #expect(tags.labels(of: 2).isEmpty)
        #expect(tags.labels(of: 3).isEmpty)
    }

    @Test("a labels file that does not match the concept rows is an error naming both counts")
    func labelCountMismatch() throws {
        let folder = try Fixtures.temporaryFolder()
        let concepts = folder.appendingPathComponent("concepts.npy")
        let labels = folder.appendingPathComponent("labels.txt")
        try writeNPY([[1, 0], [0, 1]], to: concepts)
        try "flag\n".write(to: labels, atomically: true, encoding: .utf8)
        #expect {
            try ConceptTagger(concepts: try EmbeddingMatrix(contentsOf: concepts), labelsFile: labels, minCosine: 0.5)
        } throws: { "\($0)".contains("1 labels for 2 concept embeddings") }
    }
}
