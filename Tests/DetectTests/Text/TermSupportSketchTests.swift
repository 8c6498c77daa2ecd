@testable import Detect
import Testing

@Suite struct TermSupportSketchTests {
    /// Captions of 3-12 words from a skewed vocabulary of 300 words, and a few repeated phrases.
    static func captions(_ count: Int, seed: UInt64) -> [String] {
        var random = TestRandom(seed)
        let vocabulary = (0..<300).map { "w\($0)" }
        return (0..<count).map { i in
            var words = (0..<(3 + Int(random.next() % 10))).map { _ in
                vocabulary[Int(random.next() % 300) * Int(random.next() % 300) / 300]
            }
            if i % 17 == 0 { words += ["van", "gogh", "starry", "night"] }
            if i == 5 { words.append("ünïcode Ｗｉｄｅ") }
            return words.joined(separator: " ")
        }
    }

    @Test("no term's estimate is below the captions that hold it, even with counters shared by many terms",
          arguments: [64, 1 << 12, nil])
    func neverUnderestimates(size: Int?) {
        let captions = Self.captions(2000, seed: 3)
        let sketch = TermSupportSketch(counting: captions, termizer: CaptionTerms(), size: size)
        let exact = TermIndex.build(captions: captions, minSupport: 1)
        for (id, term) in exact.terms.enumerated() {
            #expect(sketch.mayReach(TermHash.hash(term), exact.documentFrequency[id]), "\(term)")
        }
        // With one counter per occurrence, most terms of one caption are ruled out at a bar of 5.
        if size == nil {
            let rare = exact.terms.indices.filter { exact.documentFrequency[$0] == 1 }
            let ruledOut = rare.filter { id in
                !sketch.mayReach(TermHash.hash(exact.terms[id]), 5)
            }
            #expect(rare.count > 1000 && ruledOut.count * 10 > rare.count * 9)
        }
    }

    @Test("an index built through the sketch equals one that interned every term", arguments: [2, 3, 10, 300])
    func sameIndex(minSupport: Int) {
        let captions = Self.captions(3000, seed: UInt64(minSupport))
        // The phrase of one caption, as normalized, kept whatever its support.
        let phrase = CaptionTerms().normalizedPhrase("ünïcode Ｗｉｄｅ")
        let keep: Set<String> = ["w299", phrase, "not in any caption"]
        var plain = TermIndex.Builder()
        for caption in captions { plain.add(caption) }
        let expected = plain.finish(minSupport: minSupport, keeping: keep)
        #expect(TermIndex.build(captions: captions, minSupport: minSupport, keeping: keep) == expected)
        // A sketch of 64 counters admits nearly everything: still the same index.
        var crowded = TermIndex.Builder()
        crowded.admit(
            TermSupportSketch(counting: captions, termizer: CaptionTerms(), size: 64), minSupport: minSupport,
            keeping: keep)
        for caption in captions { crowded.add(caption) }
        #expect(crowded.finish(minSupport: minSupport, keeping: keep) == expected)
        #expect(phrase.contains(" ") && expected.id(of: phrase) != nil)
        #expect((expected.id(of: "van gogh") != nil) == (minSupport <= 176))  // in 177 captions
    }
}
