import Detect
import Foundation
import Testing

/// Throughput of caption terms, the term index, trigger statistics and caption MinHash on a synthetic set of
/// `CURATE_TRIGGER_BENCH` samples (e.g. 1000000). A measurement, not a test: it prints timings and only checks
/// that planted structure comes out. Run in release: `CURATE_TRIGGER_BENCH=1000000 swift test -c release --filter TriggerBenchmark`.
@Suite struct TriggerBenchmark {
    @Test(
        "trigger mining throughput",
        .enabled(if: ProcessInfo.processInfo.environment["CURATE_TRIGGER_BENCH"] != nil))
    func throughput() throws {
        let count = Int(ProcessInfo.processInfo.environment["CURATE_TRIGGER_BENCH"] ?? "") ?? 100_000
        // Deterministic pseudo-words with a Zipf-like draw; every 50th sample in a cluster of 5; "zanzibar quartet"
        // planted on 40 copies of one image.
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let vocabulary = (0..<50_000).map { "w\(String($0, radix: 36))x" }
        var captions: [String] = []
        var clusterOf: [Int?] = []
        var objects: [[String]] = []
        captions.reserveCapacity(count)
        var cluster = 0
        for i in 0..<count {
            var words: [String] = []
            for _ in 0..<7 {
                let u = Double(next() % 1_000_000) / 1_000_000
                words.append(vocabulary[min(vocabulary.count - 1, Int(pow(Double(vocabulary.count), u)) - 1)])
            }
            if i < 40 { words.append("zanzibar quartet") }
            captions.append(words.joined(separator: " "))
            if i < 40 {
                clusterOf.append(0)
            } else if i % 50 == 0 {
                cluster += 1
                clusterOf.append(cluster)
            } else if i % 50 < 5, i > 50 {
                clusterOf.append(cluster)
            } else {
                clusterOf.append(nil)
            }
            objects.append(next() % 10 == 0 ? ["car"] : [])
        }

        // CPU seconds of this (single-threaded) process: fair on a machine shared with other jobs.
        func cpu() -> Double { Double(clock()) / Double(CLOCKS_PER_SEC) }
        var start = cpu()
        let index = TermIndex.build(captions: captions, minSupport: 10, keeping: ObjectNames().allNames(of: ["car"]))
        let buildSeconds = cpu() - start
        let postings = index.termIDs.count

        start = cpu()
        let words = WordTriggerMiner(minSupport: 10).statistics(termIndex: index, clusterOf: clusterOf)
        let wordSeconds = cpu() - start
        let triggers = WordTriggerMiner.triggers(words, thresholds: WordTriggerThresholds())

        start = cpu()
        let pairs = ObjectTriggerMiner(minSupport: 20).statistics(
            termIndex: index, objects: ObjectTags(labelsPerSample: objects))
        let objectSeconds = cpu() - start

        start = cpu()
        let groups = CaptionMinHash().groups(of: captions)
        let minhashSeconds = cpu() - start

        // Non-ASCII captions take the NFKD path.
        let accented = (0..<100_000).map { "Café Crème n°\($0) — Ærøskøbing, Straße in Zürich \(captions[$0 % captions.count])" }
        start = cpu()
        var accentedTerms = 0
        let termizer = CaptionTerms()
        for caption in accented { termizer.forEachTerm(in: caption) { _ in accentedTerms += 1 } }
        let accentedSeconds = cpu() - start
        print(String(format: "BENCH non-ASCII terms: %.0f captions/s (%d terms)", Double(accented.count) / accentedSeconds, accentedTerms))

        print(
            "BENCH (CPU seconds) samples=\(count) kept-terms=\(index.terms.count) postings=\(postings) "
                + String(
                    format:
                        "index=%.2fs (%.0f captions/s) word-stats=%.2fs (%d terms) object-stats=%.2fs (%d pairs) minhash=%.2fs (%.0f captions/s, %d groups)",
                    buildSeconds, Double(count) / buildSeconds, wordSeconds, words.count, objectSeconds, pairs.count,
                    minhashSeconds, Double(count) / minhashSeconds, groups.count))
        #expect(triggers.contains { $0.term == "zanzibar quartet" })
    }
}
