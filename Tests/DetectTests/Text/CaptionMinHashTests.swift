import Detect
import Testing

@Suite struct CaptionMinHashTests {
    @Test("template captions (one slot word swapped) group together, unrelated captions stay apart")
    func templates() {
        let cities = ["Paris", "Rome", "Berlin", "Vienna", "Prague", "Lisbon", "Madrid", "Oslo", "Dublin", "Athens"]
        var captions = cities.map { "Vintage travel poster of \($0), framed art print" }
        captions += [
            "golden retriever puppy playing in the garden",
            "sunset over a calm mountain lake",
            "close-up of a red sports car wheel",
            "bowl of ramen with egg and scallions",
            "old lighthouse on a rocky coast in fog",
        ]
        let groups = CaptionMinHash().groups(of: captions)
        #expect(groups == [Array(0..<cities.count)])
    }

    @Test("signatures are deterministic and estimate Jaccard similarity")
    func signatures() throws {
        let minhash = CaptionMinHash()
        let a = try #require(minhash.signature(of: "vintage travel poster paris framed art print"))
        let b = try #require(minhash.signature(of: "vintage travel poster paris framed art print"))
        let c = try #require(minhash.signature(of: "completely different words entirely here"))
        #expect(a == b)
        #expect(a.count == minhash.numHashes)
        #expect(CaptionMinHash.similarity(a, b) == 1)
        #expect(CaptionMinHash.similarity(a, c) < 0.1)
        #expect(minhash.signature(of: "the of and") == nil)
    }

    @Test("cached signatures group exactly like the captions they came from")
    func cachedSignatures() {
        let captions = ["red tulip field in spring", "blue whale", "red tulip field in summer", "", "blue whale"]
        let minhash = CaptionMinHash()
        var finder = CaptionMinHash.Finder(minhash)
        for caption in captions { finder.add(signature: minhash.signature(of: caption)) }
        #expect(finder.groups() == minhash.groups(of: captions))
        #expect(finder.groups().contains([1, 4]))
    }

    @Test("captions hashed in parallel runs group exactly as one finder fed in order")
    func parallelRuns() {
        // 20,000 captions: three runs of signatures, with template groups that cross the runs' boundaries.
        var random = TestRandom(77)
        let words = (0..<400).map { "word\($0)" }
        let captions = (0..<20_000).map { i -> String in
            if i % 10 == 0 { return "a photo of the old stone bridge at dusk number \(i % 3)" }
            if i % 97 == 0 { return "" }
            return (0..<8).map { _ in words[Int(random.next() % 400)] }.joined(separator: " ")
        }
        let minhash = CaptionMinHash()
        var finder = CaptionMinHash.Finder(minhash)
        for caption in captions { finder.add(caption) }
        let groups = minhash.groups(of: captions)
        #expect(groups == finder.groups())
        #expect(groups.contains { $0.contains(10) && $0.contains(19_990) })
    }

    @Test("empty captions never group, exact repeats always do")
    func edgeCases() {
        let groups = CaptionMinHash().groups(of: ["", "", "blue whale", "blue whale", "the"])
        #expect(groups == [[2, 3]])
    }
}
