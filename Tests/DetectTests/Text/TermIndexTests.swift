import Detect
import Testing

@Suite struct TermIndexTests {
    let captions = [
        "red barn in the snow",  // 0
        "Red Barn, winter",  // 1
        "a red barn",  // 2
        "blue sky",  // 3
    ]

    @Test("each sample holds its sorted unique term ids and the vocabulary maps both ways")
    func build() throws {
        let index = TermIndex.build(captions: captions)
        #expect(index.sampleCount == 4)
        let barn = try #require(index.id(of: "red barn"))
        #expect(index.documentFrequency[Int(barn)] == 3)
        for sample in 0..<index.sampleCount {
            let ids = Array(index.termIDs(of: sample))
            #expect(ids == ids.sorted())
            #expect(Set(ids).count == ids.count)
        }
        #expect(Set(index.terms(of: 3)) == ["blue", "sky", "blue sky"])
        #expect(index.contains(0, barn))
        #expect(!index.contains(3, barn))
    }

    @Test("pruning drops terms below the minimum support but keeps the terms asked for")
    func pruning() throws {
        let index = TermIndex.build(captions: captions, minSupport: 2, keeping: ["sky"])
        #expect(Set(index.terms) == ["red", "barn", "red barn", "sky"])
        #expect(index.terms(of: 1).sorted() == ["barn", "red", "red barn"])
        #expect(index.terms(of: 3) == ["sky"])
        #expect(index.id(of: "snow") == nil)
    }

    @Test("adding cached term lists gives the same index as adding the captions")
    func cachedTerms() {
        let termizer = CaptionTerms()
        var builder = TermIndex.Builder()
        for caption in captions { builder.add(terms: termizer.terms(caption)) }
        let fromTerms = builder.finish(minSupport: 2)
        let fromCaptions = TermIndex.build(captions: captions, minSupport: 2)
        for sample in 0..<captions.count {
            #expect(Set(fromTerms.terms(of: sample)) == Set(fromCaptions.terms(of: sample)))
        }
    }

    @Test("replacing captions keeps ids, updates frequencies and adds new terms")
    func replacing() throws {
        let index = TermIndex.build(captions: captions)
        let barn = try #require(index.id(of: "barn"))
        let rewritten = index.replacingCaptions([0: "green tractor", 3: "a red barn again"])
        #expect(rewritten.id(of: "barn") == barn)
        #expect(rewritten.documentFrequency[Int(barn)] == 3)
        let tractor = try #require(rewritten.id(of: "green tractor"))
        #expect(rewritten.documentFrequency[Int(tractor)] == 1)
        #expect(rewritten.terms(of: 0).sorted() == ["green", "green tractor", "tractor"])
        #expect(rewritten.terms(of: 1) == index.terms(of: 1))
    }
}
